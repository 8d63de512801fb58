import { useEffect, useState } from "react";
import { api, firstMe, type Me } from "./api";
import { Controls } from "./controls";
import { EventLog } from "./event-log";
import { Session } from "./session";
import { useEventLog } from "./use-event-log";

/**
 * The demo page in React: the signed-in user, the scenario and the event log live here; each
 * user gets a fresh {@link Session} (keyed by user id), which drops the last user's result,
 * access-token line and cached Connect token, as the CDN page's user switch does.
 */
export function App({ baseUrl }: { baseUrl: string }) {
  const [me, setMe] = useState<Me>();
  const [scenario, setScenario] = useState("normal");
  const [lines, log] = useEventLog();

  useEffect(() => {
    let mounted = true;
    void firstMe().then((found) => mounted && setMe(found));
    document.documentElement.dataset.ready = "true";
    return () => {
      mounted = false;
    };
  }, []);

  async function switchUser(as: string) {
    await api("/api/sign-in", { as });
    const next = await api<Me>("/api/me");
    setMe(next);
    log(`signed in as ${next.userId}`);
  }

  const controls = (
    <Controls
      userId={me?.userId}
      scenario={scenario}
      onScenario={setScenario}
      onSwitchUser={(as) => void switchUser(as)}
    />
  );
  return (
    <>
      <Session
        key={me?.userId ?? ""}
        connections={me?.connections ?? []}
        scenario={scenario}
        baseUrl={baseUrl}
        log={log}
        controls={controls}
      />
      <EventLog lines={lines} />
    </>
  );
}
