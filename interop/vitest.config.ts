import { packageTestConfig } from '../vitest.shared.ts';

// Every interop test opens real TCP sockets (files are named *.node.test.ts); there is nothing
// to run in Chromium, so the browser project is switched off for this package.
process.env.WA_TEST_BROWSER = '0';

export default packageTestConfig(import.meta.dirname, { testTimeout: 30_000 });
