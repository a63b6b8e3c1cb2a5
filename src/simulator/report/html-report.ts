/** The HTML report of a simulation: the result seen as a deployment story, drawn by the shared renderer. */
import type { SimulationResult } from '../engine/result.js';
import { viewOfSimulation } from '../../html-report/from-simulation.js';
import { renderHtml } from '../../html-report/render-html.js';

export function htmlReport(result: SimulationResult): string {
  return renderHtml(viewOfSimulation(result));
}
