/**
 * Reads a SAM or CloudFormation template (YAML with short-form intrinsics, or
 * JSON) into plain values, keeping the line of every key so that findings can
 * point at the right place. Short forms become their long forms (`!Ref X` ->
 * `{ Ref: 'X' }`, `!GetAtt A.B` -> `{ 'Fn::GetAtt': ['A', 'B'] }`), so rules
 * only deal with one shape.
 */
import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { ERROR_CODES, HookError } from '../errors.js';

export type TemplateValue = unknown;
export type Path = readonly (string | number)[];

/**
 * A parsed template, or a CodeDeploy appspec (told by its shape: a `Resources`
 * list, or `version`/`Hooks` without `Resources`), and the line (1-based) of
 * each path in it. Template rules find nothing in an appspec and appspec
 * rules nothing in a template.
 */
export interface Template {
  file: string;
  kind: 'template' | 'appspec';
  root: Record<string, unknown>;
  lineOf(path: Path): number;
}

/** The file is unreadable, not YAML/JSON, or not a template; the message names the file. */
export class TemplateError extends HookError {
  readonly file: string;
  constructor(file: string, message: string, options?: ErrorOptions) {
    super(ERROR_CODES.TEMPLATE, `${file}: ${message}`, options);
    this.name = 'TemplateError';
    this.file = file;
  }
}

const INTRINSICS = new Set([
  'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'Not', 'Or', 'ToJsonString', 'Length', 'GetAtt',
]);

/** Reads and parses a template file. Throws TemplateError naming the file. */
export async function readTemplate(file: string): Promise<Template> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TemplateError(file, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`, { cause: error });
  }
  return parseTemplate(text, file);
}

/** Parses template text; `file` is only used in messages. */
export function parseTemplate(text: string, file: string): Template {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new TemplateError(file, `invalid YAML/JSON${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`);
  }
  const lines = new Map<string, number>();
  const lineAt = (offset: number | undefined): number => (offset === undefined ? 0 : lineCounter.linePos(offset).line);
  const root = convert(doc.contents as Node | null, [], lines, lineAt);
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new TemplateError(file, 'not a template: the top level must be a mapping');
  }
  const top = root as Record<string, unknown>;
  const kind = Array.isArray(top.Resources) || (top.Resources === undefined && (Object.hasOwn(top, 'version') || Array.isArray(top.Hooks))) ? 'appspec' : 'template';
  if (kind === 'appspec' && (Object.hasOwn(top, 'os') || Object.hasOwn(top, 'files'))) {
    throw new TemplateError(file, 'an EC2/On-Premises appspec (it has os/files): doctor checks SAM and CloudFormation templates and Lambda and ECS appspecs');
  }
  if (kind === 'template' && (top.Resources === null || typeof top.Resources !== 'object' || Array.isArray(top.Resources))) {
    throw new TemplateError(file, 'not a template: it has no Resources mapping (nor is it an appspec: no version, no Resources or Hooks list)');
  }
  return {
    file,
    kind,
    root: root as Record<string, unknown>,
    // The nearest enclosing path that has a line wins, so a rule can point at a value it built.
    lineOf(path) {
      for (let n = path.length; n >= 0; n--) {
        const line = lines.get(key(path.slice(0, n)));
        if (line) return line;
      }
      return 1;
    },
  };
}

function key(path: Path): string {
  return JSON.stringify(path);
}

function convert(node: Node | null, path: Path, lines: Map<string, number>, lineAt: (o: number | undefined) => number): unknown {
  if (node === null || node === undefined) return null;
  if (!lines.has(key(path))) lines.set(key(path), lineAt(node.range?.[0]));
  let value: unknown;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPath = [...path, k];
      lines.set(key(childPath), lineAt((pair.key as Node | null)?.range?.[0]));
      out[k] = convert(pair.value as Node | null, childPath, lines, lineAt);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item, i) => convert(item as Node | null, [...path, i], lines, lineAt));
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = null;
  }
  return applyTag(node.tag, value);
}

function applyTag(tag: string | undefined, value: unknown): unknown {
  if (!tag || !tag.startsWith('!') || tag.startsWith('!!')) return value;
  const name = tag.slice(1);
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if (INTRINSICS.has(name)) return { [`Fn::${name}`]: value };
  return value;
}
