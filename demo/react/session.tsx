import { useState, type ReactNode } from "react";
import type { SessionResult, Source } from "humanconnect-kit";
import { useHumanConnect } from "humanconnect-kit/react";
import { accessLine, api, type Held } from "./api";
import { Connections } from "./connections";
import { LastResult } from "./last-result";
import { statusLine } from "./status-line";

export interface SessionProps {
  /** The signed-in user's sources when this user's session began. */
  connections: Source[];
  scenario: string;
  baseUrl: string;
  log(text: string): void;
  /** The user switch and the scenario menu, shown before the Connect button. */
  controls: ReactNode;
}

const names = (sources: Source[]) => sources.map((source) => source.name).join(", ");

/**
 * One signed-in user's Connect: the button, the status line, the access-token line, the
 * connected sources and the last result. The app mounts a new one for each user, so the hook's
 * connect object (and the token it holds) never outlives the user it was made for.
 */
export function Session({ connections: initial, scenario, baseUrl, log, controls }: SessionProps) {
  const [connections, setConnections] = useState(initial);
  const [access, setAccess] = useState("");
  const show = (change: SessionResult) => setConnections(change.currentConnections);
  const { open, prefetch, state, result, error } = useHumanConnect({
    tokenUrl: `/api/connect-token?scenario=${encodeURIComponent(scenario)}`,
    baseUrl,
    tokenRequest: { timeoutMs: 5000 },
    onOpen: () => log("open"),
    onConnect: (change) => {
      log(`connect: ${names(change.connectedSources)}`);
      show(change);
    },
    onDisconnect: (change) => {
      log(`disconnect: ${names(change.disconnectedSources)}`);
      show(change);
    },
    onClose: (closed) => log(`close: ${closed.status}`),
    onError: (failure) => log(`error: ${failure.code}`),
  });

  async function connect() {
    // A failure shows through the hook's `error` (the status line) and onError (the log).
    const closed = await open().catch(() => undefined);
    if (!closed) return;
    show(closed);
    if (closed.currentConnections.length > 0) setAccess(accessLine(await api<Held>("/api/after-close")));
  }
  // Warms the token and the client on hover, focus and press, as the CDN page's prefetchOn() does.
  const warm = () => void prefetch().catch(() => undefined);
  const status = statusLine(state, result, error);

  return (
    <>
      <section className="controls" aria-label="Session">
        {controls}
        <button
          type="button"
          className="primary"
          disabled={state !== "idle"}
          onClick={() => void connect()}
          onPointerEnter={warm}
          onFocus={warm}
          onPointerDown={warm}
        >
          Connect your health data
        </button>
      </section>
      <p data-testid="status" role="status" className={status.isError ? "status error" : "status"}>
        {status.text}
      </p>
      <p data-testid="access-token" className="access">
        {access}
      </p>
      <Connections sources={connections} />
      <LastResult result={result} />
    </>
  );
}
