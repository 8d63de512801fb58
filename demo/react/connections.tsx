import type { Source } from "humanconnect-kit";

/** The user's connected sources, as the backend or Connect last reported them. */
export function Connections({ sources }: { sources: Source[] }) {
  return (
    <section aria-labelledby="connections-title">
      <h2 id="connections-title">Connected sources</h2>
      <ul data-testid="connections">
        {sources.length === 0 && <li className="muted">None yet.</li>}
        {sources.map((source) => (
          <li key={source.id}>
            {source.name} ({source.id})
          </li>
        ))}
      </ul>
    </section>
  );
}
