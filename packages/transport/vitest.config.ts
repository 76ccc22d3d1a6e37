import { packageTestConfig } from '../../vitest.shared.ts';

// Both projects (Node and Chromium) get a ws echo server started on the Node side, so the same
// Connection test runs over a real socket on `ws` and on the browser's own WebSocket.
export default packageTestConfig(import.meta.dirname, { globalSetup: ['test/setup/echo-server.global.ts'] });
