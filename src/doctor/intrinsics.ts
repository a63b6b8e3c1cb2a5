/**
 * Small readers for CloudFormation values: which logical id a value points at,
 * and a "shape" string of a value with `${…}` placeholders, enough to tell
 * `arn:…:function:x` from `arn:…:function:x:*` without resolving anything.
 */

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The logical id referenced by `{Ref}` or `{Fn::GetAtt}`, if the value is one of those. */
export function refTarget(value: unknown): string | undefined {
  if (!isObj(value)) return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att) && typeof att[0] === 'string') return att[0];
  if (typeof att === 'string') return att.split('.')[0];
  return undefined;
}

/**
 * The value as text with unknown parts written as `${…}`. `Fn::Sub` keeps its
 * template; `Fn::Join` joins its parts; `Ref`/`GetAtt` become `${Id}`/`${Id.Attr}`.
 */
export function shape(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (!isObj(value)) return '${?}';
  if (typeof value.Ref === 'string') return `\${${value.Ref}}`;
  const att = value['Fn::GetAtt'];
  if (Array.isArray(att)) return `\${${att.join('.')}}`;
  const sub = value['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  if (Array.isArray(sub) && typeof sub[0] === 'string') return substitute(sub[0], sub[1]);
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    return join[1].map(shape).join(join[0]);
  }
  return '${?}';
}

/**
 * A `Fn::Sub` template with the variables of its map (`[text, {Var: value}]`)
 * replaced by their shapes: `${Fn}:${Alias}` with `{Fn: !Ref App, Alias: live}`
 * reads as `${App}:live`. Names not in the map stay (pseudo parameters, ids).
 */
function substitute(text: string, vars: unknown): string {
  if (!isObj(vars)) return text;
  return text.replace(/\$\{([^}!][^}]*)\}/g, (whole, name: string) => (Object.hasOwn(vars, name) ? shape(vars[name]) : whole));
}

/** The text of a `Fn::Sub` and the names its variable map defines (which are not logical ids). */
function subParts(sub: unknown): { text?: string; vars: Obj } {
  if (typeof sub === 'string') return { text: sub, vars: {} };
  if (Array.isArray(sub) && typeof sub[0] === 'string') return { text: sub[0], vars: isObj(sub[1]) ? sub[1] : {} };
  return { vars: {} };
}

/** Logical ids that a value mentions anywhere (Ref, GetAtt, and `${Id}` inside Sub). */
export function mentionedIds(value: unknown): Set<string> {
  const ids = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!isObj(v)) return;
    const target = refTarget(v);
    if (target) ids.add(target);
    const { text, vars } = subParts(v['Fn::Sub']);
    if (text) for (const m of text.matchAll(/\$\{([A-Za-z0-9]+)(?:\.[A-Za-z0-9.]+)?\}/g)) if (!Object.hasOwn(vars, m[1]!)) ids.add(m[1]!);
    Object.values(v).forEach(walk);
  };
  walk(value);
  return ids;
}

/** The literal text a value is known to start with (`CodeDeployHook_` in `!Sub CodeDeployHook_${X}`). */
export function staticPrefix(value: unknown, parameters: Obj): string | undefined {
  if (isObj(value) && typeof value.Ref === 'string') {
    const param = parameters[value.Ref];
    if (isObj(param) && typeof param.Default === 'string') return param.Default;
    return undefined;
  }
  const text = shape(value);
  const cut = text.indexOf('${');
  return cut < 0 ? text : text.slice(0, cut);
}

/** `true`/`'true'`/`'True'` and unset count as enabled, as SAM reads `Enabled`. */
export function isEnabled(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.toLowerCase() !== 'false';
  return true;
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
