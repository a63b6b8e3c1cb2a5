/** Prints findings: one line each plus a summary, or one JSON document. */
import type { Finding } from './finding.js';

export interface Summary {
  errors: number;
  warnings: number;
}

export function summarize(findings: readonly Finding[]): Summary {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

/** `file:line severity RULE Resource: message` then `  fix: …`, and a summary line. */
export function formatText(file: string, findings: readonly Finding[]): string {
  const lines = findings.map((f) => `${file}:${f.line} ${f.severity} ${f.rule} ${f.resource}: ${f.message}\n  fix: ${f.fix}`);
  const { errors, warnings } = summarize(findings);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(findings.length === 0 ? `${file}: no problems found` : `${file}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

export function formatJson(file: string, findings: readonly Finding[]): string {
  return `${JSON.stringify({ file, findings, summary: summarize(findings) }, null, 2)}\n`;
}
