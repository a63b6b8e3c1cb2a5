import { AwsServiceError } from './aws-error.js';

/**
 * The basics of CloudWatch Logs filter pattern syntax, enough for the
 * searches people and tools run over hook logs:
 * - empty: every event;
 * - terms: `ERROR "hook verdict"` (every term, case-sensitive), `?ERROR ?WARN`
 *   (any of them), `-DEBUG` (none of them);
 * - JSON: `{ $.deploymentId = "d-ABC" && $.durationMs > 100 }` with `=` `!=`
 *   (strings, `*` wildcard, numbers), `<` `<=` `>` `>=` (numbers), `&&`, `||`.
 * Space-delimited (`[...]`) and regular-expression (`%...%`) patterns, and
 * parentheses in JSON patterns, are refused with InvalidParameterException
 * rather than matched wrongly.
 */
export type LogFilter = (message: string) => boolean;

export function compileFilterPattern(pattern: string | undefined): LogFilter {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  if (text.startsWith('{')) return jsonFilter(text);
  if (text.startsWith('[') || text.startsWith('%')) throw unsupported(text, 'space-delimited and regular-expression patterns are not supported');
  return termFilter(text);
}

function unsupported(pattern: string, why: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', `Invalid filter pattern ${JSON.stringify(pattern)}: ${why} by the codedeploy-hooks emulator.`);
}

function invalid(pattern: string, why: string): AwsServiceError {
  return new AwsServiceError('InvalidParameterException', `Invalid filter pattern ${JSON.stringify(pattern)}: ${why}.`);
}

/** Splits on white space, keeping "quoted phrases" (with their prefix: ?"a b", -"a b") whole. */
function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (const m of text.matchAll(re)) out.push(`${m[1]}${m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]}`);
  return out;
}

function termFilter(text: string): LogFilter {
  if ((text.match(/"/g)?.length ?? 0) % 2 !== 0) throw invalid(text, 'unbalanced quotes');
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const t of tokens(text)) {
    if (t.startsWith('?') && t.length > 1) any.push(t.slice(1));
    else if (t.startsWith('-') && t.length > 1) none.push(t.slice(1));
    else all.push(t);
  }
  return (message) =>
    all.every((t) => message.includes(t)) && (any.length === 0 || any.some((t) => message.includes(t))) && !none.some((t) => message.includes(t));
}

interface Condition {
  path: string[];
  op: '=' | '!=' | '<' | '<=' | '>' | '>=';
  value: string | number;
  quoted: boolean;
}

function jsonFilter(text: string): LogFilter {
  if (!text.endsWith('}')) throw invalid(text, 'a JSON pattern must end with }');
  const body = text.slice(1, -1).trim();
  if (/[()]/.test(body.replace(/"(?:[^"\\]|\\.)*"/g, ''))) throw unsupported(text, 'parentheses in JSON patterns are not supported');
  // || binds looser than &&: a list of alternatives, each a list of conditions that must all hold.
  const alternatives = body.split(/\|\|(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((alt) =>
    alt.split(/&&(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((c) => condition(c.trim(), text)),
  );
  return (message) => {
    let record: unknown;
    try {
      record = JSON.parse(message);
    } catch {
      return false;
    }
    return alternatives.some((conds) => conds.every((c) => holds(c, record)));
  };
}

function condition(text: string, pattern: string): Condition {
  const m = /^\$((?:\.[A-Za-z_$][\w$-]*|\[\d+\])+)\s*(!=|<=|>=|=|<|>)\s*(?:"((?:[^"\\]|\\.)*)"|(\S+))$/.exec(text);
  if (!m) throw invalid(pattern, `cannot read the condition ${JSON.stringify(text)} (expected $.field = value)`);
  const path = [...m[1]!.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)].map((p) => p[1] ?? p[2]!);
  const op = m[2] as Condition['op'];
  const quoted = m[3] !== undefined;
  const raw = quoted ? m[3]!.replace(/\\(.)/g, '$1') : m[4]!;
  const numeric = !quoted && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw);
  if ((op === '<' || op === '<=' || op === '>' || op === '>=') && !numeric) throw invalid(pattern, `${op} needs a number, got ${raw}`);
  return { path, op, value: numeric ? Number(raw) : raw, quoted };
}

function holds(c: Condition, record: unknown): boolean {
  let v: unknown = record;
  for (const key of c.path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return false;
    v = (v as Record<string, unknown>)[key];
  }
  if (typeof c.value === 'number') {
    if (typeof v !== 'number') return false;
    switch (c.op) {
      case '=': return v === c.value;
      case '!=': return v !== c.value;
      case '<': return v < c.value;
      case '<=': return v <= c.value;
      case '>': return v > c.value;
      case '>=': return v >= c.value;
    }
  }
  // Unquoted true/false/null compare with the JSON literal; anything else as text.
  const actual = !c.quoted && (c.value === 'true' || c.value === 'false' || c.value === 'null') ? String(v) : typeof v === 'string' ? v : undefined;
  if (actual === undefined) return c.op === '!=';
  const equal = wildcard(c.value).test(actual);
  return c.op === '=' ? equal : !equal;
}

function wildcard(value: string): RegExp {
  return new RegExp(`^${value.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
