/** A `fetch` that serves media from an in-memory sandbox's store, as its HTTP routes would. */
import type { Sandbox } from '@wa/sandbox/core';

/** One request the client made through {@link sandboxFetch}. */
export interface FetchCall {
  method: string;
  url: string;
  body: Uint8Array | undefined;
}

/**
 * Routes `POST …/mms/<type>/<token>?auth&token` to `sandbox.media.upload` and `GET …/d/f/<id>.enc`
 * to `sandbox.media.download`, recording every call. `override` may answer a call itself first.
 */
export function sandboxFetch(
  sandbox: Sandbox,
  calls: FetchCall[] = [],
  override?: (call: FetchCall) => Response | undefined,
): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? 'GET';
    const sent: unknown = init?.body;
    const body = sent instanceof Uint8Array ? sent.slice() : undefined;
    const call: FetchCall = { method, url: url.href, body };
    calls.push(call);
    const overridden = override?.(call);
    if (overridden) return overridden;
    if (method === 'POST' && url.pathname.startsWith('/mms/')) {
      const answer = sandbox.media.upload({ path: url.pathname, auth: url.searchParams.get('auth'), token: url.searchParams.get('token'), body: body ?? new Uint8Array() });
      return new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    }
    const blob = method === 'GET' ? sandbox.media.download(url.href) : undefined;
    return blob ? new Response(blob as Uint8Array<ArrayBuffer>, { status: 200 }) : new Response('{"error":"NOT_FOUND"}', { status: 404 });
  };
}
