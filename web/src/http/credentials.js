// @ts-check
/**
 * `ringi serve`'s credentials, as kintone has them: a workspace user may have a `password`, and a
 * workspace app `apiTokens: [{token, viewRecord, addRecord, editRecord, deleteRecord, editApp}]`.
 * They are taken out of the workspace before the engine sees it (the engine never holds a
 * secret) and kept in `<data>/credentials.json` as hashes only: passwords with scrypt (salted,
 * N=16384), tokens with SHA-256 (a token is random, long and looked up by value).
 *
 * Without passwords or tokens, serve keeps its development behaviour (any password, any token as
 * Administrator with every right) and says so at start; `strict` (serve on a non-loopback
 * address) turns that off: every user needs a password and tokens must be declared.
 */
import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { readFile, writeFile, rename, open as openFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const scrypt = /** @type {(pw: string, salt: Buffer, len: number, o: object) => Promise<Buffer>} */ (promisify(scryptCb));
const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };
const FILE = 'credentials.json';
const TOKEN_RIGHTS = /** @type {const} */ ([['viewRecord', 'view'], ['addRecord', 'add'], ['editRecord', 'edit'], ['deleteRecord', 'delete'], ['editApp', 'editApp']]);
/** Passwords checked once are remembered (as a hash of login and password) for this many. */
const VERIFIED_CACHE = 256;

/**
 * @typedef {{users: Record<string, string|null>, tokens: {sha256: string, app: number, rights: string[]}[]}} Stored
 *   users: login -> "scrypt$N$r$p$salt$hash" (base64), or null for a user without a password
 */

/** A workspace's credentials were written wrong: the message names the key. */
export class CredentialsError extends Error {}

/**
 * Splits a workspace document into what the engine takes and the secrets it must not see.
 * Refuses (CredentialsError) a `password` or `apiTokens` of the wrong shape, naming where.
 * @param {any} ws a parsed workspace document
 * @returns {{workspace: any, passwords: Record<string, string|null>, tokens: {token: string, app: number, rights: string[]}[]}}
 */
export function takeCredentials(ws) {
  if (!ws || typeof ws !== 'object' || Array.isArray(ws)) return { workspace: ws, passwords: {}, tokens: [] };
  /** @type {Record<string, string|null>} */
  const passwords = {};
  const tokens = [];
  const users = Array.isArray(ws.users) ? ws.users.map((u, i) => {
    if (!u || typeof u !== 'object') return u;
    const { password, ...rest } = u;
    if (typeof u.code === 'string') passwords[u.code] = null;
    if (password === undefined) return rest;
    if (typeof password !== 'string' || password === '' || password.length > 256) {
      throw new CredentialsError(`users[${i}].password must be a string of 1 to 256 characters`);
    }
    passwords[u.code] = password;
    return rest;
  }) : ws.users;
  const seen = new Set();
  const apps = Array.isArray(ws.apps) ? ws.apps.map((a, i) => {
    if (!a || typeof a !== 'object' || a.apiTokens === undefined) return a;
    const { apiTokens, ...rest } = a;
    const at = `apps[${i}].apiTokens`;
    if (!Array.isArray(apiTokens)) throw new CredentialsError(`${at} must be an array`);
    apiTokens.forEach((t, j) => {
      if (!t || typeof t !== 'object' || Array.isArray(t)) throw new CredentialsError(`${at}[${j}] must be an object`);
      for (const k of Object.keys(t)) {
        if (k !== 'token' && !TOKEN_RIGHTS.some(([name]) => name === k)) throw new CredentialsError(`${at}[${j}].${k} is not a token setting`);
      }
      if (typeof t.token !== 'string' || !/^[A-Za-z0-9_-]{8,128}$/.test(t.token)) {
        throw new CredentialsError(`${at}[${j}].token must be 8 to 128 letters, digits, _ or -`);
      }
      if (seen.has(t.token)) throw new CredentialsError(`${at}[${j}].token is used twice`);
      seen.add(t.token);
      const rights = [];
      for (const [name, right] of TOKEN_RIGHTS) {
        if (t[name] !== undefined && typeof t[name] !== 'boolean') throw new CredentialsError(`${at}[${j}].${name} must be true or false`);
        if (t[name]) rights.push(right);
      }
      tokens.push({ token: t.token, app: Number(a.app), rights });
    });
    return rest;
  }) : ws.apps;
  return { workspace: { ...ws, users, apps }, passwords, tokens };
}

/** @param {string} s */
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

/** @param {string} password @returns {Promise<string>} */
export async function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, SCRYPT.keylen, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** @param {string} stored @param {string} password @returns {Promise<boolean>} */
async function passwordMatches(stored, password) {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt') return false;
  const want = Buffer.from(hash, 'base64');
  const got = await scrypt(password, Buffer.from(salt, 'base64'), want.length, { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === want.length && timingSafeEqual(got, want);
}

export class Credentials {
  /** @param {Stored} stored @param {{strict?: boolean}} [o] */
  constructor(stored, o = {}) {
    this.stored = stored;
    this.strict = !!o.strict;
    /** @type {Map<string, {app: number, rights: string[]}>} */
    this.tokens = new Map(stored.tokens.map((t) => [t.sha256, { app: t.app, rights: t.rights }]));
    /** @type {Set<string>} */
    this.verified = new Set();
  }

  /** Hashes what takeCredentials took. @param {ReturnType<typeof takeCredentials>} taken @param {{strict?: boolean}} [o] */
  static async fromWorkspace(taken, o) {
    /** @type {Stored} */
    const stored = { users: {}, tokens: taken.tokens.map((t) => ({ sha256: sha256(t.token), app: t.app, rights: t.rights })) };
    for (const [login, pw] of Object.entries(taken.passwords)) stored.users[login] = pw === null ? null : await hashPassword(pw);
    return new Credentials(stored, o);
  }

  /** The credentials kept in a data folder, or none (a folder from before credentials). @param {string} dir @param {{strict?: boolean}} [o] */
  static async read(dir, o) {
    let text;
    try {
      text = await readFile(path.join(dir, FILE), 'utf8');
    } catch (e) {
      if (/** @type {any} */ (e).code === 'ENOENT') return new Credentials({ users: {}, tokens: [] }, o);
      throw e;
    }
    let stored;
    try { stored = JSON.parse(text); } catch { stored = null; }
    if (!stored || typeof stored.users !== 'object' || !Array.isArray(stored.tokens)) {
      throw new CredentialsError(`${path.join(dir, FILE)} is damaged: restore it from a backup, or delete the folder and import the workspace again`);
    }
    return new Credentials(stored, o);
  }

  /** Writes them into a data folder, durably (a temporary file, fsync, rename). @param {string} dir */
  async write(dir) {
    const to = path.join(dir, FILE);
    const tmp = `${to}.tmp`;
    await writeFile(tmp, JSON.stringify(this.stored), { mode: 0o600 });
    const fh = await openFile(tmp, 'r');
    try { await fh.sync(); } finally { await fh.close(); }
    await rename(tmp, to);
  }

  /** Logins without a password (they may sign in with any password, unless strict). */
  usersWithoutPassword() {
    return Object.entries(this.stored.users).filter(([, h]) => h === null).map(([login]) => login);
  }

  tokensDeclared() { return this.tokens.size > 0; }

  /**
   * Checks X-Cybozu-Authorization's login and password.
   * @param {string} login @param {string} password
   * @returns {Promise<boolean>} false: 401 CB_WA01
   */
  async checkPassword(login, password) {
    const stored = this.stored.users[login];
    if (stored === undefined || stored === null) {
      // An unknown login is left to the engine (401 CB_AU01); one without a password may sign in
      // with any, as before passwords existed, unless strict.
      return !this.strict;
    }
    const key = sha256(`${login}\u0000${password}`);
    if (this.verified.has(key)) return true;
    if (!(await passwordMatches(stored, password))) return false;
    if (this.verified.size >= VERIFIED_CACHE) this.verified.clear();
    this.verified.add(key);
    return true;
  }

  /**
   * What X-Cybozu-API-Token's tokens (comma-separated, as kintone takes them) let the caller do:
   * the engine's apiToken grant, or kintone's error code.
   * @param {string} header
   * @returns {{grant: '*' | Record<string, string[]>} | {error: 'GAIA_IA02' | 'GAIA_DA03'}}
   */
  grant(header) {
    if (!this.tokensDeclared()) return this.strict ? { error: 'GAIA_IA02' } : { grant: '*' };
    /** @type {Record<string, string[]>} */
    const grant = {};
    for (const token of header.split(',').map((t) => t.trim())) {
      const t = this.tokens.get(sha256(token));
      if (!t) return { error: 'GAIA_IA02' };
      if (grant[t.app]) return { error: 'GAIA_DA03' };
      grant[t.app] = t.rights;
    }
    return { grant };
  }
}
