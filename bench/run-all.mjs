// Runs every bench/*.bench.mjs one after the other (each in its own process, so one benchmark's
// garbage does not slow the next) and lists the result files they wrote.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
// The client package's `bench` (`run-all.mjs session`) is the end-to-end group: the session
// benchmarks, the soak (1,000 clients on one sandbox, about 3.5 minutes) and the comparison with
// Baileys 3.5.3 (ingest.bench.mjs). The sandbox package's `bench` runs scale.bench.mjs.
const groups = { session: ['session', 'soak', 'ingest'] };
const only = process.argv.slice(2).flatMap((name) => groups[name] ?? [name]);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.startsWith(wanted)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ['--expose-gc', file], { cwd: benchDir, stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
console.log(`\n${files.length - failed} benchmarks ran, ${failed} failed; results in bench/results/`);
process.exit(failed === 0 ? 0 : 1);
