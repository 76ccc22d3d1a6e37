// Makes sure the browser half of the test suite can run: finds the system Chromium and installs
// it with apt-get when it is missing and we are root. Without a browser the suite fails loudly
// instead of silently running half of itself; WA_TEST_BROWSER=0 runs the Node half alone.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const found = () => candidates.find((path) => existsSync(path));

if (process.env.WA_TEST_BROWSER === '0') {
  console.log('[prepare-browser] WA_TEST_BROWSER=0: browser tests skipped by request');
  process.exit(0);
}
if (!found()) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('[prepare-browser] Chromium missing: installing it with apt-get (one time)...');
    try {
      execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
        stdio: 'inherit',
      });
    } catch (error) {
      console.error(`[prepare-browser] apt-get failed: ${error.message}`);
    }
  }
}
const chromium = found();
if (!chromium) {
  console.error(
    '[prepare-browser] no Chromium found and it could not be installed. Install it (apt-get install chromium), ' +
      'point CHROMIUM_PATH at one, or set WA_TEST_BROWSER=0 to run the Node tests only.',
  );
  process.exit(1);
}
console.log(`[prepare-browser] browser tests run in ${chromium}`);
