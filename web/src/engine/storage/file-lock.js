// @ts-check
/**
 * The data folder's LOCK file (file.js): one process at a time has a folder open.
 *
 * LOCK holds "<pid> <start time>": the start time is field 22 of /proc/<pid>/stat (clock ticks
 * since boot; empty where /proc does not exist). A LOCK is stale, and taken over, when its
 * process is gone, is a zombie, or is another process that got the same pid later (its start
 * time differs). LOCK is created with O_EXCL and opened with O_NOFOLLOW, so a symbolic link
 * planted in a shared folder is never followed.
 */
import { openSync, closeSync, writeSync, readSync, unlinkSync, readFileSync, constants as C } from 'node:fs';

const NOFOLLOW = C.O_NOFOLLOW ?? 0;

/** The start time of process `pid` and its state letter, from /proc (null where unknown). @param {number} pid */
function procStat(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');  // after "pid (comm) "
    return { state: fields[0], start: fields[19] };
  } catch {
    return null;
  }
}

/** What this process writes into LOCK. */
function lockText() {
  return `${process.pid} ${procStat(process.pid)?.start ?? ''}\n`;
}

/** Does the LOCK text name a process that still runs? @param {string} text */
export function lockHolderAlive(text) {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (/** @type {any} */ (e).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (!stat) return true;                              // alive, and nothing more is known
  if (stat.state === 'Z' || stat.state === 'X') return false;  // exited, not yet reaped
  return !start || stat.start === start;               // a different start: the pid was reused
}

/** @param {string} file */
function readLock(file) {
  const fd = openSync(file, C.O_RDONLY | NOFOLLOW);
  try {
    const buf = Buffer.alloc(256);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

/** @param {string} file */
function create(file) {
  const fd = openSync(file, C.O_WRONLY | C.O_CREAT | C.O_EXCL | NOFOLLOW, 0o600);
  try { writeSync(fd, lockText()); } finally { closeSync(fd); }
}

/**
 * Take the folder's LOCK, or throw saying who holds it.
 * @param {string} file @param {string} dir
 */
export function acquireLock(file, dir) {
  try {
    create(file);
    return;
  } catch (e) {
    if (/** @type {any} */ (e).code !== 'EEXIST') throw e;
  }
  let text;
  try {
    text = readLock(file);
  } catch (e) {
    if (/** @type {any} */ (e).code === 'ELOOP') throw new Error(`${file} is a symbolic link, which Ringi never follows: remove it`);
    throw e;
  }
  if (Number(text.trim().split(/\s+/)[0]) !== process.pid && lockHolderAlive(text)) {
    throw new Error(`${dir} is in use by process ${text.trim().split(/\s+/)[0]} (remove ${file} if that is wrong)`);
  }
  unlinkSync(file);
  create(file);  // EEXIST here: another process took it over first
}

/** Release LOCK if this process holds it. @param {string} file */
export function releaseLock(file) {
  try {
    if (Number(readLock(file).trim().split(/\s+/)[0]) === process.pid) unlinkSync(file);
  } catch { /* gone already */ }
}
