// @ts-check
/**
 * The format of `snapshot.json` (file.js): the whole state after log record
 * `seq`, as one JSON document whose state carries a checksum.
 *
 *   {"format":"ringi-snapshot","version":3,"seq":N,"generation":"...",
 *    "stateBytes":L,"crc32":C,"state":<L bytes of JSON: {"users": [...], ...}>}
 *
 * The header fields come first and hold no string that could contain `"state":`, so the state's
 * bytes are found without parsing them, and checked (length, CRC-32) before they are believed.
 * The checksum covers seq and generation too (checked()): a snapshot whose seq read one higher
 * than it was made at would drop the log record after it without a word.
 * Older files are still read: version 2 (the same, its "stateCrc32" over the state alone) and
 * version 1 (no length or checksum).
 */
import { crc32 } from './file-log.js';
import { DamagedFileError } from './damaged.js';

const STATE_KEY = Buffer.from(',"state":', 'latin1');
const HEAD_STARTS = [3, 2].map((v) => Buffer.from(`{"format":"ringi-snapshot","version":${v},`, 'latin1'));

/** The bytes version 3's crc32 covers: seq, generation and length, then the state. */
const checked = (/** @type {number} */ seq, /** @type {string|null} */ generation, /** @type {Buffer} */ state) =>
  Buffer.concat([Buffer.from(`${seq} ${JSON.stringify(generation)} ${state.length}\n`, 'utf8'), state]);

/**
 * The bytes of a snapshot file.
 * @param {{seq: number, generation: string|null, state: any}} s
 */
export function encodeSnapshot(s) {
  const state = Buffer.from(JSON.stringify(s.state), 'utf8');
  const head = `{"format":"ringi-snapshot","version":3,"seq":${s.seq},"generation":${JSON.stringify(s.generation)},"stateBytes":${state.length},"crc32":${crc32(checked(s.seq, s.generation, state))},"state":`;
  return Buffer.concat([Buffer.from(head, 'utf8'), state, Buffer.from('}\n', 'latin1')]);
}

/**
 * A snapshot file's contents, checked. Throws DamagedFileError naming `file` and the offset.
 * @param {Buffer} buf @param {string} file
 * @returns {{version: number, seq: number, generation: string|null, state: any}}
 */
export function decodeSnapshot(buf, file) {
  const damaged = (/** @type {string} */ what, /** @type {number} */ offset) => new DamagedFileError(file, what, {
    offset,
    hint: 'Nothing was changed. The snapshot holds every change before the log; restore snapshot.json from a backup.',
  });
  if (buf.length === 0) throw damaged('the file is empty', 0);
  const headStart = HEAD_STARTS.find((h) => buf.subarray(0, h.length).equals(h));
  if (!headStart) return decodeVersion1(buf, damaged);
  const version = headStart === HEAD_STARTS[0] ? 3 : 2;
  const at = buf.indexOf(STATE_KEY);
  if (at < 0) throw damaged('no "state" after the header', headStart.length);
  /** @type {any} */
  let head;
  try { head = JSON.parse(buf.subarray(0, at).toString('utf8') + '}'); } catch { throw damaged('the header is not JSON', 0); }
  const { seq, generation, stateBytes } = head;
  const sum = version === 3 ? head.crc32 : head.stateCrc32;
  if (!Number.isSafeInteger(seq) || seq < 0 || !(typeof generation === 'string' || generation === null) || !Number.isSafeInteger(stateBytes) || !Number.isSafeInteger(sum)) {
    throw damaged(`the header lacks seq, generation, stateBytes or ${version === 3 ? 'crc32' : 'stateCrc32'}`, 0);
  }
  const start = at + STATE_KEY.length;
  const end = start + stateBytes;
  if (end > buf.length) throw damaged(`the state is ${stateBytes} bytes long but the file ends ${end - buf.length} bytes early`, buf.length);
  const tail = buf.subarray(end).toString('latin1');
  if (tail !== '}\n' && tail !== '}') throw damaged(`${tail.length} unexpected bytes after the state`, end);
  const state = buf.subarray(start, end);
  if (version === 3 && crc32(checked(seq, generation, state)) !== sum) {
    throw damaged(`the header's seq and generation, or the state (bytes ${start}-${end}), do not match the checksum`, 0);
  }
  if (version === 2 && crc32(state) !== sum) throw damaged(`the state (bytes ${start}-${end}) does not match its checksum`, start);
  let parsed;
  try { parsed = JSON.parse(state.toString('utf8')); } catch { throw damaged('the state is not JSON', start); }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw damaged('the state is not an object', start);
  return { version, seq, generation, state: parsed };
}

/**
 * @param {Buffer} buf @param {(what: string, offset: number) => DamagedFileError} damaged
 */
function decodeVersion1(buf, damaged) {
  let doc;
  try {
    doc = JSON.parse(buf.toString('utf8'));
  } catch (e) {
    const m = /position (\d+)/.exec(String(/** @type {any} */ (e)?.message));
    throw damaged('not JSON', m ? Number(m[1]) : 0);
  }
  if (!doc || doc.format !== 'ringi-snapshot' || doc.version !== 1) throw damaged('not a Ringi snapshot (format "ringi-snapshot", version 1 or 2)', 0);
  if (!Number.isSafeInteger(doc.seq) || doc.seq < 0 || !doc.state || typeof doc.state !== 'object') throw damaged('the snapshot lacks seq or state', 0);
  return { version: 1, seq: doc.seq, generation: doc.generation ?? null, state: doc.state };
}
