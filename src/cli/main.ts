/**
 * `codedeploy-hooks` command line: dispatches to `simulate`, `emulator`,
 * `doctor` and `explain`. Returns the exit code instead of calling process.exit so tests
 * can call it in-process and the bin script stays one line.
 * Exit codes: 0 success, 1 deployment failed or findings, 2 usage/setup error.
 */
import { HookError } from '../errors.js';
import { packageVersion } from '../package-version.js';
import { CliUsageError, helpText } from './usage.js';

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        process.stdout.write(helpText());
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
        process.stdout.write(`${await packageVersion()}\n`);
        return 0;
      case 'simulate': {
        const { runSimulateCommand } = await import('./simulate-command.js');
        return await runSimulateCommand(rest);
      }
      case 'emulator': {
        const { runEmulatorCommand } = await import('./emulator-command.js');
        return await runEmulatorCommand(rest);
      }
      case 'doctor':
        return await runDoctor(rest);
      case 'explain': {
        const { runExplainCommand } = await import('./explain-command.js');
        return await runExplainCommand(rest);
      }
      default:
        throw new CliUsageError(`unknown command "${command}" (expected simulate, emulator, doctor or explain)`);
    }
  } catch (err) {
    return reportError(err);
  }
}

/** One clear line on stderr, exit 2. Unexpected errors keep their stack, but only after the message. */
export function reportError(err: unknown): number {
  if (err instanceof CliUsageError) {
    process.stderr.write(`codedeploy-hooks: ${err.message}\nRun "codedeploy-hooks --help" for usage.\n`);
    return 2;
  }
  if (err instanceof HookError) {
    process.stderr.write(`codedeploy-hooks: ${err.message}\n`);
    if (process.env.CODEDEPLOY_HOOKS_DEBUG && err.cause instanceof Error) process.stderr.write(`${err.cause.stack ?? err.cause.message}\n`);
    return 2;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`codedeploy-hooks: internal error: ${message}\n`);
  if (err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 2;
}

async function runDoctor(argv: string[]): Promise<number> {
  // Loaded only when asked for: simulate and emulator do not pay for the template reader.
  const { runDoctorCommand } = await import('../doctor/cli.js');
  return runDoctorCommand(argv);
}

