import { afterEach } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../src/node/start-sandbox.ts';

/**
 * Returns a `start` function for a test file: every sandbox it starts is closed after each test,
 * so a failing test never leaves a port or a timer behind.
 */
export function trackedSandboxes(): (options?: Parameters<typeof startSandbox>[0]) => Promise<RunningSandbox> {
  let running: RunningSandbox[] = [];
  afterEach(async () => {
    await Promise.all(running.map((sandbox) => sandbox.close()));
    running = [];
  });
  return async (options = {}) => {
    const sandbox = await startSandbox(options);
    running.push(sandbox);
    return sandbox;
  };
}
