// @ts-check
/**
 * kintone's JavaScript API contract on top of a Client (client.js): kintone.api and friends, plus
 * `kintone.ringi`, the product's own surface. See reference/kintone-api.md §1 and ringi.d.ts.
 *
 * Request mapping (facade → engine request {user, method, path, body}):
 *  - pathOrUrl: a full URL (its origin is ignored) or a path; `.json` is appended to kintone
 *    paths (`/k/...`, `/v1/...`) that lack it; guest-space paths `/k/guest/{space}/v1/x.json`
 *    are passed on as they are (the engine's router knows them).
 *  - kintone REST paths: the query string stays in the path and `params` is the body, for every
 *    method (what kintone.api does for long GETs with X-HTTP-Method-Override). The engine decodes
 *    the query qs-style (`fields[0]=a` → `fields: ['a']`) and merges it with the body (body wins):
 *    src/api/router.h, the one decoder, with its limits.
 *  - params nested deeper than MAX_PARAMS_DEPTH: CB_IJ01, as the engine answers such JSON (it
 *    would fail to cross to the engine as JSON or a structured clone).
 *  - product paths (`/batch_approvals/...`): the query string stays in the path (user_id,
 *    batch_number, app, as seed 000 specifies); for GET/DELETE, object params are appended to the
 *    query; otherwise `params` (an array for _check/_submit) is the body.
 *  - method must be one of GET, POST, PUT, DELETE exactly (kintone's list; other spellings get a
 *    CB_VA01 error with errors.method).
 *  - Answer: HTTP status < 400 → resolve/callback with the body; otherwise reject/errback with the
 *    body, kintone's plain error object {code, id, message, errors?} (no HTTP status on it).
 */
import { makeError, normalizeLocale, loginUserRequest, nestedDeeperThan, MAX_PARAMS_DEPTH } from '../protocol.js';

export { nestedDeeperThan, MAX_PARAMS_DEPTH };

const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
export const DEFAULT_BASE_URL = 'https://ringi.localhost';

/**
 * qs-style encoding as kintone.api.urlForGet: arrays as name[i], objects as name[key].
 * @param {any} params
 * @returns {string}
 */
export function encodeQuery(params) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} key @param {any} v */
  const add = (key, v) => {
    if (v === undefined || typeof v === 'function') return;
    if (v === null) { out.push(`${encodeURIComponent(key)}=`); return; }
    if (Array.isArray(v)) { v.forEach((x, i) => add(`${key}[${i}]`, x)); return; }
    if (typeof v === 'object') { for (const [k, x] of Object.entries(v)) add(`${key}[${k}]`, x); return; }
    out.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  };
  if (params && typeof params === 'object') for (const [k, v] of Object.entries(params)) add(k, v);
  return out.join('&');
}

/**
 * Split and normalize a path or URL.
 * @param {string} pathOrUrl
 * @returns {{path: string, query: string, guestSpaceId: string|null}}
 */
export function parsePath(pathOrUrl) {
  let s = String(pathOrUrl).trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) {
    const u = new URL(s);
    s = u.pathname + u.search;
  }
  const hashAt = s.indexOf('#');
  if (hashAt >= 0) s = s.slice(0, hashAt);
  const q = s.indexOf('?');
  let path = q < 0 ? s : s.slice(0, q);
  const query = q < 0 ? '' : s.slice(q + 1);
  if (!path.startsWith('/')) path = '/' + path;
  let guestSpaceId = null;
  const g = /^\/k\/guest\/([^/]+)\/v1\//.exec(path);
  if (g) guestSpaceId = g[1];
  if (isKintonePath(path) && !path.endsWith('.json')) path += '.json';
  return { path, query, guestSpaceId };
}

/** @param {string} path */
function isKintonePath(path) {
  return path.startsWith('/k/') || path.startsWith('/v1/');
}

/**
 * The engine request for a kintone.api call, or a kintone error object.
 * @param {string} pathOrUrl @param {string} method @param {any} params
 * @returns {{method: string, path: string, body: any} | {error: string, errors?: any}}
 */
export function buildRequest(pathOrUrl, method, params) {
  if (typeof method !== 'string' || !METHODS.includes(method)) {
    return { error: 'CB_VA01', errors: { method: { messages: ['must be one of the enum value'] } } };
  }
  if (typeof pathOrUrl !== 'string' || pathOrUrl.trim() === '') {
    return { error: 'CB_VA01', errors: { path: { messages: ['Required field.'] } } };
  }
  const p = params === undefined || params === null ? {} : params;
  if (typeof p !== 'object') {
    return { error: 'CB_VA01', errors: { params: { messages: ['must be an object or an array'] } } };
  }
  if (nestedDeeperThan(p, MAX_PARAMS_DEPTH)) return { error: 'CB_IJ01' };
  return { method, path: pathOrUrl.trim(), body: p };
}

/** A kintone-ish request token: 36 random characters, stable for the facade's lifetime. */
function makeToken() {
  const b = new Uint8Array(18);
  globalThis.crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
}

/**
 * @param {import('./client.js').Client} client
 * @param {{user?: string, language?: string|null, baseUrl?: string, guestSpaceId?: string|number|null}} [opts]
 */
export function createFacade(client, opts = {}) {
  let user = opts.user || '';
  // The UI language, when the page sets one: every message the engine returns to this page, and
  // getLoginUser().language, follow it. Unset: the acting user's locale (kintone's rule).
  /** @type {string|null} */
  let language = opts.language ? normalizeLocale(opts.language) : null;
  let running = 0;
  const token = makeToken();
  /** @type {any} */
  let loginUser = placeholderUser(user);

  const baseUrl = () => String(opts.baseUrl || globalThis.location?.origin || DEFAULT_BASE_URL).replace(/\/+$/, '');
  const guestSpace = () => {
    if (opts.guestSpaceId !== undefined && opts.guestSpaceId !== null) return String(opts.guestSpaceId);
    const m = /\/k\/guest\/(\d+)\//.exec(globalThis.location?.pathname || '');
    return m ? m[1] : null;
  };
  const locale = () => language ?? normalizeLocale(loginUser.language);

  /** @returns {Promise<any>} */
  function send(pathOrUrl, method, params) {
    const req = buildRequest(pathOrUrl, method, params);
    if ('error' in req) return Promise.reject(plain(makeError(/** @type {any} */ (req.error), locale(), req.errors)));
    running++;
    return client.request('call', { user, method: req.method, path: req.path, body: req.body, locale: locale(), ...(language ? { language } : {}) })
      .then((r) => {
        if (r.status >= 400) throw r.body;
        return r.body;
      }, (e) => { throw plain(e); })
      .finally(() => { running--; });
  }

  /**
   * kintone.api(pathOrUrl, method, params, callback?, errback?)
   * @type {any}
   */
  const api = function api(pathOrUrl, method, params, callback, errback) {
    const p = send(pathOrUrl, method, params);
    if (typeof callback === 'function') {
      p.then(
        (resp) => { try { callback(resp); } catch (e) { console.error(e); } },
        (err) => { if (typeof errback === 'function') { try { errback(err); } catch (e) { console.error(e); } } },
      );
      return undefined;
    }
    return p;
  };

  /** kintone.api.url(path, detectGuestSpace) */
  api.url = function url(path, detectGuestSpace = false) {
    const parsed = parsePath(String(path));
    let p = parsed.path;
    const space = parsed.guestSpaceId ?? (detectGuestSpace ? guestSpace() : null);
    if (space && !parsed.guestSpaceId && p.startsWith('/k/v1/')) p = `/k/guest/${space}/v1/${p.slice('/k/v1/'.length)}`;
    return baseUrl() + p + (parsed.query ? `?${parsed.query}` : '');
  };

  /** kintone.api.urlForGet(path, params, detectGuestSpace) */
  api.urlForGet = function urlForGet(path, params, detectGuestSpace = false) {
    const u = api.url(path, detectGuestSpace);
    const q = encodeQuery(params);
    if (!q) return u;
    return u + (u.includes('?') ? '&' : '?') + q;
  };

  api.getConcurrencyLimit = function getConcurrencyLimit() {
    return Promise.resolve({ limit: 100, running });
  };

  /** @param {string} code @param {any} body a GET /v1/users.json answer for [code] */
  function setLoginUserFrom(code, body) {
    const u = body && Array.isArray(body.users) ? body.users.find((/** @type {any} */ x) => x.code === code) : null;
    if (code === user) loginUser = u ? toLoginUser(u) : placeholderUser(code);
    client.locale = locale();
    return { ...loginUser };
  }

  async function refreshLoginUser() {
    const code = user;
    try {
      const r = await client.request('call', { ...loginUserRequest(code), locale: 'en' });
      return setLoginUserFrom(code, r.status < 400 ? r.body : null);
    } catch {
      return setLoginUserFrom(code, null);
    }
  }

  const ringi = {
    /** Replace everything with a workspace document. */
    async load(workspace) {
      const r = await client.request('load', { workspace, locale: locale() }).catch((e) => { throw plain(e); });
      if (r.status >= 400) throw r.body;
      await refreshLoginUser();
      return r.body;
    },
    /** The workspace document (import ∘ export = identity). */
    async export() {
      return client.request('export', {}).catch((e) => { throw plain(e); });
    },
    /** Empty the database. */
    async reset() {
      const r = await client.request('reset', { locale: locale() }).catch((e) => { throw plain(e); });
      if (r.status >= 400) throw r.body;
      await refreshLoginUser();
      return r.body;
    },
    /** Act as another user from now on. */
    setUser(code) {
      user = String(code || '');
      loginUser = placeholderUser(user);
      return refreshLoginUser();
    },
    get user() { return user; },
    /** The language of the engine's messages from now on (en, ja, zh); null: the user's locale. */
    setLanguage(lang) {
      language = lang ? normalizeLocale(lang) : null;
      client.locale = locale();
      return language;
    },
    get language() { return locale(); },
    get transport() { return client.transport.kind; },
    /** @param {'progress'|'changed'|'error'} type @param {(payload: any) => void} fn */
    on(type, fn) { client.on(type, fn); return ringi; },
    off(type, fn) { client.off(type, fn); return ringi; },
    close() { return client.close(); },
    _refreshLoginUser: refreshLoginUser,
    /** @param {any} body GET /v1/users.json for the current user, as the open reply carries it */
    _setLoginUserFrom: (body) => setLoginUserFrom(user, body),
  };

  const kintone = {
    api,
    getRequestToken: () => token,
    getLoginUser: () => ({ ...loginUser, language: locale() }),
    Promise: globalThis.Promise,
    ringi,
    /** globalThis.kintone = this */
    install() {
      /** @type {any} */ (globalThis).kintone = kintone;
      return kintone;
    },
  };
  return kintone;
}

/** Error objects as kintone hands them to callers: plain, no status. */
function plain(e) {
  if (!e || typeof e !== 'object') return e;
  const out = { code: e.code, id: e.id, message: e.message };
  if (e.errors !== undefined) /** @type {any} */ (out).errors = e.errors;
  return out;
}

/** @param {string} code */
function placeholderUser(code) {
  return {
    id: '', code, name: code, email: '', url: '', employeeNumber: '', phone: '', mobilePhone: '',
    extensionNumber: '', timezone: 'Asia/Tokyo', isGuest: false, language: 'en',
  };
}

/** From a /v1/users.json entry (or a workspace user) to kintone.getLoginUser()'s shape. */
function toLoginUser(u) {
  const s = (v) => (v === undefined || v === null ? '' : String(v));
  return {
    id: s(u.id),
    code: s(u.code),
    name: s(u.name),
    email: s(u.email),
    url: s(u.url),
    employeeNumber: s(u.employeeNumber),
    phone: s(u.phone),
    mobilePhone: s(u.mobilePhone),
    extensionNumber: s(u.extensionNumber),
    timezone: s(u.timezone) || 'Asia/Tokyo',
    isGuest: false,
    language: normalizeLocale(u.language || u.locale),
  };
}
