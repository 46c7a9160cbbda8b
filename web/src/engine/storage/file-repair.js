// @ts-check
/**
 * `ringi repair --data DIR`: the explicit answer to a data folder that FileStorage refuses to
 * open (file.js). It keeps a copy of every file it changes (`<name>.damaged-<time>`), cuts the
 * log to its intact prefix, and reports exactly what it dropped. It never touches a snapshot: a
 * damaged or missing snapshot holds changes no log has any more, so only a backup can mend it,
 * and repair says so and changes nothing.
 *
 * What it mends:
 *  - a log with a bad record in the middle, bytes after its last record, or a seq out of order:
 *    cut before the first bad byte (the records after it are dropped, and counted: replaying
 *    them without the one before could build a state that never existed);
 *  - a torn tail (as an open would);
 *  - a bad header: the records after it are kept and a good header is written in front;
 *  - an empty or missing log: a new empty one continuing the snapshot.
 */
import { copyFile, rename } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { HEADER_BYTES, logHeader, readLog } from './file-log.js';
import { decodeSnapshot } from './file-snapshot.js';
import { acquireLock, releaseLock } from './file-lock.js';
import { readIfExists, writeNewFile, fsyncDir, MARKER_FILE } from './file.js';

/**
 * @typedef {object} RepairReport
 * @property {boolean} repaired      whether a file was changed
 * @property {boolean} ok            whether the folder opens now (false: only a backup helps)
 * @property {string[]} lines        what was found and done, one sentence each
 * @property {string|null} copy      the copy kept of the damaged log
 */

/**
 * @param {string} dirArg
 * @returns {Promise<RepairReport>}
 */
export async function repairDataDir(dirArg) {
  const dir = path.resolve(dirArg);
  const logFile = path.join(dir, 'changes.log'), snapshotFile = path.join(dir, 'snapshot.json');
  const lockFile = path.join(dir, 'LOCK');
  if (!existsSync(dir)) return { repaired: false, ok: false, lines: [`${dir} does not exist.`], copy: null };
  acquireLock(lockFile, dir);
  try {
    /** @type {string[]} */
    const lines = [];
    const snapBytes = await readIfExists(snapshotFile);
    let snapSeq = 0;
    if (snapBytes) {
      try {
        snapSeq = decodeSnapshot(snapBytes, snapshotFile).seq;
      } catch (e) {
        lines.push(/** @type {Error} */ (e).message, 'Nothing was changed.');
        return { repaired: false, ok: false, lines, copy: null };
      }
    }
    const buf = await readIfExists(logFile);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const copy = `${logFile}.damaged-${stamp}`;
    /** @param {Buffer} bytes */
    const replace = async (bytes) => {
      const tmp = `${logFile}.tmp`;
      await writeNewFile(tmp, bytes);
      await rename(tmp, logFile);
      fsyncDir(dir);
    };

    const markerFile = path.join(dir, MARKER_FILE);
    const marked = !!(await readIfExists(markerFile));
    // With no snapshot and no record left, the folder's data is gone: the marker that says it had
    // some goes aside too, so the folder opens (empty) instead of being refused again.
    const unmark = async (/** @type {number} */ records) => {
      if (snapBytes || !marked || records > 0) return;
      await rename(markerFile, `${markerFile}.damaged-${stamp}`);
      fsyncDir(dir);
      lines.push(`No snapshot and no record is left: ${MARKER_FILE} moved to ${MARKER_FILE}.damaged-${stamp}; the folder opens empty (and serve --workspace imports into it).`);
    };

    if (!buf || buf.length === 0) {
      if (!snapBytes && !marked) {
        lines.push(`${dir} holds no Ringi data: nothing to repair.`);
        return { repaired: false, ok: true, lines, copy: null };
      }
      if (buf) await copyFile(logFile, copy);
      await replace(logHeader(snapSeq));
      lines.push(`${logFile} was ${buf ? 'empty' : 'missing'}: the changes it held${snapBytes ? ` after the snapshot (seq ${snapSeq})` : ''} are gone unless a backup has them.`);
      lines.push(`Wrote an empty log continuing the snapshot (seq ${snapSeq}).`);
      await unmark(0);
      return { repaired: true, ok: true, lines, copy: buf ? copy : null };
    }

    let log = readLog(buf);
    let bytes = buf;
    let headerFixed = false;
    if (log.version === 0) {
      // A bad header: read the records after it under a good one.
      bytes = Buffer.concat([logHeader(snapSeq), buf.subarray(Math.min(buf.length, HEADER_BYTES))]);
      log = readLog(bytes);
      headerFixed = true;
      lines.push(`${logFile}: the header (bytes 0-15) was damaged; wrote a good one continuing the snapshot (seq ${snapSeq}).`);
    }
    if (log.baseSeq > snapSeq) {
      lines.push(`${logFile} continues the snapshot of seq ${log.baseSeq}, but ${snapBytes ? `snapshot.json is of seq ${snapSeq}` : 'snapshot.json is missing'}: restore snapshot.json from a backup. Nothing was changed.`);
      return { repaired: false, ok: false, lines, copy: null };
    }
    const first = log.records.findIndex((r) => r.seq > snapSeq);
    if (first >= 0 && log.records[first].seq !== snapSeq + 1) {
      lines.push(`${logFile}: records ${snapSeq + 1} to ${log.records[first].seq - 1} are missing after the snapshot: restore them from a backup. Nothing was changed.`);
      return { repaired: false, ok: false, lines, copy: null };
    }
    if (!log.damage && !headerFixed) {
      if (!snapBytes && marked && !log.records.length) {
        lines.push(`${logFile} holds no record, and there is no snapshot.`);
        await unmark(0);
        return { repaired: true, ok: true, lines, copy: null };
      }
      lines.push(`${logFile}: ${log.records.length} intact records, nothing to repair.`);
      return { repaired: false, ok: true, lines, copy: null };
    }
    await copyFile(logFile, copy);
    if (log.damage) {
      const d = log.damage;
      const dropped = bytes.length - log.end;
      const last = log.records.length ? log.records[log.records.length - 1].seq : snapSeq;
      lines.push(`${logFile}: ${d.what} at byte ${d.offset}${headerFixed ? ' (of the mended file)' : ''}.`);
      lines.push(`Dropped bytes ${log.end}-${bytes.length - 1} (${dropped} bytes): the bad record${d.following ? ` and the ${d.following} intact record${d.following === 1 ? '' : 's'} after it` : ''}. Kept ${log.records.length} records, up to seq ${last}.`);
    }
    await replace(bytes.subarray(0, log.end));
    lines.push(`A copy of the file as it was is in ${copy}.`);
    await unmark(log.records.length);
    return { repaired: true, ok: true, lines, copy };
  } finally {
    releaseLock(lockFile);
  }
}
