/**
 * Preloaded (`node --import`) into a process a bench measures: at exit it writes the process's CPU
 * time (user + system, µs, all its threads) to the file named by LPSYNC_BENCH_CPU_FILE.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.LPSYNC_BENCH_CPU_FILE;
if (file)
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify(process.cpuUsage()));
  });
