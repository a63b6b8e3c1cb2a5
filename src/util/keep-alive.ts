/**
 * Every timer of the runtime is unref()'d so that a finished hook never keeps
 * a process (or a test run) alive. The flip side: while a hook is still
 * deciding, a check that waits on nothing the event loop can see (a promise
 * that never settles) would let the loop drain, and Lambda's Node runtime
 * ends an invocation whose loop is empty without waiting for the handler's
 * promise: nothing reported, CodeDeploy waits its hour. So an invocation holds
 * the loop open with one ref'd timer from begin() until it has reported.
 */
export function holdEventLoopUntil(epochMs: number): () => void {
  // Past the Lambda end the runtime stops the function anyway; the margin only
  // covers a clock read a little early.
  const timer = setTimeout(() => {}, Math.max(0, epochMs - Date.now()) + 1000);
  return () => clearTimeout(timer);
}
