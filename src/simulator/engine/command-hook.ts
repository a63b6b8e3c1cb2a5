/**
 * Runs a hook written in any language as a process, the way Lambda would run
 * its handler: the CodeDeploy event `{"DeploymentId":…,"LifecycleEventHookExecutionId":…}`
 * is the one JSON document on its stdin (the payload a Lambda runtime hands to
 * the handler), and its environment is what a Lambda function's is, pointed
 * at the emulator: AWS_ENDPOINT_URL, AWS_REGION/AWS_DEFAULT_REGION, dummy
 * credentials, AWS_LAMBDA_FUNCTION_NAME/_TIMEOUT/_MEMORY_SIZE/_VERSION, plus
 * the hook's `env`. The host's own AWS_* variables and config files are kept
 * out, so a hook can only reach 127.0.0.1. The process is killed (with its
 * children) when its Lambda timeout passes, in real time. The status comes separately, when
 * the hook calls PutLifecycleEventHookExecutionStatus.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { HookCommand, ScenarioHook } from '../scenario/types.js';
import { lambdaEnv, type AwsEnvironment, type HookInvocation } from './hook-runner.js';
import { realClock } from '../clock/clock.js';

/** The environment of the hook's process: the host's minus every AWS_ variable, then Lambda's. */
export function commandEnv(hook: ScenarioHook, aws: AwsEnvironment): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('AWS_')) env[k] = v;
  const nowhere = join(tmpdir(), 'codedeploy-hooks-no-aws-config');
  return {
    ...env,
    ...lambdaEnv(hook, aws),
    // No profile, endpoint or credentials from the user's ~/.aws reach the hook.
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  };
}

export function runCommandHook(
  hook: ScenarioHook,
  command: HookCommand,
  event: { DeploymentId: string; LifecycleEventHookExecutionId: string },
  aws: AwsEnvironment,
  opts: { captureOutput: boolean },
): Promise<HookInvocation> {
  const started = realClock.now();
  const logs: string[] = [];
  return new Promise((resolve) => {
    let child: ChildProcess;
    // Its own process group, so a timeout kills what a shell started too.
    const options: SpawnOptions = { cwd: command.cwd, env: commandEnv(hook, aws), stdio: 'pipe', detached: process.platform !== 'win32' };
    try {
      child = command.shell !== undefined ? spawn(command.shell, { ...options, shell: true }) : spawn(command.argv![0]!, command.argv!.slice(1), options);
    } catch (err) {
      resolve({ outcome: 'threw', error: `cannot start ${hook.moduleAsWritten}: ${(err as Error).message}`, durationMs: 0, logs });
      return;
    }
    let settled = false;
    const finish = (result: Omit<HookInvocation, 'durationMs' | 'logs'>) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      resolve({ ...result, durationMs: realClock.now() - started, logs });
    };
    const collect = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      logs.push(text);
      if (!opts.captureOutput) stream.write(text);
    };
    child.stdout!.on('data', collect(process.stdout));
    child.stderr!.on('data', collect(process.stderr));
    // Real time: a process in another language cannot have its clock warped (see the README's time model).
    const timer = realClock.setTimer(() => {
      killTree(child);
      finish({ outcome: 'timed-out', error: `Task timed out after ${hook.timeoutSeconds.toFixed(2)} seconds` });
    }, hook.timeoutSeconds * 1000);
    child.on('error', (err) => finish({ outcome: 'threw', error: `cannot start ${hook.moduleAsWritten}: ${err.message}` }));
    child.on('close', (code, signal) => {
      if (code === 0) finish({ outcome: 'returned' });
      else finish({ outcome: 'threw', error: `${hook.moduleAsWritten} exited with ${signal ? `signal ${signal}` : `code ${code}`}${lastLine(logs)}` });
    });
    // A hook that never reads its stdin must not fail on EPIPE.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(`${JSON.stringify(event)}\n`);
  });
}

/** The process and whatever it started (a shell's child): its own process group. */
function killTree(child: ChildProcess): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

function lastLine(logs: string[]): string {
  const line = logs.join('').trim().split('\n').pop()?.trim();
  return line ? `: ${line.slice(0, 300)}` : '';
}
