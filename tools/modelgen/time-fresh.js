#!/usr/bin/env node
'use strict';
// Median wall time of a fresh process, measured the way the reference's tools/bench.js measures its CLI.
// Usage: node time-fresh.js RUNS COMMAND [ARGS...]   (stdout of the command is discarded; prints the median in ms)
const { spawnSync } = require('child_process');
const { performance } = require('perf_hooks');

const [runsArg, cmd, ...args] = process.argv.slice(2);
const runs = Number(runsArg);
const times = [];
for (let i = 0; i < runs; i++) {
  const start = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  times.push(performance.now() - start);
  if (r.status !== 0) {
    process.stderr.write(`${cmd} failed (${r.status}): ${r.stderr}\n`);
    process.exit(1);
  }
}
times.sort((a, b) => a - b);
const m = Math.floor(times.length / 2);
const median = times.length % 2 ? times[m] : (times[m - 1] + times[m]) / 2;
process.stdout.write(`${median.toFixed(1)}\n`);
