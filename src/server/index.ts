export { createTokenIssuer, DEFAULT_AUTH_URL } from "./issuer";
export type {
  AccessTokenAnswer,
  ConnectToken,
  IdTokenAnswer,
  SessionTokenAnswer,
  TokenIssuer,
  TokenIssuerOptions,
  TokenUser,
} from "./issuer";
export { createTokenHandler, MAX_BODY_BYTES } from "./handler";
export type { TokenHandlerOptions } from "./handler";
export { toNodeHandler } from "./node";
export type { NodeHandlerOptions, NodeNext, NodeRequest, NodeResponse } from "./node";
export { HUMAN_API_ERROR_CODES, HumanApiError, isHumanApiError } from "./errors";
export type { HumanApiErrorCode, HumanApiErrorDetails } from "./errors";
