import type { IncomingMessage, ServerResponse } from 'node:http';
import { SandboxError } from '../errors.js';

/**
 * Reads a request body of at most `limit` bytes. A declared or streamed body over the limit
 * rejects with `INVALID_ARGUMENT` as soon as it is known, without buffering the rest; the caller
 * answers 413 and closes the connection.
 */
export function readBytes(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = (): SandboxError => new SandboxError('INVALID_ARGUMENT', `request body larger than ${limit} bytes`);
    if (Number(request.headers['content-length']) > limit) return reject(tooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) {
        // Stop buffering; the caller answers 413 and closes the connection.
        chunks.length = 0;
        request.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** Answers with a JSON body (unless an answer went out already). */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}
