// Shared helpers of the benchmarks (timing, machine description, result files). Timing: warm up, then time several samples and report the
// median, so one GC pause or frequency change does not decide the result.
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

/**
 * Runs `fn` repeatedly for about `minMs` (after a warm-up of a fifth of that) in `samples`
 * rounds, and returns the median rate. `fn` should do one whole unit of work per call.
 * @param {() => unknown} fn
 * @param {{ minMs?: number, samples?: number }} [options]
 * @returns {{ opsPerSec: number, msPerOp: number, iterations: number, samples: number[] }}
 * @example
 * const { opsPerSec } = measure(() => JSON.parse(text), { minMs: 2000 });
 */
export function measure(fn, { minMs = 1000, samples = 5 } = {}) {
  let sink;
  const warmUntil = performance.now() + minMs / 5;
  while (performance.now() < warmUntil) sink = fn();
  globalThis.gc?.();
  const rates = [];
  let iterations = 0;
  const sampleMs = minMs / samples;
  for (let s = 0; s < samples; s++) {
    let count = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      sink = fn();
      count += 1;
      elapsed = performance.now() - start;
    } while (elapsed < sampleMs);
    rates.push((count * 1000) / elapsed);
    iterations += count;
  }
  keep(sink);
  rates.sort((a, b) => a - b);
  const opsPerSec = rates[Math.floor(rates.length / 2)];
  return { opsPerSec, msPerOp: 1000 / opsPerSec, iterations, samples: rates };
}

/** Holds on to a result so the engine cannot drop the work that produced it. */
let kept;
function keep(value) {
  kept = value;
  return kept;
}

/**
 * A description of the machine and runtime, stored beside every result.
 * @example
 * writeFileSync(out, JSON.stringify({ machine: machineInfo(), results }, null, 2));
 */
export function machineInfo() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    memoryGB: Math.round(totalmem() / 2 ** 30),
    platform: `${platform()} ${release()} ${arch()}`,
    node: process.version,
    v8: process.versions.v8,
    // A busy machine slows subject and baseline alike; the ratios stay meaningful, the rates less so.
    loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

/**
 * Writes `bench/results/<name>.json` (pretty JSON, trailing newline) and says so.
 * @example
 * writeResult('codec', { benchmark: 'codec', machine: machineInfo(), results });
 */
export function writeResult(name, result) {
  const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote bench/results/${name}.json`);
}
