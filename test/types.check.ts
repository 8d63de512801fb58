// Compile-only: `npm run typecheck` fails if a line marked @ts-expect-error compiles.
import { createConnect, isConnectError, type ConnectError, type SessionResult, type SourceChange } from "../src/index";

const connect = createConnect({ tokenUrl: "/api/connect-token", tokenRequest: { retries: 1 } });
createConnect({ getToken: async ({ signal }) => (signal.aborted ? "" : { token: "t", expires_in: 60 }) });
createConnect({ token: "t", mode: "select", overlayOpacity: 0.5, pinnedProviders: ["a"] });

const unsubscribe: () => void = connect.on("connect", (change: SourceChange) => change.connectedSources[0]?.id);
unsubscribe();
connect.on("close", (result: SessionResult) => result.currentConnections.map((s) => s.name.toUpperCase()));
connect.on("error", (error: ConnectError) => error.code);
connect.once("open", ({ iframe }) => iframe.contentWindow);
const pending: Promise<SessionResult> = connect.open({ signal: new AbortController().signal });
void pending.catch((e: unknown) => (isConnectError(e) ? e.code : undefined));
const state: "idle" | "loading" | "open" | "destroyed" = connect.state;
void state;

// @ts-expect-error no token source
createConnect({});
// @ts-expect-error two token sources
createConnect({ tokenUrl: "/t", token: "t" });
// @ts-expect-error tokenUrl must be a string or URL
createConnect({ tokenUrl: 42 });
// @ts-expect-error mode is "auth" or "select"
createConnect({ token: "t", mode: "popup" });
// @ts-expect-error overlayOpacity is a number
createConnect({ token: "t", overlayOpacity: "0.5" });
// @ts-expect-error tokenRequest only with tokenUrl
createConnect({ token: "t", tokenRequest: {} });
// @ts-expect-error unknown option
createConnect({ token: "t", tokenURL: "/t" });
// @ts-expect-error unknown event name
connect.on("connected", () => {});
// @ts-expect-error wrong listener payload type
connect.on("close", (result: string) => result);
// @ts-expect-error state is read-only
connect.state = "open";
// @ts-expect-error open takes an options object
void connect.open("now");

// The drop-in, humanconnect-kit/compat: the vendor's surface, typed.
import HumanConnect, { off, on, open, type HumanConnectResponse } from "../src/compat/index";
const stopClose: () => void = HumanConnect.on("close", (response: HumanConnectResponse) =>
  response.sessionResults.connectedSources.map((s) => s.id),
);
stopClose();
on("error", (error: ConnectError) => error.code);
off("connect", (response) => response.currentConnections.length);
open({ token: "t", version: "V2", baseURL: "https://hapi-connect.humanapi.co", overlayOpacity: "0.4" });
open({ token: "t", onClose: (response) => response.status, onConnectSource: (r) => r.requestedProviders });
HumanConnect.bindDeclarative()();
// @ts-expect-error the token is required
open({ version: "V2" });
// @ts-expect-error an event the vendor never emits
on("success", () => undefined);
// @ts-expect-error version is "V2" or absent
open({ token: "t", version: "V3" });
