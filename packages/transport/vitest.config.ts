import { packageTestConfig } from '../../vitest.shared.ts';

const config = packageTestConfig(import.meta.dirname);

// Both projects (Node and Chromium) get a ws echo server started on the Node side, so the same
// Connection test runs over a real socket on `ws` and on the browser's own WebSocket.
for (const project of config.test?.projects ?? []) {
  if (typeof project === 'object' && 'test' in project && project.test) {
    project.test.globalSetup = ['test/setup/echo-server.global.ts'];
  }
}

export default config;
