export { renderHtml } from './render-html.js';
export { viewOfSimulation } from './from-simulation.js';
export type * from './view.js';
