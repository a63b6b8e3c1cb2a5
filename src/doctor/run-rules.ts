/** Runs every rule over a template and orders the findings by line. */
import type { Finding, Rule } from './finding.js';
import { RULES } from './rules/index.js';
import type { Template } from './template-reader.js';

export function diagnose(template: Template, rules: readonly Rule[] = RULES): Finding[] {
  const findings = rules.flatMap((rule) => rule.check(template));
  return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
