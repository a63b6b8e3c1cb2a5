/**
 * Imports a user module (hook or application) by absolute path and picks one
 * export. Failures become SimulatorSetupError with a one-line message naming
 * the file and export, which the CLI turns into exit 2.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ERROR_CODES, HookError } from '../../errors.js';

/** The scenario cannot be set up (module missing, export missing, port in use): a usage-level error. */
export class SimulatorSetupError extends HookError {
  constructor(message: string, options?: ErrorOptions) {
    super(ERROR_CODES.SIMULATOR, message, options);
    this.name = 'SimulatorSetupError';
  }
}

let instance = 0;

/**
 * Imports `file` and returns its export `exportName`. With `fresh`, the module
 * gets a new instance (a query string on its URL), as a new Lambda function
 * would: hook modules keep SDK clients between invocations, and a client
 * made for one simulation's emulator must not be reused by the next.
 */
export async function importFunction<T extends (...args: never[]) => unknown>(
  file: string,
  exportName: string,
  what: string,
  opts: { fresh?: boolean } = {},
): Promise<T> {
  if (!existsSync(file)) throw new SimulatorSetupError(`${what} module not found: ${file}`);
  let mod: Record<string, unknown>;
  try {
    const url = pathToFileURL(file).href + (opts.fresh ? `?simulation=${++instance}` : '');
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new SimulatorSetupError(`${what} module ${file} cannot be imported: ${message}`, { cause: err });
  }
  // tsx loads a .ts file in a folder without "type": "module" as CommonJS: exports sit under default.
  const fn = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function') {
    const exported = Object.keys(mod).filter((k) => typeof mod[k] === 'function');
    throw new SimulatorSetupError(
      `${what} module ${file} has no exported function "${exportName}"${exported.length ? ` (it exports: ${exported.join(', ')})` : ''}`,
    );
  }
  return fn as T;
}
