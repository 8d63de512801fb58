import { useEffect, useRef } from "react";

/** The event log: one line per hook callback and sign-in, the newest scrolled into view. */
export function EventLog({ lines }: { lines: string[] }) {
  const newest = useRef<HTMLLIElement>(null);
  // A block body: current Chromium's scrollIntoView() returns a promise, which React would take for a clean-up.
  useEffect(() => {
    newest.current?.scrollIntoView({ block: "nearest" });
  }, [lines.length]);
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Event log</h2>
      <ol data-testid="event-log">
        {lines.map((line, index) => (
          // Lines are only ever appended: the index is a stable key.
          <li key={index} ref={index === lines.length - 1 ? newest : undefined}>
            {line}
          </li>
        ))}
      </ol>
    </section>
  );
}
