/**
 * Vitest globalSetup (runs in Node, once per test project): starts a `ws` echo server on
 * 127.0.0.1 so that test/echo-server.test.ts can open a real Connection from Chromium too,
 * where no server can be started. The URL reaches the tests through `inject('echoServerUrl')`.
 *
 * The server answers `tag,["echo", x]` with `tag,{"echo":x}`, `tag,["origin"]` with the Origin
 * header it saw, `tag,["close", code, reason]` by closing, and `?,,` with `!<ms>`.
 */
import type { AddressInfo } from 'node:net';
import type { TestProject } from 'vitest/node';
import { WebSocketServer } from 'ws';

declare module 'vitest' {
  export interface ProvidedContext {
    echoServerUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  server.on('connection', (socket, request) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const text = data.toString();
      if (text === '?,,') {
        socket.send(`!${Date.now()}`);
        return;
      }
      const comma = text.indexOf(',');
      const tag = text.slice(0, comma);
      let command: unknown;
      try {
        command = JSON.parse(text.slice(comma + 1));
      } catch {
        socket.send(`${tag},{"error":"bad json"}`);
        return;
      }
      if (!Array.isArray(command)) return;
      if (command[0] === 'echo') socket.send(`${tag},${JSON.stringify({ echo: command[1] })}`);
      else if (command[0] === 'origin') socket.send(`${tag},${JSON.stringify({ origin: request.headers.origin ?? null })}`);
      else if (command[0] === 'binary') socket.send(new Uint8Array([...Buffer.from(`${tag},`), 0, 0x2c, 0xff]));
      else if (command[0] === 'close') socket.close(Number(command[1]), String(command[2]));
    });
  });
  const { port } = server.address() as AddressInfo;
  project.provide('echoServerUrl', `ws://127.0.0.1:${port}/ws`);
  return () =>
    new Promise<void>((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
}
