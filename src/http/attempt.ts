/**
 * How one attempt ended:
 * - `answer`: the work finished in time with `value`;
 * - `timeout`: the time limit came first (`status`: the HTTP status, when headers had arrived);
 * - `failed`: the work threw or rejected first (for a fetch: a network error), with its `cause`;
 * - `aborted`: the outer signal aborted first.
 */
export type Attempt<T> =
  | { kind: "answer"; value: T }
  | { kind: "timeout"; status?: number }
  | { kind: "failed"; cause: unknown; status?: number }
  | { kind: "aborted" };

/** The limits of one attempt. */
export interface AttemptLimits {
  /** Milliseconds until the attempt is abandoned (and its signal aborts). */
  timeoutMs: number;
  /**
   * Abandons the attempt as soon as it aborts.
   * @default undefined (only the time limit ends it)
   */
  signal?: AbortSignal;
}

/**
 * Runs `work` once, with a signal that aborts at `timeoutMs` or when `limits.signal` aborts. The
 * attempt settles at the limit even when `work` ignores its signal; what `work` settles with later
 * is dropped. Never rejects.
 *
 * @example
 * ```ts
 * const result = await attempt((signal) => getToken({ signal }), { timeoutMs: 10_000, signal });
 * if (result.kind === "timeout") throw tooSlow();
 * ```
 */
export function attempt<T>(
  work: (signal: AbortSignal) => T | PromiseLike<T>,
  limits: AttemptLimits,
): Promise<Attempt<T>> {
  const outer = limits.signal;
  if (outer?.aborted) return Promise.resolve({ kind: "aborted" });
  const controller = new AbortController();
  return new Promise<Attempt<T>>((resolve) => {
    let done = false;
    // The one place the timer is cleared and the outer listener removed, however the attempt ends.
    const settle = (result: Attempt<T>, abortReason?: unknown) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
      resolve(result);
      if (result.kind === "timeout" || result.kind === "aborted") controller.abort(abortReason);
    };
    const onAbort = () => settle({ kind: "aborted" }, outer?.reason);
    const timer = setTimeout(() => settle({ kind: "timeout" }), limits.timeoutMs);
    outer?.addEventListener("abort", onAbort, { once: true });
    new Promise<T>((run) => run(work(controller.signal))).then(
      (value) => settle({ kind: "answer", value }),
      (cause: unknown) => settle({ kind: "failed", cause }),
    );
  });
}

/** One HTTP request for {@link fetchAttempt}. */
export interface FetchAttemptRequest<T> extends AttemptLimits {
  /** Where to send it. */
  url: string | URL;
  /** Method, headers and body; the attempt supplies the signal. */
  init: Omit<RequestInit, "signal">;
  /** Reads the answer within the same time limit; a throw ends the attempt as `failed`. */
  read: (response: Response) => T | PromiseLike<T>;
  /**
   * The `fetch` to call; it may ignore its signal.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
}

/**
 * One HTTP request with a time limit, run by {@link attempt}: `failed` is a network error (or a
 * throw from `read`), and `timeout` and `failed` carry the HTTP status when headers had arrived.
 *
 * @example
 * ```ts
 * const result = await fetchAttempt({ url, init: { method: "POST" }, read: (r) => r.text(), timeoutMs: 10_000 });
 * if (result.kind === "answer") use(result.value);
 * ```
 */
export async function fetchAttempt<T>(request: FetchAttemptRequest<T>): Promise<Attempt<T>> {
  const send = request.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args));
  let status: number | undefined;
  const result = await attempt(async (signal) => {
    const response = await send(request.url, { ...request.init, signal });
    // A custom fetch may resolve to something that is no Response: `read` decides what that means.
    const seen = (response as Partial<Response> | undefined)?.status;
    if (typeof seen === "number") status = seen;
    return request.read(response);
  }, request);
  return status !== undefined && (result.kind === "timeout" || result.kind === "failed")
    ? { ...result, status }
    : result;
}

/**
 * The delay before retry number `attempt + 1`: `baseMs * 2^attempt`, with jitter (between half
 * and all of it) so that many clients that failed together do not retry together.
 *
 * @example
 * ```ts
 * await sleep(backoffMs(0, 250)); // 125 to 250 ms
 * ```
 */
export function backoffMs(attempt: number, baseMs: number): number {
  return baseMs * 2 ** attempt * (0.5 + Math.random() / 2);
}
