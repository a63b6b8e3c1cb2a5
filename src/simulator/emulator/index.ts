export { startEmulator, EmulatorListenError } from './server.js';
export type { Emulator, EmulatorOptions } from './server.js';
export { FaultInjector } from './faults.js';
export type { FaultSpec, FaultKind, FaultHandle } from './faults.js';
