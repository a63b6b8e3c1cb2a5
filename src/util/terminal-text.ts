/**
 * Text from outside (log lines, API answers) made safe to print to a
 * terminal: control characters are written out as `\xNN` instead of being
 * sent, so an escape sequence in a verdict line cannot retitle the window,
 * clear the screen, recolour or overwrite what explain printed (a carriage
 * return would let a line print over itself). Newline and tab stay: the text
 * is laid out with them.
 */

/** C0 controls except tab (09) and newline (0a), DEL, and the C1 controls (ESC sequences start with 1b, or 9b for CSI). */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function terminalText(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** `value` with every string in it (object keys too) passed through terminalText; a copy, for JSON-like data. */
export function terminalSafe<T>(value: T): T {
  return safe(value, new Map()) as T;
}

function safe(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === 'string') return terminalText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(safe(v, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  // defineProperty: a key named __proto__ stays a plain key, as JSON.parse made it.
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, terminalText(k), { value: safe(v, seen), enumerable: true, writable: true, configurable: true });
  return out;
}
