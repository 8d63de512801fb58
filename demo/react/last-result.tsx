import type { SessionResult } from "humanconnect-kit";

/** The last session's result as JSON (the hook's `result`: every close, refused tokens too). */
export function LastResult({ result }: { result: SessionResult | undefined }) {
  return (
    <section aria-labelledby="result-title">
      <h2 id="result-title">Last session result</h2>
      <pre data-testid="session-result">{result ? JSON.stringify(result, null, 2) : "(none yet)"}</pre>
    </section>
  );
}
