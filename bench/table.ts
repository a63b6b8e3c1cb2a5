/**
 * Plain-text tables for the bench output (and the README's Performance section): a header,
 * aligned columns, numbers right-aligned.
 */

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^-?[\d.,]+( ?[a-zµ%×x]+)?$/i.test(r[i] ?? '')));
  const cell = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => `| ${cells.map((c, i) => cell(c, i)).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** "1.07x (goal <= 1.15x: met)" */
export function goal(value: number, limit: number, unit: string, better: 'lower' = 'lower'): string {
  const met = better === 'lower' ? value <= limit : value >= limit;
  return `goal <= ${limit}${unit}: ${met ? 'met' : 'MISSED'}`;
}

export function fixed(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : 'n/a';
}
