/** Numbers and times as the report writes them. */
import { formatClock } from '../cli/timeline-printer.js';

/** Three significant digits; whole numbers from 100 on. */
export function num(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 100) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/** Seconds since the start as the CLI's timeline writes them: mm:ss or h:mm:ss. */
export function clock(seconds: number): string {
  return formatClock(seconds).trim();
}
