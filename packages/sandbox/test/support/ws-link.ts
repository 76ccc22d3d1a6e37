/** Connects a MiniClient to a running sandbox over a real WebSocket (Node only). */
import WebSocket from 'ws';
import { MiniClient, type ClientLink } from './mini-client.ts';

export const WHATSAPP_ORIGIN = 'https://web.whatsapp.com';

/** Opens a socket sending `origin` (`null`: no Origin header at all). */
export function openWebSocket(url: string, origin: string | null = WHATSAPP_ORIGIN): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin === null ? {} : { origin });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

export async function wsClient(url: string, clientId?: string): Promise<MiniClient> {
  const socket = await openWebSocket(url);
  const link: ClientLink = {
    onmessage: null,
    onclose: null,
    send: (data) => socket.send(data),
    close: () => socket.close(),
  };
  socket.on('message', (data: Buffer, isBinary: boolean) => link.onmessage?.(isBinary ? new Uint8Array(data) : data.toString()));
  socket.on('close', (code: number, reason: Buffer) => link.onclose?.({ code, reason: reason.toString() }));
  return new MiniClient(link, clientId);
}
