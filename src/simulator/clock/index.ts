export { realClock, sleepOn, type Clock, type ClockTimer } from './clock.js';
export { SimClock, type SimTimer } from './sim-clock.js';
export { assertNoSimulationRunning, warpGlobals } from './warp.js';
