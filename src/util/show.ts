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
