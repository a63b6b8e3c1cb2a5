/** What a doctor rule reports, and the shape every rule has. */
import type { Template } from './template-reader.js';

export type Severity = 'error' | 'warning';

export interface Finding {
  /** Stable rule id, e.g. `CDH001`. */
  rule: string;
  severity: Severity;
  /** Logical id of the resource at fault. */
  resource: string;
  /** 1-based line in the template. */
  line: number;
  message: string;
  /** What to change, in one sentence. */
  fix: string;
}

export interface Rule {
  id: string;
  title: string;
  check(template: Template): Finding[];
}
