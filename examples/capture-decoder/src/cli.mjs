#!/usr/bin/env node
// wa-decode: decode captured legacy WhatsApp Web binary frames to readable JSON.
//   wa-decode <hex>                         a decrypted frame (node bytes)
//   wa-decode --enc-key <hex> --mac-key <hex> <hex>   a sealed frame (HMAC ‖ IV ‖ ciphertext)
//   wa-decode --file frames.txt              one hex frame per line
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { fromHex } from '@wa/crypto';
import { decodeFrame, parseHexInput } from './decode-frame.mjs';

const usage = 'usage: wa-decode [--enc-key HEX --mac-key HEX] (--file FILE | HEX...)';
let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'enc-key': { type: 'string' },
      'mac-key': { type: 'string' },
      file: { type: 'string', short: 'f' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  console.error(`${error.message}\n${usage}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (!!values['enc-key'] !== !!values['mac-key']) {
  console.error('give both --enc-key and --mac-key, or neither');
  process.exit(2);
}
const keys = values['enc-key'] ? { encKey: fromHex(values['enc-key']), macKey: fromHex(values['mac-key']) } : undefined;
const inputs = values.file
  ? readFileSync(values.file, 'utf8').split('\n').filter((line) => line.trim() !== '')
  : positionals;
if (inputs.length === 0) {
  console.error(usage);
  process.exit(2);
}
let failures = 0;
for (const [index, input] of inputs.entries()) {
  try {
    console.log(JSON.stringify(decodeFrame(parseHexInput(input), keys), null, 2));
  } catch (error) {
    failures += 1;
    console.error(`frame ${index + 1}: ${error.name}${error.code ? ` [${error.code}]` : ''}: ${error.message}`);
  }
}
process.exit(failures === 0 ? 0 : 1);
