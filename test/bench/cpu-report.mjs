// Loaded with `node --import` in front of a benchmarked command: when the process exits,
// writes the CPU time it used since it started (user + system, ms) to BENCH_CPU_OUT.
import fs from 'node:fs';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  fs.writeFileSync(process.env.BENCH_CPU_OUT, String((user + system) / 1000));
});
