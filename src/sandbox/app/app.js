// The sandbox's Connect app: what the unmodified vendor client loads in its iframe.
// Plain browser script (no inline code, so it runs under a strict Content Security Policy).
/* global connectMessage */
"use strict";

// A block, not a function: in strict mode its declarations stay private to this script.
{
  const base = location.pathname.replace(/\/$/, "");
  const params = new URLSearchParams(location.search);
  const token = params.get("token");
  const mode = params.get("mode") === "select" ? "select" : "auth";
  const preseed = params.get("preseed");
  const segment = params.get("segment");
  const clientId = params.get("clientId");
  const preseeded = (function () {
    try {
      var list = JSON.parse(atob(params.get("preseededSources") || ""));
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  })();
  const pinned = (params.get("pinnedProviders") || "")
    .split(",")
    .map(function (s) {
      return s.trim();
    })
    .filter(Boolean);
  // The origins startSandbox({ pageOrigins }) lists (a page cannot add a parameter to the URL
  // the vendor client builds, so the sandbox writes them into this page).
  const pageOrigins = (document.querySelector('meta[name="page-origins"]') || { content: "" }).content
    .split(" ")
    .filter(Boolean);
  // The embedding page's origin as the browser tells it, or null: Firefox has no ancestorOrigins,
  // and a page sent with Referrer-Policy: no-referrer leaves document.referrer empty.
  const reportedOrigin = (function () {
    var origin;
    if (location.ancestorOrigins && location.ancestorOrigins.length > 0) origin = location.ancestorOrigins[0];
    else {
      try {
        origin = new URL(document.referrer).origin;
      } catch (e) {
        origin = null;
      }
    }
    // An opaque origin ("null": a sandboxed or data: page) cannot be posted to either.
    return origin === "null" ? null : origin;
  })();
  // Where messages go, or why they cannot. With several listed origins and none reported, each
  // gets the message: the browser delivers it only to a parent of the target origin.
  const targets = (function () {
    if (reportedOrigin === null)
      return pageOrigins.length ? { origins: pageOrigins } : { problem: "PAGE_ORIGIN_UNKNOWN" };
    if (pageOrigins.length && pageOrigins.indexOf(reportedOrigin) === -1) return { problem: "PAGE_ORIGIN_NOT_ALLOWED" };
    return { origins: [reportedOrigin] };
  })();

  const main = document.getElementById("main");
  const closeButton = document.getElementById("close");
  const state = {
    providers: [],
    current: [],
    requestedProviders: [],
    session: { connectedSources: [], disconnectedSources: [], requestedSources: [] },
    refusal: null,
    query: "",
    notice: "",
  };

  function post(type, status) {
    if (!targets.origins || window.parent === window) return;
    // connect-message.js (src/connect-message.ts) owns the payload's shape, shared with the testing kit.
    var message = connectMessage(type, status, {
      session: state.session,
      current: state.current,
      requested: state.requestedProviders,
    });
    // Sent only to the embedding page's origin (or the listed ones), never "*".
    targets.origins.forEach(function (origin) {
      window.parent.postMessage(message, origin);
    });
  }

  function api(path, body) {
    var init =
      body === undefined
        ? {}
        : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
    return fetch(base + "/api/" + path, init).then(function (response) {
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (key) {
      if (key === "text") node.textContent = attributes[key];
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), attributes[key]);
      else node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function show(nodes, focus) {
    main.replaceChildren.apply(main, nodes.filter(Boolean));
    var target = focus ? main.querySelector(focus) : main.querySelector("h1");
    if (!target) return;
    target.focus();
    // Chromium ignores focus() in a cross-origin frame that does not have focus yet (the page
    // focuses the frame from its iframe's load event, which can come after this): focus the
    // target once the frame gets focus, unless the user has moved on.
    if (!document.hasFocus()) {
      window.addEventListener(
        "focus",
        function () {
          if (target.isConnected && document.activeElement === document.body) target.focus();
        },
        { once: true },
      );
    }
  }

  function isConnected(provider) {
    return state.current.some(function (source) {
      return source.id === provider.id;
    });
  }

  function isSelected(provider) {
    return state.session.requestedSources.some(function (r) {
      return r.healthSystem === provider.name;
    });
  }

  function ordered() {
    var pinnedFirst = pinned
      .map(function (id) {
        return state.providers.filter(function (p) {
          return p.id === id || p.name === id;
        })[0];
      })
      .filter(Boolean);
    return pinnedFirst.concat(
      state.providers.filter(function (p) {
        return pinnedFirst.indexOf(p) === -1;
      }),
    );
  }

  function refuse(status) {
    state.refusal = status;
    var messages = {
      SESSION_TOKEN_INVALID: "This Connect link is not valid.",
      SESSION_TOKEN_EXPIRED: "This Connect link has expired.",
      MISSING_SESSION_TOKEN: "This Connect link has no token.",
    };
    show([
      el("h1", { tabindex: "-1", text: "Connect can't open" }),
      el("p", {
        class: "alert",
        role: "alert",
        text: (messages[status] || "Something went wrong.") + " Close this window and try again.",
      }),
      el("p", { class: "meta", text: "Status: " + status }),
      el("div", { class: "row" }, [el("button", { type: "button", class: "primary", text: "Close", onclick: close })]),
    ]);
  }

  /** Connect cannot answer this page: say why, for its developer. No Close: it could not post either. */
  function cannotAnswer(problem) {
    closeButton.hidden = true;
    var why =
      problem === "PAGE_ORIGIN_UNKNOWN"
        ? "The browser does not say which page opened Connect (no ancestorOrigins, no referrer), so Connect cannot send it anything." +
          ' Start the sandbox with startSandbox({ pageOrigins: ["<your page\'s origin>"] }) (or --page-origin).'
        : "The page that opened Connect (" +
          reportedOrigin +
          ") is not in the sandbox's pageOrigins (" +
          pageOrigins.join(", ") +
          ")." +
          " Add its origin to startSandbox({ pageOrigins }) (or --page-origin).";
    show([
      el("h1", { tabindex: "-1", text: "Connect can't talk to this page" }),
      el("p", { class: "alert", role: "alert", text: why }),
      el("p", {
        text: "This window cannot close itself: the page that opened it has to (its close(), signal or destroy()).",
      }),
      el("p", { class: "meta", text: "Status: " + problem }),
    ]);
  }

  function providerItem(provider) {
    var connected = isConnected(provider);
    var label;
    var handler;
    if (mode === "select") {
      var selected = isSelected(provider);
      label = (selected ? "Deselect " : "Select ") + provider.name;
      handler = function () {
        toggleSelect(provider);
      };
    } else {
      label = (connected ? "Disconnect " : "Connect ") + provider.name;
      handler = connected
        ? function () {
            disconnect(provider);
          }
        : function () {
            signIn(provider);
          };
    }
    return el("li", {}, [
      el("div", {}, [
        el("span", { text: provider.name }),
        connected ? el("span", { class: "badge", text: "Connected" }) : null,
        el("div", { class: "meta", text: provider.kind + " · " + provider.city }),
      ]),
      el("button", {
        type: "button",
        class: "action" + (connected ? " connected" : ""),
        "data-provider": provider.id,
        text: label,
        onclick: handler,
      }),
    ]);
  }

  function renderList(list) {
    var query = state.query.toLowerCase();
    var matches = ordered().filter(function (p) {
      return !query || (p.name + " " + p.kind + " " + p.city).toLowerCase().indexOf(query) !== -1;
    });
    list.replaceChildren.apply(
      list,
      matches.length
        ? matches.map(providerItem)
        : [el("li", { class: "empty", text: "No provider matches “" + state.query + "”." })],
    );
  }

  function home(focus) {
    var list = el("ul", { class: "providers", "aria-label": "Providers" });
    var search = el("input", {
      type: "search",
      id: "search",
      autocomplete: "off",
      placeholder: "Name, type or city",
      oninput: function (event) {
        state.query = event.target.value;
        renderList(list);
      },
    });
    search.value = state.query;
    renderList(list);
    var nodes = [
      el("h1", { tabindex: "-1", text: mode === "select" ? "Select your providers" : "Connect your health data" }),
      segment || clientId
        ? el("p", {
            class: "meta",
            text: [segment && "Segment: " + segment, clientId && "Client: " + clientId].filter(Boolean).join(" · "),
          })
        : null,
      el("label", { for: "search", text: "Search providers" }),
      search,
      el("p", { class: "notice", role: "status", text: state.notice }),
      list,
    ];
    if (mode === "select") nodes.push(requestForm());
    show(nodes, focus);
  }

  function requestForm() {
    var fields = [
      ["physician", "Physician"],
      ["healthSystem", "Health system"],
      ["address", "Address"],
      ["website", "Website"],
    ];
    var form = el(
      "form",
      {
        class: "request",
        onsubmit: function (event) {
          event.preventDefault();
          var provider = {};
          fields.forEach(function (f) {
            var v = form.elements[f[0]].value.trim();
            if (v) provider[f[0]] = v;
          });
          if (!Object.keys(provider).length) return;
          request(provider, "Requested " + (provider.healthSystem || provider.physician || "a provider"));
        },
      },
      [el("h2", { text: "Can't find your provider? Request it" })],
    );
    fields.forEach(function (f) {
      form.appendChild(el("label", { for: "req-" + f[0], text: f[1] }));
      form.appendChild(el("input", { type: "text", id: "req-" + f[0], name: f[0] }));
    });
    form.appendChild(
      el("div", { class: "row" }, [el("button", { type: "submit", class: "primary", text: "Request provider" })]),
    );
    return form;
  }

  function request(provider, notice) {
    api("request", { token: token, provider: provider }).then(function (answer) {
      if (!answer.data.ok) return refuse(answer.data.status || "SESSION_TOKEN_INVALID");
      state.session.requestedSources.push(provider);
      state.requestedProviders = answer.data.requestedProviders;
      state.notice = notice;
      home("#search");
    });
  }

  function toggleSelect(provider) {
    if (isSelected(provider)) {
      state.session.requestedSources = state.session.requestedSources.filter(function (r) {
        return r.healthSystem !== provider.name;
      });
      state.notice = "Deselected " + provider.name;
      return home('[data-provider="' + provider.id + '"]');
    }
    api("request", { token: token, provider: { healthSystem: provider.name, address: provider.city } }).then(
      function (answer) {
        if (!answer.data.ok) return refuse(answer.data.status || "SESSION_TOKEN_INVALID");
        state.session.requestedSources.push({ healthSystem: provider.name, address: provider.city });
        state.requestedProviders = answer.data.requestedProviders;
        state.notice = "Selected " + provider.name;
        home('[data-provider="' + provider.id + '"]');
      },
    );
  }

  function signIn(provider) {
    var alert = el("p", { class: "alert", role: "alert", hidden: "" });
    var form = el(
      "form",
      {
        onsubmit: function (event) {
          event.preventDefault();
          alert.hidden = true;
          api("connect", {
            token: token,
            providerId: provider.id,
            username: form.elements.username.value,
            password: form.elements.password.value,
          }).then(function (answer) {
            if (answer.data.error === "wrong_password") {
              alert.textContent = "Wrong username or password for " + provider.name + ". Try again.";
              alert.hidden = false;
              form.elements.password.value = "";
              form.elements.password.focus();
              return;
            }
            changed(answer, provider, "connect");
          });
        },
      },
      [
        el("label", { for: "username", text: "Username" }),
        el("input", { type: "text", id: "username", name: "username", autocomplete: "username", required: "" }),
        el("label", { for: "password", text: "Password" }),
        el("input", {
          type: "password",
          id: "password",
          name: "password",
          autocomplete: "current-password",
          required: "",
        }),
        alert,
        el("div", { class: "row" }, [
          el("button", { type: "submit", class: "primary", text: "Sign in" }),
          el("button", {
            type: "button",
            class: "secondary",
            text: "Back",
            onclick: function () {
              home('[data-provider="' + provider.id + '"]');
            },
          }),
        ]),
      ],
    );
    show(
      [
        el("h1", { tabindex: "-1", text: "Sign in to " + provider.name }),
        el("p", { class: "meta", text: "Sandbox: any username works; the password “wrong” fails." }),
        form,
      ],
      "#username",
    );
  }

  function disconnect(provider) {
    api("disconnect", { token: token, providerId: provider.id }).then(function (answer) {
      changed(answer, provider, "disconnect");
    });
  }

  /** After the API connected or disconnected `provider`: record it, tell the page, show the list. */
  function changed(answer, provider, verb) {
    if (!answer.data.ok) return refuse(answer.data.status || "SESSION_TOKEN_INVALID");
    state.current = answer.data.currentConnections;
    state.session[verb + "edSources"].push(answer.data.source);
    state.notice = (verb === "connect" ? "Connected " : "Disconnected ") + provider.name;
    post(verb + "-source", verb === "connect" ? "CONNECTED_SOURCE" : "DISCONNECTED_SOURCE");
    home('[data-provider="' + provider.id + '"]');
  }

  function close() {
    post("close", state.refusal || "SUCCESS");
  }

  /** Asks the API for the user's session (or only the providers, in anonymous select mode) and shows it. */
  function start() {
    const anonymousSelect = mode === "select" && !preseed && !token;
    api(anonymousSelect ? "providers" : "session?token=" + encodeURIComponent(token || "")).then(
      function (answer) {
        if (!answer.data.ok) return refuse(answer.data.status || "SESSION_TOKEN_INVALID");
        state.providers = answer.data.providers;
        state.current = answer.data.currentConnections || [];
        state.requestedProviders = answer.data.requestedProviders || [];
        if (mode === "select") {
          // Preseeded sources (ids, names or { id | name }) start selected.
          state.providers.forEach(function (p) {
            var wanted = preseeded.some(function (s) {
              return s === p.id || s === p.name || (s && (s.id === p.id || s.name === p.name));
            });
            if (wanted) state.session.requestedSources.push({ healthSystem: p.name, address: p.city });
          });
        }
        home();
      },
      function () {
        refuse("SESSION_TOKEN_INVALID");
      },
    );
  }

  closeButton.addEventListener("click", close);
  if (targets.problem) cannotAnswer(targets.problem);
  else start();
}
