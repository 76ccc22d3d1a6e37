#!/usr/bin/env node
// wa-decode: decode captured legacy WhatsApp Web frames to readable JSON or text.
//   wa-decode <hex>...                      decrypted frames (node bytes)
//   wa-decode --enc-key HEX --mac-key HEX <hex>   sealed frames (HMAC ‖ IV ‖ ciphertext)
//   wa-decode --file frames.txt             one hex frame per line (# starts a comment line)
//   a hex frame may be the whole binary WebSocket frame as captured: <tag>, [metric flag] sealed bytes
//   wa-decode --har session.har [--private-key HEX]   a whole WebSocket session from Chrome
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { deriveSessionKeys, fromBase64, fromHex } from '@wa/crypto';
import { decodeFrame, parseHexInput } from './decode-frame.mjs';
import { formatRecord } from './format.mjs';
import { decodeSession, describeError, flagNames, metricName, readHarMessages } from './har.mjs';

const usage = `usage: wa-decode [keys] [--format json|text] (--har FILE | --file FILE | HEX...)
keys: --enc-key HEX --mac-key HEX | --secret BASE64 --private-key HEX | --private-key HEX (with --har: keys from the Conn frame)`;

function fail(message, status = 2) {
  console.error(`${message}\n${usage}`);
  process.exit(status);
}

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      'enc-key': { type: 'string' },
      'mac-key': { type: 'string' },
      secret: { type: 'string' },
      'private-key': { type: 'string' },
      har: { type: 'string' },
      file: { type: 'string', short: 'f' },
      format: { type: 'string', default: 'json' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail(error.message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.format !== 'json' && values.format !== 'text') fail(`--format must be json or text, got ${values.format}`);
if (!!values['enc-key'] !== !!values['mac-key']) fail('give both --enc-key and --mac-key, or neither');
if (values['enc-key'] && (values.secret || values['private-key'])) fail('give either --enc-key/--mac-key or --secret/--private-key');
if (values.secret && !values['private-key']) fail('--secret needs --private-key');
if (values['private-key'] && !values.secret && !values.har) fail('--private-key alone only works with --har (keys from its Conn frame)');

let keys;
let privateKey;
let secret;
try {
  if (values['enc-key']) keys = { encKey: fromHex(values['enc-key']), macKey: fromHex(values['mac-key']) };
  if (values['private-key']) privateKey = fromHex(values['private-key']);
  if (values.secret) secret = fromBase64(values.secret);
  // In hex mode the keys are needed up front; with --har the session decoder derives them itself.
  if (keys && (keys.encKey.length !== 32 || keys.macKey.length !== 32)) throw new RangeError('--enc-key and --mac-key must be 32 bytes (64 hex digits) each');
  if (privateKey && privateKey.length !== 32) throw new RangeError('--private-key must be 32 bytes (64 hex digits)');
  if (secret && secret.length !== 144) throw new RangeError(`--secret must be the 144-byte Conn.secret, got ${secret.length} bytes`);
  if (secret && !values.har) keys = deriveSessionKeys({ secret, privateKey });
} catch (error) {
  fail(`bad key material: ${error.name} [${error.code ?? 'UNKNOWN'}]: ${error.message}`);
}

function* hexRecords(inputs) {
  for (const [position, input] of inputs.entries()) {
    const index = position + 1;
    try {
      const { metric, flag, ...result } = decodeFrame(parseHexInput(input), keys);
      // A whole client frame names its header bytes as the HAR decoder does.
      const named = metric === undefined ? {} : { metric: metricName(metric), flags: flagNames(flag, metric) };
      const record = { index, ...result, ...named };
      Object.defineProperty(record, 'decodedNode', { value: result.decodedNode, enumerable: false });
      yield record;
    } catch (error) {
      yield { index, error: describeError(error) };
    }
  }
}

let records;
if (values.har) {
  let har;
  try {
    har = JSON.parse(readFileSync(values.har, 'utf8'));
    records = decodeSession(readHarMessages(har), { keys, secret, privateKey });
  } catch (error) {
    fail(`cannot read ${values.har}: ${error.name}${error.code ? ` [${error.code}]` : ''}: ${error.message}`, 1);
  }
} else {
  const inputs = values.file
    ? readFileSync(values.file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    : positionals;
  if (inputs.length === 0) fail('nothing to decode');
  records = hexRecords(inputs);
}

let failures = 0;
try {
  for (const record of records) {
    console.log(formatRecord(record, values.format));
    if (record.error) {
      failures += 1;
      console.error(`frame ${record.index}: ${record.error.name} [${record.error.code}]: ${record.error.message}`);
    }
  }
} catch (error) {
  // Only the up-front derivation from --secret can end the whole run (wrong private key).
  fail(`bad key material: ${error.name}${error.code ? ` [${error.code}]` : ''}: ${error.message}`);
}
process.exit(failures === 0 ? 0 : 1);
