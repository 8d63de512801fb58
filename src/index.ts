export { createConnect } from "./connect";
export { CONNECT_ERROR_CODES, ConnectError, isConnectError } from "./errors";
export type { ConnectErrorCode, ConnectErrorDetails } from "./errors";
export { version } from "./version";
export type {
  Connect,
  ConnectEventName,
  ConnectEvents,
  ConnectOptions,
  ConnectPassThroughOptions,
  ConnectState,
  FixedTokenOptions,
  GetTokenOptions,
  OpenEvent,
  OpenOptions,
  RequestedProvider,
  SessionResult,
  SessionStatus,
  Source,
  SourceChange,
  TokenRequestOptions,
  TokenResponse,
  TokenUrlOptions,
} from "./types";
