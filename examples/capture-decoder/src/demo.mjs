// The codec demo: decode the real history frame captured from the live service (in ../shared/vectors)
// and print its node tree and the four WebMessageInfo messages inside it.
import { readFileSync } from 'node:fs';
import { nodeToString, decode } from '@wa/binary-codec';
import { decodeFrame, parseHexInput } from './decode-frame.mjs';

const vectors = new URL('../../../../shared/vectors/captured-frames.json', import.meta.url);
const [frame] = JSON.parse(readFileSync(vectors, 'utf8'));
const bytes = parseHexInput(frame.hex);
console.log(`Captured frame "${frame.name}" (${bytes.length} bytes, ${frame.origin})\n`);
console.log(nodeToString(decode(bytes)));
console.log('\nMessages inside:');
for (const message of decodeFrame(bytes).messages) {
  const text = message.message?.conversation ?? `(${message.messageStubType ?? 'no text'})`;
  const who = message.key.fromMe ? 'me' : message.key.remoteJid;
  console.log(`  [${new Date(Number(message.messageTimestamp) * 1000).toISOString()}] ${who}: ${text}`);
}
