/** The JSON report: the whole SimulationResult, stable key order, ISO dates. */
import type { SimulationResult } from '../engine/result.js';

export function jsonReport(result: SimulationResult): string {
  return `${JSON.stringify({ reportVersion: 1, ...result }, null, 2)}\n`;
}
