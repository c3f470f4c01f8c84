/** The Live Platform simulator: `startSimulator({ port: 0 })` in tests, `lpsync simulate` on the command line. */
export { startSimulator, type RunningSimulator, type SimulatorSnapshot } from './server.js';
export { DEFAULT_KNOBS, normaliseOptions, SimulatorOptionsError, type SimulatorOptions } from './options.js';
