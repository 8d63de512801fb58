// The vendor's guide, "Launch Connect in the browser", as written (in prettier's layout), but for
// where the token and the Connect URL come from: the page's button, which the server rendered them
// into (the CSP allows no inline script to hold them).
/* global HumanConnect */
const rendered = document.querySelector(".hapi__token-container [data-hapi-token]");

function startConnect() {
  // calling HumanConnect.open will start a modal view in your page.
  HumanConnect.open({
    token: rendered.getAttribute("data-hapi-token"), // "session_token" or "id_token"
    baseURL: rendered.getAttribute("data-hapi-base-url"),
    onClose: function (response) {
      console.log("user closed connect", response);
    },
  });
}

// call startConnect when a user clicks the button
document.getElementById("connect-btn").onclick = startConnect;
