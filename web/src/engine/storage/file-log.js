// @ts-check
/**
 * The format of `changes.log` (file.js) and how its bytes are read and judged.
 *
 *   header (16 bytes): "RINGILOG", u32 LE format version, u32 LE base seq
 *                      version 2: base = the seq of the snapshot this log continues (0: none);
 *                      version 1 (older Ringi) wrote 0 there and is still read
 *   record:            u32 LE payload length, u32 LE CRC-32 (IEEE) of the payload,
 *                      payload = UTF-8 JSON {"seq": N, "generation": "...", "changes": <ChangeSet>}
 *                      seqs follow each other by 1
 *
 * A record that cannot be read is judged by what comes after it, as SQLite and PostgreSQL judge
 * a WAL: the log is appended one record at a time and each append is fsync'd before the change
 * is acknowledged, so only the LAST record can have been cut short by a crash.
 *  - torn tail: the bad record is the last thing in the file and looks like an interrupted append
 *    (fewer than 8 bytes, a length past the end, or exactly one record's bytes with a bad
 *    checksum). It was never acknowledged; the store cuts it and says so.
 *  - damage: anything else (an intact record after it, bytes past its length, a seq out of
 *    order, a bad header, an empty file). The store refuses to open; `ringi repair` cuts to the
 *    intact prefix after keeping a copy.
 */

export const MAGIC = Buffer.from('RINGILOG', 'latin1');
export const HEADER_BYTES = 16;
export const LOG_VERSION = 2;
const RECORD_HEAD = 8;

/** CRC-32 (IEEE 802.3), table-driven. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** @param {Uint8Array} buf */
export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** The 16-byte header of a log that continues the snapshot at `baseSeq`. @param {number} baseSeq */
export function logHeader(baseSeq = 0) {
  const b = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(b, 0);
  b.writeUInt32LE(LOG_VERSION, 8);
  b.writeUInt32LE(baseSeq >>> 0, 12);
  return b;
}

/** One framed log record. @param {any} obj */
export function frameRecord(obj) {
  const payload = Buffer.from(JSON.stringify(obj), 'utf8');
  const head = Buffer.alloc(RECORD_HEAD);
  head.writeUInt32LE(payload.length, 0);
  head.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([head, payload]);
}

/**
 * The record at `off`, or why there is none.
 * @param {Buffer} buf @param {number} off
 * @returns {{rec: any, next: number} | {error: string, short?: boolean, badSum?: boolean}}
 *   short: the file ends inside the record; badSum: the last bytes of the file hold exactly one
 *   record whose checksum does not match
 */
function recordAt(buf, off) {
  const left = buf.length - off;
  if (left < RECORD_HEAD) return { error: `a record header cut short (${left} of 8 bytes)`, short: true };
  const len = buf.readUInt32LE(off);
  if (len > left - RECORD_HEAD) return { error: `a record of ${len} bytes with only ${left - RECORD_HEAD} left in the file`, short: true };
  const payload = buf.subarray(off + RECORD_HEAD, off + RECORD_HEAD + len);
  if (crc32(payload) !== buf.readUInt32LE(off + 4)) return { error: 'a record whose checksum does not match', badSum: len === left - RECORD_HEAD };
  let rec;
  try { rec = JSON.parse(payload.toString('utf8')); } catch { return { error: 'a record that is not JSON' }; }
  if (!rec || typeof rec !== 'object' || !Number.isSafeInteger(rec.seq) || rec.seq < 1 || typeof rec.generation !== 'string' || !rec.changes || typeof rec.changes !== 'object') {
    return { error: 'a record without seq, generation and changes' };
  }
  return { rec, next: off + RECORD_HEAD + len };
}

/**
 * The first offset after `from` where an intact record starts, or -1. A CRC-32 matching by chance
 * is one in four billion, and the payload must be a record too.
 * @param {Buffer} buf @param {number} from
 */
function nextIntactRecord(buf, from) {
  for (let off = from; off + RECORD_HEAD < buf.length; off++) {
    if (buf[off + RECORD_HEAD] !== 0x7b) continue;  // a payload starts with '{'
    const len = buf.readUInt32LE(off);
    if (len < 2 || len > buf.length - off - RECORD_HEAD) continue;
    if ('rec' in recordAt(buf, off)) return off;
  }
  return -1;
}

/** Intact records from `off` on, resynchronising past bad bytes. @param {Buffer} buf @param {number} off */
function countIntact(buf, off) {
  let n = 0;
  while (off >= 0 && off < buf.length) {
    const r = recordAt(buf, off);
    if ('rec' in r) { n++; off = r.next; } else off = nextIntactRecord(buf, off + 1);
  }
  return n;
}

/**
 * @typedef {object} LogDamage
 * @property {number} offset      where the bad part starts
 * @property {string} what        what was found there
 * @property {boolean} torn       true: an interrupted last append (cut it); false: damage (refuse)
 * @property {number} following   intact records after it
 *
 * @typedef {object} ReadLog
 * @property {number} version
 * @property {number} baseSeq     the snapshot seq the log continues (0: none, or a version 1 log)
 * @property {any[]} records      the intact prefix, in order
 * @property {number[]} offsets   where each of them starts
 * @property {number} end         byte offset after the intact prefix
 * @property {LogDamage|null} damage
 */

/**
 * Read a log file's bytes: its header, its intact prefix and the first damage, judged.
 * @param {Buffer} buf
 * @returns {ReadLog}
 */
export function readLog(buf) {
  const header = (/** @type {string} */ what) => ({ version: 0, baseSeq: 0, records: [], offsets: [], end: 0, damage: { offset: 0, what, torn: false, following: countIntact(buf, HEADER_BYTES) } });
  if (buf.length === 0) return header('the file is empty (a log always holds its 16-byte header)');
  if (buf.length < HEADER_BYTES || !buf.subarray(0, 8).equals(MAGIC)) return header('not a Ringi log header ("RINGILOG")');
  const version = buf.readUInt32LE(8);
  if (version !== 1 && version !== LOG_VERSION) return header(`unknown log format version ${version}`);
  const baseSeq = version === 1 ? 0 : buf.readUInt32LE(12);
  const records = [], offsets = [];
  let off = HEADER_BYTES;
  /** @type {LogDamage|null} */
  let damage = null;
  while (off < buf.length) {
    const r = recordAt(buf, off);
    if ('error' in r) {
      const next = nextIntactRecord(buf, off + 1);
      const following = next < 0 ? 0 : countIntact(buf, next);
      // An interrupted append: the file ends inside it, or it is the file's last bytes with a bad
      // checksum; and nothing intact comes after it.
      const torn = following === 0 && !!(r.short || r.badSum);
      damage = { offset: off, what: `${r.error} (record ${records.length + 1})`, torn, following };
      break;
    }
    const expected = records.length ? records[records.length - 1].seq + 1 : null;
    if (expected !== null && r.rec.seq !== expected) {
      damage = { offset: off, what: `record ${records.length + 1} has seq ${r.rec.seq} where ${expected} was expected`, torn: false, following: countIntact(buf, r.next) };
      break;
    }
    records.push(r.rec);
    offsets.push(off);
    off = r.next;
  }
  return { version, baseSeq, records, offsets, end: off, damage };
}
