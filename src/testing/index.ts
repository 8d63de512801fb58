export { fakeConnectApp } from "./fake-connect-app";
export type { FakeConnectApp, OpenedWith, SourceInput } from "./fake-connect-app";
export { sessionResult, source } from "./builders";
export { FakeConnectAppError } from "./errors";
export type { FakeConnectAppErrorCode } from "./errors";
export { closeConnect, connectInSandbox, failSignIn, SandboxStepError } from "./sandbox-helpers";
