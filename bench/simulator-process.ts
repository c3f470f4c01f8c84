/**
 * The simulator in a process of its own, for benches that measure another process's CPU: prints its
 * URL on one line, stops on SIGTERM.
 */
import { startSimulator } from '../src/simulator/index.js';

const sim = await startSimulator({ port: 0, seed: 1 });
process.stdout.write(`${sim.url}\n`);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
