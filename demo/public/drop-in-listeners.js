// The vendor's README, "Lifecycle hooks", as written (in prettier's layout).
/* global HumanConnect */
HumanConnect.on("close", (response) => {
  console.log("close", response);
});
HumanConnect.on("connect", (response) => {
  console.log("connect", response);
});
HumanConnect.on("disconnect", (response) => {
  console.log("disconnect", response);
});
HumanConnect.on("error", (response) => {
  console.error("error", response);
});
