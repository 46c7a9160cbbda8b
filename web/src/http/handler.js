// @ts-check
/**
 * kintone's HTTP contract on top of the engine: one function, `handleHttp(request, ctx)`, that
 * turns an HTTP request (method, URL, headers, body text) into kintone's HTTP answer (status,
 * headers, JSON body). Both HTTP transports use it, so they behave the same:
 *   - `ringi serve` (bin/ringi.mjs): Node's http server, header auth only;
 *   - the Service Worker (service-worker.js forwards the request to the page, sw-page.js answers
 *     it here, with the page's session user and request token).
 *
 * Rules (docs/http.md is the user-facing version):
 *  - Paths: the path and query string are handed to the engine as they came (without
 *    __REQUEST_TOKEN__); the engine maps them (src/api/router.h: `.json`, guest spaces, the query
 *    decoded qs-style and merged with the JSON body, body wins) and answers 404 CB_NF01 for
 *    unknown APIs. Bodies nested deeper than MAX_PARAMS_DEPTH: 400 CB_IJ01.
 *  - Where from (ringi serve, ctx.hosts set): a `Host` that is not one of ctx.hosts (the
 *    address serve listens on, with its port) gets 403 RINGI_HT08: a DNS-rebinding page reaches
 *    the server under its own name. A request with an `Origin` that is neither this server nor one
 *    of ctx.corsOrigins gets 403 RINGI_HT09, and nothing runs. CORS headers (the request's origin,
 *    never `*`) go only to ctx.corsOrigins, and only they get a pre-flight answer (OPTIONS, 204).
 *  - Methods: GET, POST, PUT, DELETE; anything else: 405 RINGI_HT01, with `Allow`.
 *    `X-HTTP-Method-Override: GET` (upper case)
 *    is honoured on POST only, as kintone does (kintone.api's and rest-api-client's long GET);
 *    any other value, or the header on another method: 400 RINGI_HT07, and nothing runs (a
 *    PATCH there once ran the POST and added a record).
 *  - Body: JSON, at most ctx.maxBodyBytes (default 8 MiB; over it: 413 RINGI_HT03). A non-empty
 *    body needs `Content-Type: application/json` (any parameters) or no Content-Type at all, else
 *    415 RINGI_HT02. Not JSON: 400 CB_IJ01. An empty body means {}. GET bodies are ignored.
 *  - Acting user (in this order):
 *      X-Cybozu-Authorization: base64(login:password) -> login; with ctx.credentials the
 *        password is checked (credentials.js; wrong or undecodable: 401 CB_WA01), without them
 *        (the Service Worker) it is not; an unknown login: 401 CB_AU01 from the engine;
 *      X-Cybozu-API-Token: one or more tokens, comma-separated -> `Administrator`, with the grant
 *        ctx.credentials gives them (a token no app has: 400 GAIA_IA02; two for one app: 400
 *        GAIA_DA03); the engine then refuses what the grant does not allow (403 GAIA_NO01) and
 *        lets the caller name any user in the batch API's user_id. Without ctx.credentials (or
 *        when no app declares tokens) any token gets every right;
 *      neither: the session (ctx.session = {user, token}) when the transport has one, else
 *        401 CB_AU01.
 *  - Session writes (no auth header, effective method POST/PUT/DELETE): need a non-empty
 *    `X-Requested-With` header and `__REQUEST_TOKEN__` equal to the session's token, in the JSON
 *    body or (any method, DELETE in practice) in the query string. Missing or wrong: 400 CB_IL02
 *    "Illegal request.", nothing reaches the engine. `__REQUEST_TOKEN__` never reaches it either.
 *  - Answer: kintone's HTTP status; body JSON with `Content-Type: application/json; charset=utf-8`;
 *    every answer carries `X-ConcurrencyLimit-Limit: 100` and `X-ConcurrencyLimit-Running: n`
 *    (requests in flight on this transport, this one included); errors carry
 *    `X-Cybozu-Error: <code>`.
 */
import { errorId, normalizeLocale, nestedDeeperThan, MAX_PARAMS_DEPTH } from '../protocol.js';
import { HTTP_ERRORS } from '../errors.js';

/** APIs whose requests are not JSON and that Ringi does not model: 404 CB_NF01 first. */
const NOT_MODELLED = /^\/k\/(guest\/\d+\/)?v1\/file\.json$/;

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
export const METHODS = Object.freeze(['GET', 'POST', 'PUT', 'DELETE']);
export const API_TOKEN_USER = 'Administrator';

export { HTTP_ERRORS };

/**
 * @typedef {object} HttpRequest
 * @property {string} method
 * @property {string} url          absolute URL or path with query
 * @property {Record<string, string>} headers  lower-case names
 * @property {string|null|undefined} body      body text (already size-checked by the transport)
 *
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {Record<string, string>} headers
 * @property {string} body
 *
 * @typedef {object} HttpContext
 * @property {(payload: {user: string, method: string, path: string, body: any, locale?: string, apiToken?: any}) => Promise<{status: number, body: any}>} call
 * @property {{user: string, token: string} | null} [session]
 * @property {import('./credentials.js').Credentials} [credentials]  passwords and tokens to check
 * @property {Set<string>} [hosts]        Host header values answered (others: 403 RINGI_HT08)
 * @property {string[]} [corsOrigins]     origins given CORS headers (others: 403 RINGI_HT09)
 * @property {number} [maxBodyBytes]
 * @property {string} [locale]  locale of the layer's own errors (default: Accept-Language)
 */

let running = 0;

/** @param {string} code @param {string} [locale] @param {any} [errors] */
export function httpError(code, locale, errors) {
  const m = /** @type {any} */ (HTTP_ERRORS)[code] || HTTP_ERRORS.RINGI_WK01;
  /** @type {any} */
  const body = { code, id: errorId(), message: m[normalizeLocale(locale)] };
  if (errors !== undefined) body.errors = errors;
  return { status: m.status, body };
}

/**
 * Build the final HTTP answer.
 * @param {number} status @param {any} body @param {HttpContext} ctx @param {Record<string,string>} [extra]
 * @returns {HttpResponse}
 */
export function respond(status, body, ctx = /** @type {any} */ ({}), extra = {}) {
  /** @type {Record<string, string>} */
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'x-concurrencylimit-limit': '100',
    'x-concurrencylimit-running': String(Math.max(1, running)),
    ...extra,
  };
  if (status >= 400 && body && typeof body.code === 'string') headers['x-cybozu-error'] = body.code;
  return { status, headers, body: JSON.stringify(body ?? null) };
}

/** CORS headers for an allowed origin. @param {string} origin */
export function corsHeaders(origin) {
  return {
    'access-control-allow-origin': origin,
    vary: 'Origin',
    'access-control-allow-methods': 'GET, POST, PUT, DELETE',
    'access-control-allow-headers': 'Content-Type, X-Cybozu-Authorization, X-Cybozu-API-Token, X-Requested-With, X-HTTP-Method-Override, Authorization',
    'access-control-expose-headers': 'X-ConcurrencyLimit-Limit, X-ConcurrencyLimit-Running, X-Cybozu-Error',
    'access-control-max-age': '600',
  };
}

/** base64 -> UTF-8 text, or null. @param {string} b64 */
function decodeBase64Utf8(b64) {
  const s = b64.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(s) || s.length % 4 === 1) return null;
  try {
    const bin = atob(s);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * What the auth headers claim: {user, password} | {token} | {session: true} | {error}.
 * @param {Record<string,string>} h
 * @returns {{user: string, password: string} | {token: string} | {session: true} | {error: string}}
 */
export function authenticate(h) {
  const xauth = h['x-cybozu-authorization'];
  if (xauth !== undefined && xauth !== '') {
    const text = decodeBase64Utf8(xauth);
    const colon = text === null ? -1 : text.indexOf(':');
    if (text === null || colon <= 0) return { error: 'CB_WA01' };
    return { user: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  const token = h['x-cybozu-api-token'];
  if (token !== undefined && token.trim() !== '') return { token };
  return { session: true };
}

/**
 * Is the request from where this server answers? null, or the refusal's code.
 * @param {Record<string,string>} h @param {HttpContext} ctx
 */
function refusedSource(h, ctx) {
  if (!ctx.hosts) return null;
  const host = (h.host || '').toLowerCase();
  if (!ctx.hosts.has(host)) return 'RINGI_HT08';
  const origin = h.origin;
  if (origin !== undefined && origin !== `http://${host}` && !(ctx.corsOrigins || []).includes(origin)) return 'RINGI_HT09';
  return null;
}

/** Is `contentType` JSON (or absent)? @param {string|undefined} ct */
function isJsonType(ct) {
  if (ct === undefined || ct.trim() === '') return true;
  const base = ct.split(';')[0].trim().toLowerCase();
  return base === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(base);
}

/** The first `__REQUEST_TOKEN__` in a raw query string, or undefined. @param {string} query */
function queryToken(query) {
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (k === '__REQUEST_TOKEN__') {
      try { return decodeURIComponent((eq < 0 ? '' : part.slice(eq + 1)).replace(/\+/g, ' ')); } catch { return ''; }
    }
  }
  return undefined;
}

/** @param {string} query */
function stripQueryToken(query) {
  return query.split('&').filter((p) => p && !p.startsWith('__REQUEST_TOKEN__=') && p !== '__REQUEST_TOKEN__').join('&');
}

/**
 * Answer one HTTP request with the engine. Never throws.
 * @param {HttpRequest} req @param {HttpContext} ctx
 * @returns {Promise<HttpResponse>}
 */
export async function handleHttp(req, ctx) {
  running++;
  try {
    return await handle(req, ctx);
  } catch (e) {
    const err = httpError('RINGI_WK01', ctx.locale);
    if (e && typeof e === 'object' && typeof (/** @type {any} */ (e).code) === 'string') {
      const k = /** @type {any} */ (e);
      return respond(typeof k.status === 'number' ? k.status : 500, { code: k.code, id: k.id || errorId(), message: k.message, ...(k.errors ? { errors: k.errors } : {}) }, ctx);
    }
    return respond(err.status, err.body, ctx);
  } finally {
    running--;
  }
}

/** @param {HttpRequest} req @param {HttpContext} ctx @returns {Promise<HttpResponse>} */
async function handle(req, ctx) {
  /** @type {Record<string, string>} */
  const h = {};
  for (const [k, v] of Object.entries(req.headers || {})) h[k.toLowerCase()] = String(v);
  const locale = ctx.locale || normalizeLocale(h['accept-language']);

  const cors = h.origin !== undefined && (ctx.corsOrigins || []).includes(h.origin) ? corsHeaders(h.origin) : {};
  const respondTo = (status, body, extra = {}) => respond(status, body, ctx, { ...cors, ...extra });
  const fail = (code, errors, extra) => {
    const e = httpError(code, locale, errors);
    return respondTo(e.status, e.body, extra);
  };
  const refused = refusedSource(h, ctx);
  if (refused) return fail(refused);

  let method = String(req.method || '').toUpperCase();
  if (method === 'OPTIONS' && cors['access-control-allow-origin']) return { status: 204, headers: cors, body: '' };
  if (!METHODS.includes(method)) return fail('RINGI_HT01', { method: { messages: ['must be one of the enum value'] } }, { allow: METHODS.join(', ') });
  const override = h['x-http-method-override'];
  if (override !== undefined) {
    if (method !== 'POST' || override.trim() !== 'GET') return fail('RINGI_HT07');
    method = 'GET';
  }

  const u = new URL(req.url, 'http://ringi.invalid');
  const rawQuery = u.search.startsWith('?') ? u.search.slice(1) : u.search;
  // kintone's file API takes multipart bodies; Ringi keeps no files, so it answers as for any
  // API it does not have (README "What Ringi does not model"), not with the JSON-only 415.
  if (NOT_MODELLED.test(u.pathname)) return fail('CB_NF01');

  // Body (GET bodies are ignored unless this is a POST overridden to GET).
  let body = {};
  const text = req.body ?? '';
  const sendsBody = String(req.method).toUpperCase() !== 'GET';
  if (sendsBody && text.trim() !== '') {
    if (new TextEncoder().encode(text).length > (ctx.maxBodyBytes || MAX_BODY_BYTES)) return fail('RINGI_HT03');
    if (!isJsonType(h['content-type'])) return fail('RINGI_HT02');
    try {
      body = JSON.parse(text);
    } catch {
      return fail('CB_IJ01');
    }
    if (body === null) body = {};
    if (typeof body !== 'object') return fail('CB_IJ01');
  }

  // Acting user.
  const auth = authenticate(h);
  if ('error' in auth) return fail(/** @type {string} */ (auth.error));
  let user;
  /** @type {any} */
  let apiToken;
  if ('user' in auth) {
    user = auth.user;
    if (ctx.credentials && !(await ctx.credentials.checkPassword(auth.user, auth.password))) return fail('CB_WA01');
  } else if ('token' in auth) {
    user = API_TOKEN_USER;
    const g = ctx.credentials ? ctx.credentials.grant(auth.token) : { grant: '*' };
    if ('error' in g) return fail(g.error);
    apiToken = g.grant;
  } else {
    if (!ctx.session) return fail('CB_AU01');
    user = ctx.session.user;
    if (method !== 'GET') {
      const b = /** @type {any} */ (body);
      const given = (!Array.isArray(b) && b && typeof b === 'object' && typeof b.__REQUEST_TOKEN__ === 'string')
        ? b.__REQUEST_TOKEN__ : queryToken(rawQuery);
      const xrw = h['x-requested-with'];
      if (!xrw || !xrw.trim() || given === undefined || given !== ctx.session.token) return fail('CB_IL02');
    }
  }
  if (!Array.isArray(body) && body && typeof body === 'object' && '__REQUEST_TOKEN__' in body) {
    body = { ...body };
    delete body.__REQUEST_TOKEN__;
  }
  if (nestedDeeperThan(body, MAX_PARAMS_DEPTH)) return fail('CB_IJ01');
  const query = stripQueryToken(rawQuery);
  const r = await ctx.call({ user, method, path: u.pathname + (query ? `?${query}` : ''), body, locale, ...(apiToken ? { apiToken } : {}) });
  return respondTo(r.status, r.body);
}
