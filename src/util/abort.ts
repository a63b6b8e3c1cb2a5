/**
 * Abort helpers built on setTimeout + AbortController rather than
 * AbortSignal.timeout(), so that fake timers in tests control them too
 * (vitest's fake timers do not drive AbortSignal.timeout).
 */

/** A signal that aborts after `ms` with a TimeoutError-named reason, plus a way to cancel the timer. */
export function timeoutSignal(ms: number, message = `timed out after ${ms} ms`): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const reason = new Error(message);
  reason.name = 'TimeoutError';
  const timer = setTimeout(() => controller.abort(reason), Math.max(0, ms));
  // A pending timer must not keep a finished Lambda (or a test process) alive.
  // Stryker disable next-line OptionalChaining: Node timers always have unref; `?.` is for other runtimes
  timer.unref?.();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** A signal that aborts when any of `signals` aborts, with that signal's reason. */
export function anySignal(signals: (AbortSignal | undefined)[]): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (event: Event) => controller.abort((event.target as AbortSignal).reason);
  for (const s of present) {
    if (s.aborted) {
      controller.abort(s.reason);
      break;
    }
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once; dispose() removes the listener
    s.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => present.forEach((s) => s.removeEventListener('abort', onAbort)),
  };
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      // Stryker disable next-line OptionalChaining: onAbort is registered only on a signal
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      // Stryker disable next-line StringLiteral: a listener left behind only rejects a settled promise
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The reason a signal aborted, as a readable string. */
export function abortReason(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r.message;
  return r === undefined ? 'aborted' : String(r);
}

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (with
 * `reason()` if given, else the signal's reason). For callees that may ignore
 * their signal: the caller stops waiting even if the callee never settles.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal, reason?: () => unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reason ? reason() : signal.reason);
    // Stryker disable next-line ArrowFunction,StringLiteral: a listener left behind only rejects a settled promise
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    if (signal.aborted) return onAbort();
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal aborts once
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
