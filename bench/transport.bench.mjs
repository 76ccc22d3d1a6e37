// @wa/transport framing: parseFrame, serializeJson and serializeBinary on typical frames (a small
// JSON command, 1 KiB and 64 KiB binary frames) beside a naive hand-written split/join of the same
// frames in the same run. Writes bench/results/transport.json.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Flag, Metric, parseFrame, serializeBinary, serializeJson } from '@wa/transport';
import { machineInfo, measure, writeResult } from './lib/measure.mjs';

const MIN_MS = 900;
const SAMPLES = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// --- baselines: what a caller would write without the package ------------------------------------

function naiveParseText(text) {
  const comma = text.indexOf(',');
  return { tag: text.slice(0, comma), json: JSON.parse(text.slice(comma + 1)) };
}

function naiveParseBinary(bytes, fromClient) {
  const comma = bytes.indexOf(0x2c);
  const tag = decoder.decode(bytes.subarray(0, comma));
  if (!fromClient) return { tag, payload: bytes.subarray(comma + 1) };
  return { tag, metric: bytes[comma + 1], flag: bytes[comma + 2], payload: bytes.subarray(comma + 3) };
}

function naiveSerializeJson(tag, value) {
  return `${tag},${JSON.stringify(value)}`;
}

function naiveSerializeBinary(tag, payload, header) {
  const prefix = encoder.encode(`${tag},`);
  const extra = header ? 2 : 0;
  const out = new Uint8Array(prefix.length + extra + payload.length);
  out.set(prefix, 0);
  if (header) {
    out[prefix.length] = header.metric;
    out[prefix.length + 1] = header.flag;
  }
  out.set(payload, prefix.length + extra);
  return out;
}

// --- typical frames ------------------------------------------------------------------------------

const commandTag = '1600000000.--12';
const command = ['query', 'exist', '15551234567@c.us'];
const commandText = serializeJson(commandTag, command);
const header = { metric: Metric.message, flag: Flag.ignore };
const binaryTag = '3EB0C0FFEE0123456789';
const payloads = { '1 KiB': new Uint8Array(randomBytes(1024)), '64 KiB': new Uint8Array(randomBytes(64 * 1024)) };

function check(condition, what) {
  if (!condition) throw new Error(`bench sanity check failed: ${what}`);
}

// The subject and its baseline must produce the same thing, or the comparison means nothing.
check(commandText === naiveSerializeJson(commandTag, command), 'serializeJson equals the naive join');
const parsedCommand = parseFrame(commandText);
check(parsedCommand.tag === commandTag && JSON.stringify(parsedCommand.json) === JSON.stringify(naiveParseText(commandText).json), 'text parse');
for (const payload of Object.values(payloads)) {
  const frame = serializeBinary(binaryTag, payload, header);
  check(Buffer.compare(Buffer.from(frame), Buffer.from(naiveSerializeBinary(binaryTag, payload, header))) === 0, 'serializeBinary equals the naive join');
  const parsed = parseFrame(frame, { from: 'client' });
  const naive = naiveParseBinary(frame, true);
  check(parsed.tag === naive.tag && parsed.metric === naive.metric && parsed.flag === naive.flag, 'client binary header');
  check(Buffer.compare(Buffer.from(parsed.payload), Buffer.from(payload)) === 0, 'client binary payload');
}

// --- run -----------------------------------------------------------------------------------------

const cases = [
  {
    frame: 'JSON command',
    bytes: Buffer.byteLength(commandText),
    op: 'parse',
    subject: () => parseFrame(commandText),
    baseline: () => naiveParseText(commandText),
    baselineName: "indexOf(',') + JSON.parse",
  },
  {
    frame: 'JSON command',
    bytes: Buffer.byteLength(commandText),
    op: 'serialize',
    subject: () => serializeJson(commandTag, command),
    baseline: () => naiveSerializeJson(commandTag, command),
    baselineName: 'template string + JSON.stringify',
  },
];
for (const [label, payload] of Object.entries(payloads)) {
  const clientFrame = serializeBinary(binaryTag, payload, header);
  const serverFrame = serializeBinary('s12', payload);
  cases.push(
    {
      frame: `${label} binary (server)`,
      bytes: serverFrame.length,
      op: 'parse',
      subject: () => parseFrame(serverFrame),
      baseline: () => naiveParseBinary(serverFrame, false),
      baselineName: "indexOf(0x2c) + TextDecoder + subarray",
    },
    {
      frame: `${label} binary (client)`,
      bytes: clientFrame.length,
      op: 'parse',
      subject: () => parseFrame(clientFrame, { from: 'client' }),
      baseline: () => naiveParseBinary(clientFrame, true),
      baselineName: "indexOf(0x2c) + TextDecoder + subarray",
    },
    {
      frame: `${label} binary (client)`,
      bytes: clientFrame.length,
      op: 'serialize',
      subject: () => serializeBinary(binaryTag, payload, header),
      baseline: () => naiveSerializeBinary(binaryTag, payload, header),
      baselineName: 'TextEncoder + new Uint8Array + set',
    },
  );
}

const started = performance.now();
const rows = [];
console.log('frame                     op         subject                               frames/s       MB/s  ratio');
for (const c of cases) {
  // Baseline first, subject right after: both see about the same machine load.
  const base = measure(c.baseline, { minMs: MIN_MS, samples: SAMPLES });
  const subject = measure(c.subject, { minMs: MIN_MS, samples: SAMPLES });
  for (const [name, result, isBaseline] of [
    [`${c.baselineName} (baseline)`, base, true],
    [`@wa/transport ${c.op === 'parse' ? 'parseFrame' : c.frame.startsWith('JSON') ? 'serializeJson' : 'serializeBinary'}`, subject, false],
  ]) {
    const row = {
      frame: c.frame,
      bytes: c.bytes,
      op: c.op,
      subject: name,
      baseline: isBaseline,
      framesPerSec: Math.round(result.opsPerSec),
      mbPerSec: Number(((result.opsPerSec * c.bytes) / 1e6).toFixed(2)),
      ratioToBaseline: Number((result.opsPerSec / base.opsPerSec).toFixed(3)),
    };
    rows.push(row);
    console.log(
      `${c.frame.padEnd(25)} ${c.op.padEnd(10)} ${name.slice(0, 36).padEnd(36)} ${String(row.framesPerSec).padStart(10)} ${row.mbPerSec
        .toFixed(1)
        .padStart(10)}  ×${row.ratioToBaseline.toFixed(2)}`,
    );
  }
}

const result = {
  name: 'transport',
  description:
    '@wa/transport parseFrame/serializeJson/serializeBinary vs a naive hand-written split/join of the same frames (baseline). MB/s counts whole frame bytes. Binary parsing returns a view of the payload in both, so its cost does not grow with the payload; serializing copies it.',
  date: new Date().toISOString(),
  machine: machineInfo(),
  settings: { minMs: MIN_MS, samples: SAMPLES, statistic: 'median sample (lib/measure.mjs)', binaryTag, commandText },
  results: rows,
  durationSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
};
writeResult('transport', result);
console.log(`finished in ${result.durationSeconds} s`);
