export { createTokenIssuer } from "./issuer";
export { DEFAULT_AUTH_URL } from "./options";
export type { TokenIssuerOptions } from "./options";
export type {
  AccessTokenAnswer,
  ConnectToken,
  IdTokenAnswer,
  SessionTokenAnswer,
  TokenIssuer,
  TokenUser,
} from "./types";
export { createTokenHandler, MAX_BODY_BYTES } from "./handler";
export type { TokenHandlerOptions } from "./handler";
export { toNodeHandler } from "./node";
export type { NodeHandlerOptions, NodeNext, NodeRequest, NodeResponse } from "./node";
export { HUMAN_API_ERROR_CODES, HumanApiError, isHumanApiError } from "./errors";
export type { HumanApiErrorCode, HumanApiErrorDetails } from "./errors";
export type { ReturningUserRecord, TokenStore } from "./store";
export { isStoreError, STORE_ERROR_CODES, StoreError } from "./store-error";
export type { StoreErrorCode, StoreOperation } from "./store-error";
