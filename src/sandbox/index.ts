export { startSandbox } from "./server";
export type { Sandbox, SandboxOptions } from "./server";
export { DEFAULT_PROVIDERS } from "./providers";
export type { SandboxProvider } from "./providers";
export type { TokenIssue } from "./store";
