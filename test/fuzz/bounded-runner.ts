/**
 * Runs fuzz cases in a long-lived child process (fuzz-child.ts), one at a
 * time, each bounded in wall-clock time: a case that does not answer within
 * `perRunMs` is reported as 'timeout' and the child is killed and restarted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FuzzAnswer, FuzzCase } from './fuzz-child.js';

const here = dirname(fileURLToPath(import.meta.url));

export class BoundedRunner {
  private child?: ChildProcess;
  private next = 0;

  constructor(readonly perRunMs: number) {}

  private async start(): Promise<ChildProcess> {
    const child = fork(join(here, 'fuzz-child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    await new Promise<void>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('fuzz child did not start within 20 s')), 20_000);
      child.once('message', () => (clearTimeout(timer), ok()));
      child.once('exit', (code) => (clearTimeout(timer), fail(new Error(`fuzz child exited with ${code}`))));
    });
    this.child = child;
    return child;
  }

  /** The child's answer, or 'timeout' (the child is then killed; the next run starts a new one). */
  async run(target: FuzzCase['target'], text: string, file: string): Promise<FuzzAnswer | 'timeout'> {
    const child = this.child ?? (await this.start());
    const id = this.next++;
    return new Promise((done) => {
      const onMessage = (m: FuzzAnswer) => {
        if (m.id !== id) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        done(m);
      };
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        child.kill('SIGKILL');
        this.child = undefined;
        done('timeout');
      }, this.perRunMs);
      child.on('message', onMessage);
      child.send({ id, target, text, file } satisfies FuzzCase);
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}
