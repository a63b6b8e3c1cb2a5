/**
 * A short printable form of any value, for error messages and reasons.
 * Never throws: options and check outcomes may hold null-prototype objects,
 * BigInts, cycles or values whose toString throws.
 */
export function show(value: unknown, max = 120): string {
  let text: string;
  if (value === undefined) text = 'undefined';
  else if (typeof value === 'bigint') text = `${value.toString()}n`;
  else if (typeof value === 'function') text = 'a function';
  else if (value instanceof RegExp) text = value.toString();
  else {
    try {
      text = JSON.stringify(value) ?? 'undefined';
    } catch {
      try {
        text = String(value);
      } catch {
        text = 'an unprintable value';
      }
    }
  }
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** `text` cut to `max` characters, saying how much was cut (so a clipped reason is never mistaken for a whole one). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters cut)`;
}
