/**
 * A small typed reader over parsed YAML that knows where it is: every error
 * names the file, the JSON path and (when the YAML node is known) the line,
 * and says what was expected and what was found. Unknown keys are errors,
 * because a misspelled key silently ignored is how scenarios lie.
 */
import { isMap, isScalar, isSeq, LineCounter, type Document } from 'yaml';
import { ScenarioError } from '../../errors.js';
import { closestMatch } from '../../util/edit-distance.js';
import { isReservedKey } from '../state/safe-keys.js';

type Key = string | number;

export class ScenarioReader {
  constructor(
    private readonly file: string,
    private readonly doc?: Document,
    private readonly lines?: LineCounter,
  ) {}

  /** Throws a ScenarioError at `path`. */
  fail(path: Key[], message: string): never {
    const where = formatPath(path);
    const line = this.lineOf(path);
    throw new ScenarioError(`${this.file}:${where}`, line === undefined ? message : `${message} (line ${line})`);
  }

  object(value: unknown, path: Key[], allowed: readonly string[], required: readonly string[] = []): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `expected a mapping with keys ${allowed.join(', ')}, got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        const hint = closest(key, allowed);
        this.fail([...path, key], `unknown key "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed.join(', ')}`);
      }
    }
    for (const key of required) {
      if (record[key] === undefined || record[key] === null) this.fail([...path, key], `is required`);
    }
    return record;
  }

  /**
   * A mapping with free-form keys whose values are strings (env vars, dimensions).
   * Reserved names (`__proto__`, see safe-keys.ts) are refused: assigned here
   * one would be silently dropped, and passed on it could replace a prototype.
   */
  stringMap(value: unknown, path: Key[]): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, `expected a mapping of names to strings, got ${describe(value)}`);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (isReservedKey(k)) this.fail([...path, k], `"${k}" is a reserved name and cannot be used as a key`);
      if (typeof v === 'string') out[k] = v;
      else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else this.fail([...path, k], `expected a string, got ${describe(v)}`);
    }
    return out;
  }

  string(value: unknown, path: Key[], fallback?: string): string {
    if (value === undefined || value === null) {
      if (fallback !== undefined) return fallback;
      this.fail(path, 'is required (a string)');
    }
    if (typeof value !== 'string' || value.length === 0) this.fail(path, `expected a non-empty string, got ${describe(value)}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: Key[], options: readonly T[], fallback?: T): T {
    if ((value === undefined || value === null) && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || !options.includes(value as T)) {
      this.fail(path, `expected one of ${options.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  }

  number(value: unknown, path: Key[], opts: { min?: number; max?: number; integer?: boolean; fallback?: number } = {}): number {
    if (value === undefined || value === null) {
      if (opts.fallback !== undefined) return opts.fallback;
      this.fail(path, 'is required (a number)');
    }
    const range = rangeText(opts);
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(path, `expected a number${range}, got ${describe(value)}`);
    if (opts.integer && !Number.isInteger(value)) this.fail(path, `expected an integer${range}, got ${value}`);
    if ((opts.min !== undefined && value < opts.min) || (opts.max !== undefined && value > opts.max)) {
      this.fail(path, `expected a number${range}, got ${value}`);
    }
    return value;
  }

  boolean(value: unknown, path: Key[], fallback: boolean): boolean {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') this.fail(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  array(value: unknown, path: Key[]): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `expected a list, got ${describe(value)}`);
    return value;
  }

  private lineOf(path: Key[]): number | undefined {
    if (!this.doc || !this.lines) return undefined;
    // Walk down as far as the document has nodes, so a missing key points at its parent.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, depth), true);
      if (node && (isMap(node) || isSeq(node) || isScalar(node)) && node.range) {
        return this.lines.linePos(node.range[0]).line;
      }
    }
    return undefined;
  }
}

export function formatPath(path: Key[]): string {
  if (path.length === 0) return '(root)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  return `${typeof value} ${String(value)}`;
}

function rangeText(opts: { min?: number; max?: number }): string {
  if (opts.min !== undefined && opts.max !== undefined) return ` between ${opts.min} and ${opts.max}`;
  if (opts.min !== undefined) return ` >= ${opts.min}`;
  if (opts.max !== undefined) return ` <= ${opts.max}`;
  return '';
}

function closest(key: string, allowed: readonly string[]): string | undefined {
  return closestMatch(key, allowed);
}
