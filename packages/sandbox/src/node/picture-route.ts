import type { IncomingMessage, ServerResponse } from 'node:http';
import { pictureBytes } from '../profile.js';
import type { Sandbox } from '../sandbox.js';
import { sendJson } from './http-io.js';

/**
 * `GET /pp/<id>.jpg` (and `/pp/<id>-preview.jpg`): the profile and group pictures the sandbox
 * stores (profile.ts), at the `eurl` that `["query","ProfilePicThumb",jid]` answers. Like the
 * real picture hosts they need no credentials (the id is unguessable) and allow any Origin.
 * @example
 * ```ts
 * if (url.pathname.startsWith('/pp/')) return handlePicture(sandbox, request, response, url);
 * ```
 */
export function handlePicture(sandbox: Sandbox, request: IncomingMessage, response: ServerResponse, url: URL): void {
  const headers = { 'access-control-allow-origin': '*' };
  if (request.method !== 'GET' && request.method !== 'HEAD') return sendJson(response, 405, { error: 'METHOD_NOT_ALLOWED', message: 'GET /pp/<id>.jpg' }, headers);
  const jpeg = pictureBytes(sandbox.world, url.pathname);
  if (!jpeg) return sendJson(response, 404, { error: 'NOT_FOUND', message: 'no such picture (never set, or replaced)' }, headers);
  response.writeHead(200, { ...headers, 'content-type': 'image/jpeg', 'content-length': jpeg.length, 'cache-control': 'max-age=86400' });
  response.end(request.method === 'HEAD' ? undefined : jpeg);
}
