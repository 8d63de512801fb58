// What the demo pages say for each error code: the CDN and ESM pages (app.js) and the React page.
export const ERROR_HELP = {
  TOKEN_FETCH_FAILED: "The backend could not give a Connect token.",
  SESSION_TOKEN_EXPIRED: "Connect said the token expired.",
  SESSION_TOKEN_INVALID: "Connect said the token is not valid.",
  MISSING_SESSION_TOKEN: "Connect got no token.",
  ALREADY_OPEN: "Connect is already open.",
  CLIENT_LOAD_FAILED: "The Connect client could not load.",
  ABORTED: "Opening was aborted.",
  DESTROYED: "The connect object was destroyed.",
  INVALID_OPTIONS: "The options are wrong.",
};
