// The demo page's logic, shared by the CDN page and the ESM page: `setupDemo(kit)` gets the
// library either from the global HumanConnectKit or from the ESM build.
import { ERROR_HELP } from "./error-help.js";

const $ = (id) => document.getElementById(id);

function logLine(text) {
  const item = document.createElement("li");
  item.textContent = `${new Date().toISOString().slice(11, 23)} ${text}`;
  $("event-log").append(item);
  // Scrolled at the next frame: inside an event listener it would force a layout at once.
  requestAnimationFrame(() => item.scrollIntoView({ block: "nearest" }));
}

function setStatus(text, isError = false) {
  $("status").textContent = text;
  $("status").classList.toggle("error", isError);
}

function showConnections(sources) {
  const list = $("connections");
  list.replaceChildren();
  if (sources.length === 0) {
    const none = document.createElement("li");
    none.className = "muted";
    none.textContent = "None yet.";
    list.append(none);
  }
  for (const source of sources) {
    const item = document.createElement("li");
    item.textContent = `${source.name} (${source.id})`;
    list.append(item);
  }
}

const names = (sources) => sources.map((source) => source.name).join(", ");

/** What the log says of each event of the page's <human-connect> element: its only script. */
const ELEMENT_EVENTS = {
  "hc-open": () => "",
  "hc-connect": (change) => `: ${names(change.connectedSources)}`,
  "hc-disconnect": (change) => `: ${names(change.disconnectedSources)}`,
  "hc-close": (result) => `: ${result.status}, ${result.connectedSources.length} source(s) connected`,
  "hc-error": (error) => `: ${error.code}`,
};

function logElementEvents(element) {
  for (const [type, describe] of Object.entries(ELEMENT_EVENTS))
    element.addEventListener(type, (event) => logLine(`<human-connect> ${type}${describe(event.detail)}`));
}

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
}

export function setupDemo(kit) {
  const baseUrl = document.querySelector('meta[name="connect-base-url"]').content;
  let connect;

  function create() {
    connect?.destroy();
    const scenario = $("scenario").value;
    connect = kit.createConnect({
      tokenUrl: `/api/connect-token?scenario=${encodeURIComponent(scenario)}`,
      baseUrl,
      tokenRequest: { timeoutMs: 5000 },
    });
    // Warm the token and the Connect client before the click (on hover, focus and the press itself).
    connect.prefetchOn($("connect-button"));
    connect.on("open", () => logLine("open"));
    connect.on("connect", (change) => {
      logLine(`connect: ${names(change.connectedSources)}`);
      showConnections(change.currentConnections);
    });
    connect.on("disconnect", (change) => {
      logLine(`disconnect: ${names(change.disconnectedSources)}`);
      showConnections(change.currentConnections);
    });
    connect.on("close", (result) => logLine(`close: ${result.status}`));
    connect.on("error", (error) => logLine(`error: ${error.code}`));
    window.demo = { connect, kit };
  }

  async function refreshUser() {
    const me = await api("/api/me");
    $("user").textContent = me.userId;
    showConnections(me.connections);
  }

  async function onClick() {
    setStatus("Opening Connect…");
    try {
      const result = await connect.open();
      $("session-result").textContent = JSON.stringify(result, null, 2);
      showConnections(result.currentConnections);
      setStatus(
        `Connect closed: ${result.status}. ${result.connectedSources.length} source(s) connected in this session.`,
      );
      if (result.currentConnections.length > 0) {
        const held = await api("/api/after-close");
        $("access-token").textContent = held.ok
          ? `The backend now holds an access token for ${held.userId}, valid for ${held.expiresIn} s (until ${new Date(held.expiresAt).toLocaleTimeString()}).`
          : `The backend could not get an access token: ${held.error}`;
      }
    } catch (error) {
      if (!kit.isConnectError(error)) throw error;
      if (error.result) $("session-result").textContent = JSON.stringify(error.result, null, 2);
      setStatus(`Error ${error.code}: ${ERROR_HELP[error.code] ?? ""} ${error.message}`, true);
    }
  }

  $("connect-button").addEventListener("click", () => void onClick());
  $("scenario").addEventListener("change", create);
  $("user-switch").addEventListener("change", async (event) => {
    if (!event.target.value) return;
    await api("/api/sign-in", { as: event.target.value });
    event.target.value = "";
    $("access-token").textContent = "";
    $("session-result").textContent = "(none yet)";
    // Another user now: drop the previous user's cached token (the connect object stays).
    connect.clearToken();
    await refreshUser();
    logLine(`signed in as ${$("user").textContent}`);
  });

  create();
  logElementEvents(document.querySelector("human-connect"));
  void refreshUser();
  document.documentElement.dataset.ready = "true";
}
