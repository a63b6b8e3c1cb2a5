/** What a Lambda `LogType: Tail` log looks like, for the clients' conformance tests. */

/** The lines of a Lambda `LogType: Tail` log (decoded), in the runtime's format. */
export const LAMBDA_LOG = {
  start: /^START RequestId: ([0-9a-f-]{36}) Version: (\S+)$/,
  end: /^END RequestId: ([0-9a-f-]{36})$/,
  report: /^REPORT RequestId: ([0-9a-f-]{36})\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: \d+ MB\tMax Memory Used: \d+ MB\t?$/,
};

/**
 * Checks a decoded log tail: START, the function's own lines, END and REPORT,
 * all with one RequestId (and that id, when given). Returns the function's lines.
 */
export function lambdaLogLines(log: string, requestId?: string): { requestId: string; version: string; output: string[]; report: string } {
  const lines = log.replace(/\n$/, '').split('\n');
  const start = LAMBDA_LOG.start.exec(lines[0] ?? '');
  const end = LAMBDA_LOG.end.exec(lines[lines.length - 2] ?? '');
  const report = LAMBDA_LOG.report.exec(lines[lines.length - 1] ?? '');
  if (!start || !end || !report) throw new Error(`not a Lambda log tail (START … END … REPORT):\n${log}`);
  const ids = new Set([start[1], end[1], report[1], ...(requestId ? [requestId] : [])]);
  if (ids.size !== 1) throw new Error(`the log's RequestIds differ: ${[...ids].join(', ')}`);
  return { requestId: start[1]!, version: start[2]!, output: lines.slice(1, -2), report: lines[lines.length - 1]! };
}
