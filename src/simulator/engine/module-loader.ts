/**
 * Imports a user module (hook or application) by absolute path and picks one
 * export. Failures become SimulatorSetupError with a one-line message naming
 * the file and export, which the CLI turns into exit 2.
 */
import { existsSync } from 'node:fs';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ERROR_CODES, HookError } from '../../errors.js';
import { PACKAGE_ROOT } from '../scenario/loader.js';

/** The scenario cannot be set up (module missing, export missing, port in use): a usage-level error. */
export class SimulatorSetupError extends HookError {
  constructor(message: string, options?: ErrorOptions) {
    super(ERROR_CODES.SIMULATOR, message, options);
    this.name = 'SimulatorSetupError';
  }
}

let instance = 0;

/** True when this module is the compiled build (dist/…/module-loader.js), as in an installed package. */
const RUNNING_COMPILED = import.meta.url.endsWith('.js');

/**
 * The file to import for `file`. The built-in scenarios name this package's own
 * TypeScript modules (hooks/pre-traffic.ts, examples/app/handler.ts), which run as
 * written from a clone (vitest, the CLI's tsx). Compiled code runs where nothing may
 * load .ts (an installed package in plain Node, or under a test runner that leaves
 * node_modules alone), so there a .ts module of this package is imported from its
 * compiled copy in dist/ (the build compiles src, hooks and examples: see
 * tsconfig.build.json). Other .ts files, users' own, are imported as they are.
 */
export function runnableModule(file: string): string {
  if (!RUNNING_COMPILED || extname(file) !== '.ts') return file;
  const inPackage = relative(PACKAGE_ROOT, file);
  if (inPackage.startsWith('..') || isAbsolute(inPackage) || inPackage.startsWith(`dist${sep}`)) return file;
  const compiled = resolve(PACKAGE_ROOT, 'dist', `${inPackage.slice(0, -'.ts'.length)}.js`);
  return existsSync(compiled) ? compiled : file;
}

/** What to do about a .ts module plain Node refused, for the error message. */
const TS_HINT =
  ' (Node cannot import TypeScript by itself: run it through the codedeploy-hooks CLI, which loads .ts files with tsx, start node with --import tsx, or point at the compiled .js)';

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
    const url = pathToFileURL(runnableModule(file)).href + (opts.fresh ? `?simulation=${++instance}` : '');
    mod = (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const hint = (err as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION' && extname(file) === '.ts' ? TS_HINT : '';
    throw new SimulatorSetupError(`${what} module ${file} cannot be imported: ${message}${hint}`, { cause: err });
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
