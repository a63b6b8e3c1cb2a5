/**
 * Lambda's Node runtime ends an invocation once the event loop has nothing
 * left to do, whether or not the handler's promise settled. The runtime's
 * timers are unref()'d (a finished hook must not hold a process), so a check
 * or a middy handler waiting on nothing the loop can see would end the
 * process unreported. These cases run in a child process where nothing else
 * is pending (no emulator, no loopback server, no test runner).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../fixtures/processes/lone-hook.ts', import.meta.url));

function runAlone(adapter: string, mode: string): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, adapter, mode], { timeout: 20_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      resolve(stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
    });
  });
}

describe('Runtime: an invocation holds the event loop until it has reported', () => {
  it.each([
    ['defineHook', 'hang-check'],
    ['middy', 'hang-check'],
    ['middy', 'hang-handler'],
  ])('%s with %s reports Failed before the process may end', async (adapter, mode) => {
    const lines = await runAlone(adapter, mode);
    expect(lines.at(-1)).toEqual({ exit: true, reports: ['Failed'] });
    // The defineHook/middy promise settled with the verdict before the process ended.
    if (mode === 'hang-check') expect(lines).toContainEqual({ verdict: 'Failed' });
  });

  it('a healthy invocation lets the process end as soon as it has reported', async () => {
    const started = Date.now();
    const lines = await runAlone('defineHook', 'pass');
    expect(lines).toEqual([{ verdict: 'Succeeded' }, { exit: true, reports: ['Succeeded'] }]);
    // Not held until the 1.5 s budget plus the hold's margin: the hold is released on report.
    // (Bounded loosely: process start-up with tsx dominates and varies with load.)
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
