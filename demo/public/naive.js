// The vendor's integration guide done by hand (for comparison in `npm run bench`): fetch the
// token on click, then HumanConnect.open(). No guard, no types, no clean-up beyond the vendor's.
document.getElementById("connect-button").addEventListener("click", async () => {
  const response = await fetch("/api/connect-token", { method: "POST" });
  const { token } = await response.json();
  window.HumanConnect.open({
    token,
    baseURL: document.querySelector('meta[name="connect-base-url"]').content,
    onClose: (response) => console.log("user closed connect", response.status),
  });
});
document.documentElement.dataset.ready = "true";
