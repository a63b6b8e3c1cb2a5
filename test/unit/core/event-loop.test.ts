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

function runAlone(adapter: string, mode: string, budgetMs = 1500): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', SCRIPT, adapter, mode, String(budgetMs)], { timeout: 60_000 }, (error, stdout, stderr) => {
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
    expect(lines.at(-1)).toMatchObject({ exit: true, reports: ['Failed'] });
    // The defineHook/middy promise settled with the verdict before the process ended.
    if (mode === 'hang-check') expect(lines).toContainEqual({ verdict: 'Failed' });
  });

  it('a healthy invocation lets the process end as soon as it has reported', async () => {
    // A 60 s budget: a hold not released on report would keep the process up for over a minute.
    const lines = await runAlone('defineHook', 'pass', 60_000);
    expect(lines[0]).toEqual({ verdict: 'Succeeded' });
    expect(lines[1]).toMatchObject({ exit: true, reports: ['Succeeded'] });
    expect(lines[1]!.exitAfterVerdictMs as number).toBeLessThan(30_000);
  });
});
