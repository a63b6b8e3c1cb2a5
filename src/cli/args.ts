/** Wraps node:util parseArgs (called by `parse`) so that its errors become CliUsageError naming the command. */
import { CliUsageError } from './usage.js';

export function withUsageErrors<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    // parseArgs messages are already precise ("Unknown option '--foo'"); keep only the first line.
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CliUsageError(`${command}: ${message}`);
  }
}

/** A positive number option (at most `max`), or a usage error naming the option. */
export function positiveNumber(name: string, value: string | undefined, max = Number.MAX_VALUE): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CliUsageError(`--${name} expects a positive number, got "${value}"`);
  if (n > max) throw new CliUsageError(`--${name} is at most ${max}, got "${value}"`);
  return n;
}

/** A TCP port option (0–65535), or a usage error. */
export function portNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliUsageError(`--${name} expects a port number between 0 and 65535, got "${value}"`);
  return n;
}
