/** The simulated clock lives in ../clock (one clock for the whole simulated world); re-exported for the engine's imports. */
export { SimClock } from '../clock/sim-clock.js';
