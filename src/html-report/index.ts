export { renderHtml } from './render-html.js';
export { viewOfSimulation } from './from-simulation.js';
export { viewOfStory } from './from-story.js';
export { storyHtmlReport, writeStoryReport } from './story-report.js';
export type * from './view.js';
