// @ts-check
/**
 * Ringi worker protocol (version 1). This file owns the protocol; every message type, field and
 * error is documented here and nowhere else.
 *
 * Transport: `postMessage` of plain structured-cloneable objects between the page (the client,
 * web/src/page/client.js) and the engine host (web/src/worker.js in a module Worker, or
 * web/src/engine/inprocess.js on the same thread, which speaks the same messages without cloning).
 *
 * ── Handshake ────────────────────────────────────────────────────────────────────────────────
 *   worker → page  {type: 'ready', protocol: 1}
 *       Posted once, as soon as the worker script has been evaluated. The client sends nothing
 *       before it has seen `ready` (messages sent earlier would be lost on some browsers while the
 *       module graph loads). A `protocol` other than PROTOCOL_VERSION makes the client fail.
 *   page → worker  {id, type: 'open', payload: OpenPayload}      (must be the first request)
 *       Loads the engine, opens storage, restores the engine from it and resumes unfinished
 *       batches. Result: {protocol, database, storage, restored: {<store>: count}, restoredFrom,
 *       pendingBatches}: `restored` counts the rows the engine restored (users, organizations,
 *       groups, apps, records, tasks, batches); `restoredFrom` is 'snapshot' (one stored value, see
 *       engine/snapshots.js) or 'rows' (every row read). With `user` in the payload, the result
 *       also has `users`: the engine's answer to GET /v1/users.json {codes: [user]}, read right
 *       after the restore (createKintone's login user, without a second round trip).
 *
 * ── Requests (page → worker) ─────────────────────────────────────────────────────────────────
 *   {id: number, type: RequestType, payload: object}
 *     'open'    OpenPayload {database, storage: 'indexeddb'|'memory', engineUrl?, chunkSize?, user?}
 *     'call'    {user, method, path, body, locale?, apiToken?}  one REST call; result {status, body}
 *               (apiToken: an API-token caller's grant, src/api/token_grant.h)
 *               (a kintone error is a *successful* reply with status >= 400 and the error body)
 *     'load'    {workspace, locale?}                 replace everything; result {status, body}
 *     'export'  {}                                   result: the workspace document (object)
 *     'reset'   {locale?}                            empty the database; result {status, body}
 *     'close'   {}                                   stop batches, close storage; result {}
 *   Requests are served strictly one at a time, in arrival order, interleaved with batch chunks.
 *
 * ── Replies (worker → page) ──────────────────────────────────────────────────────────────────
 *   {id, ok: true, result}
 *   {id, ok: false, error: KintoneError}   KintoneError = {code, id, message, errors?, status?}
 *     `status` is the HTTP status the error stands for (the facade strips it: kintone's
 *     errback gets no status).
 *
 * ── Events (worker → page, no id) ────────────────────────────────────────────────────────────
 *   {type: 'progress', payload: BatchProgress}
 *       After every committed batch chunk (and after a submit): the batch progress object as
 *       `GET /batch_approvals/_submit` would answer it ({batch_number, total, processed,
 *       failed_tasks, state, succeeded, failures, ...}).
 *   {type: 'changed', payload: {source: 'local'|'remote'}}
 *       The database changed: 'local' = by this host (a committed request or chunk), 'remote' =
 *       another tab's host committed and this host reloaded its engine from IndexedDB.
 *   {type: 'error', payload: KintoneError}
 *       A background failure (a batch chunk could not be committed; it is retried later).
 *
 * ── Errors produced by the host itself (engine errors come from the engine) ──────────────────
 *   RINGI_PR01 400 unknown request type / malformed message
 *   RINGI_PR02 400 request before a successful 'open' (or a second 'open')
 *   RINGI_PR03 500 protocol version mismatch
 *   RINGI_ST01 500 the IndexedDB transaction failed; the engine went back to the committed state
 *   RINGI_ST02 500 the database could not be opened / read
 *   RINGI_EN01 500 the engine (wasm) could not be loaded, or answered something unreadable
 *   RINGI_EN02 500 the engine instance failed while answering (a trap, an abort, out of memory):
 *                  nothing of the request was kept; a new instance restored from storage
 *                  answers the next one (engine/host.js "A failed engine")
 *   RINGI_WK01 503 the worker died or was closed before answering
 *   CB_VA01 / CB_IJ01 400  kintone.api's own checks (method, path, params; params nested too deep)
 * Their statuses and messages (en, ja, zh) are in errors.js, the one catalogue.
 */

import { HOST_ERRORS } from './errors.js';

export const PROTOCOL_VERSION = 1;

/** @typedef {'open'|'call'|'load'|'export'|'reset'|'close'} RequestType */
/** @typedef {{code: string, id: string, message: string, errors?: any, status?: number}} KintoneError */
/** @typedef {{database?: string, storage?: 'indexeddb'|'memory', engineUrl?: string, chunkSize?: number}} OpenPayload */

/** @type {ReadonlyArray<RequestType>} */
export const REQUEST_TYPES = Object.freeze(['open', 'call', 'load', 'export', 'reset', 'close']);
export const EVENT_TYPES = Object.freeze(['ready', 'progress', 'changed', 'error']);

/** How deep kintone.api params and HTTP bodies may nest (the engine's JSON reader takes 128
 * levels, the request's own included). */
export const MAX_PARAMS_DEPTH = 100;

/**
 * Does `value` nest objects and arrays more than `max` deep? Iterative: a value too deep to
 * recurse over is the case it looks for.
 * @param {any} value @param {number} max
 */
export function nestedDeeperThan(value, max) {
  /** @type {Array<[any, number]>} */
  const stack = [[value, 0]];
  while (stack.length) {
    const [v, depth] = /** @type {[any, number]} */ (stack.pop());
    if (!v || typeof v !== 'object') continue;
    if (depth >= max) return true;
    for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) stack.push([v[k], depth + 1]);
  }
  return false;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A kintone-style error id: 20 random alphanumeric characters. */
export function errorId() {
  const bytes = new Uint8Array(20);
  globalThis.crypto.getRandomValues(bytes);
  let s = '';
  for (const b of bytes) s += ID_ALPHABET[b % ID_ALPHABET.length];
  return s;
}

/** @param {string|undefined|null} locale */
export function normalizeLocale(locale) {
  const l = String(locale || 'en').toLowerCase();
  if (l.startsWith('ja')) return 'ja';
  if (l.startsWith('zh')) return 'zh';
  return 'en';
}

/**
 * A kintone-shaped error object for a host/facade failure.
 * @param {keyof typeof HOST_ERRORS} code
 * @param {string} [locale]
 * @param {any} [errors]
 * @returns {KintoneError}
 */
export function makeError(code, locale, errors) {
  const m = HOST_ERRORS[code] || HOST_ERRORS.RINGI_PR01;
  /** @type {KintoneError} */
  const e = { code, id: errorId(), message: m[normalizeLocale(locale)] };
  if (errors !== undefined) e.errors = errors;
  Object.defineProperty(e, 'status', { value: m.status, enumerable: false, writable: true });
  return e;
}

/**
 * The error with what it concerns after its message, "The engine could not be loaded. (URL:
 * reason)": loading errors name the URL that failed. No detail: the error as it is.
 * @param {KintoneError} e @param {string} [detail] @returns {KintoneError}
 */
export function withDetail(e, detail) {
  if (detail) e.message = `${e.message} (${detail})`;
  return e;
}

/** Is `v` a kintone-shaped error object? @param {any} v */
export function isKintoneError(v) {
  return !!v && typeof v === 'object' && typeof v.code === 'string' && typeof v.message === 'string';
}

/** Coerce anything thrown into a kintone-shaped error (plain, cloneable). */
export function toKintoneError(err, fallbackCode = 'RINGI_EN01', locale) {
  if (isKintoneError(err)) {
    /** @type {KintoneError} */
    const e = { code: err.code, id: typeof err.id === 'string' ? err.id : errorId(), message: err.message };
    if (err.errors !== undefined) e.errors = err.errors;
    if (typeof err.status === 'number') e.status = err.status;
    return e;
  }
  const e = makeError(/** @type {any} */ (fallbackCode), locale);
  return { code: e.code, id: e.id, message: e.message, status: HOST_ERRORS[fallbackCode]?.status ?? 500 };
}

/**
 * Validate an incoming request message; returns an error object or null.
 * @param {any} msg
 */
export function validateRequest(msg) {
  if (!msg || typeof msg !== 'object') return 'not an object';
  if (typeof msg.id !== 'number' || !Number.isFinite(msg.id)) return 'id must be a number';
  if (!REQUEST_TYPES.includes(msg.type)) return `unknown type ${String(msg.type)}`;
  if (msg.payload !== undefined && (msg.payload === null || typeof msg.payload !== 'object')) {
    return 'payload must be an object';
  }
  if (msg.type === 'call') {
    const p = msg.payload || {};
    if (typeof p.method !== 'string' || typeof p.path !== 'string') return 'call needs method and path';
  }
  return null;
}

/** @param {number} id @param {any} result */
export const okReply = (id, result) => ({ id, ok: true, result });
/** @param {number} id @param {KintoneError} error */
export const errorReply = (id, error) => ({ id, ok: false, error: toKintoneError(error) });
/** @param {'progress'|'changed'|'error'} type @param {any} payload */
export const event = (type, payload) => ({ type, payload });
export const readyMessage = () => ({ type: 'ready', protocol: PROTOCOL_VERSION });

/**
 * The engine request for a user's own directory entry (GET /v1/users.json): the facade's login
 * user, asked for by the page or answered with the worker's open reply.
 * @param {string} code
 */
export const loginUserRequest = (code) => ({ user: code, method: 'GET', path: '/v1/users.json', body: { codes: [code] } });
