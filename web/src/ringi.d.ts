// Hand-written types for Ringi's public JavaScript API (DESIGN §2).

export interface CreateKintoneOptions {
  /** Login code of the acting user (kintone.getLoginUser()). */
  user?: string;
  /**
   * The UI language: every message the engine returns to this page (errors, batch reasons) and
   * getLoginUser().language follow it. Unset: the acting user's locale, as on kintone.
   */
  language?: 'en' | 'ja' | 'zh';
  /** 'indexeddb' (browser default) or 'memory' (Node default). */
  storage?: 'indexeddb' | 'memory';
  /** IndexedDB database name (default 'ringi'). */
  database?: string;
  /** Engine in a module Web Worker (browser default) or in-process (false; Node default). */
  worker?: boolean;
  /** Origin used by kintone.api.url when there is no `location` (default https://ringi.localhost). */
  baseUrl?: string;
  /** Guest space used by kintone.api.url(path, true) (default: detected from location.pathname). */
  guestSpaceId?: string | number | null;
  /** URL of ringi-engine.js (default: next to ringi.js). */
  engineUrl?: string | URL;
  /** URL of ringi-engine.wasm, e.g. on a CDN (default: next to the engine's .js; served as application/wasm it compiles while it downloads). */
  wasmUrl?: string | URL;
  /** URL of worker.js (default: next to ringi.js). */
  workerUrl?: string | URL;
  /** Batch tasks per chunk (one IndexedDB transaction each; default 200, the most one `_submit` takes). */
  chunkSize?: number;
  /**
   * Browser only: register Ringi's Service Worker (service-worker.js) so that plain HTTP
   * clients — XMLHttpRequest, fetch, @kintone/rest-api-client — in this page and its workers
   * reach this page's engine (docs/http.md). `true` = service-worker.js next to ringi.js with
   * its default scope. The promise of createKintone resolves once the page is controlled.
   */
  serviceWorker?: boolean | ServiceWorkerOptions;
  /**
   * In-process only (`worker: false`): an engine module instance to use instead of loading
   * ringi-engine.js (a custom build, or a stand-in in tests). It is used as it is, also after a
   * failure (no second instance can be made from it).
   */
  engine?: unknown;
}

export interface ServiceWorkerOptions {
  /**
   * Script URL (default: service-worker.js next to ringi.js). Its directory bounds the scope
   * unless the server sends `Service-Worker-Allowed`; a one-line script at the site root,
   * `importScripts('/dist/service-worker.js')`, is the usual way to cover a whole site.
   */
  url?: string | URL;
  /** Registration scope: must cover the page (and worker scripts that should be answered). */
  scope?: string;
  /**
   * kintone origins to answer besides the page's own, e.g. ['https://example.cybozu.com'], so
   * code with hard-coded kintone URLs runs unchanged.
   */
  origins?: string[];
}

/** kintone's error object: what the errback / rejection receives. */
export interface KintoneError {
  code: string;
  id: string;
  message: string;
  errors?: Record<string, { messages: string[] }>;
}

export interface LoginUser {
  id: string;
  code: string;
  name: string;
  email: string;
  url: string;
  employeeNumber: string;
  phone: string;
  mobilePhone: string;
  extensionNumber: string;
  timezone: string;
  isGuest: boolean;
  language: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface BatchProgress {
  batch_number: string;
  total: number;
  processed: number;
  failed_tasks: string[];
  state: 'queued' | 'running' | 'completed' | 'partially_completed' | 'cancelled';
  succeeded: number;
  /** Each failure with its record (null when the id named no task); `title` is the record's. */
  failures: { task_id: string; reason_code: string; reason?: string; app: string | null; record_id: string | null; title: string | null }[];
  /** The action run (null: the approve action), the comment posted and the next assignee chosen. */
  action: string | null;
  comment: string | null;
  assignee: string | null;
  /** Every task in the batch's order, with its record and outcome. */
  items: { task_id: string; app: string | null; record_id: string | null; title: string | null; result: 'succeeded' | 'failed' | 'pending' | 'cancelled' }[];
  /** The batch whose failures this one retries. */
  retry_of: string | null;
  created_at: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** In 'progress' events: the submitter (a page shows only its own user's). */
  user?: string;
  [key: string]: unknown;
}

export interface KintoneApi {
  <T = any>(pathOrUrl: string, method: HttpMethod, params: object | unknown[]): Promise<T>;
  <T = any>(pathOrUrl: string, method: HttpMethod, params: object | unknown[],
    callback: (resp: T) => void, errback?: (err: KintoneError) => void): void;
  url(path: string, detectGuestSpace?: boolean): string;
  urlForGet(path: string, params: object, detectGuestSpace?: boolean): string;
  getConcurrencyLimit(): Promise<{ limit: number; running: number }>;
}

export interface RingiEvents {
  progress: BatchProgress;
  changed: { source: 'local' | 'remote' };
  error: KintoneError;
}

export interface RingiSurface {
  /** Replace everything with a workspace document. */
  load(workspace: object): Promise<unknown>;
  /** The workspace document (import ∘ export = identity). */
  export(): Promise<any>;
  /** Empty the database. */
  reset(): Promise<unknown>;
  /** Act as another user; resolves with the new login user. */
  setUser(code: string): Promise<LoginUser>;
  readonly user: string;
  /** Change the UI language (see CreateKintoneOptions.language); null goes back to the user's locale. */
  setLanguage(language: 'en' | 'ja' | 'zh' | null): string | null;
  /** The language messages come in now. */
  readonly language: 'en' | 'ja' | 'zh';
  readonly transport: 'worker' | 'inprocess';
  on<K extends keyof RingiEvents>(type: K, fn: (payload: RingiEvents[K]) => void): RingiSurface;
  off<K extends keyof RingiEvents>(type: K, fn: (payload: RingiEvents[K]) => void): RingiSurface;
  /** Stop the worker / close storage (and stop answering Service Worker requests). */
  close(): Promise<void>;
  /** The Service Worker registration when created with `serviceWorker`. */
  readonly serviceWorker?: ServiceWorkerRegistration;
  /** What opening the database found (the worker protocol's `open` result). */
  readonly opened: OpenResult;
}

export interface OpenResult {
  protocol: number;
  database: string;
  storage: 'indexeddb' | 'memory';
  /** Rows the engine restored, by store. */
  restored: Partial<Record<'users' | 'organizations' | 'groups' | 'apps' | 'records' | 'tasks' | 'batches', number>>;
  /**
   * 'snapshot': one stored value held every row (fast); 'snapshot+journal': an older snapshot
   * plus the rows that commits changed since, read by key (fast: a reload right after a commit);
   * 'rows': every row was read.
   */
  restoredFrom: 'snapshot' | 'snapshot+journal' | 'rows';
  /** Unfinished batches were found and resume in the background. */
  pendingBatches: boolean;
  /**
   * When each phase of the open finished, in ms since the engine host received the open request
   * (engine and storage start together, so phases overlap): the engine fetched and compiled, the
   * database opened, the stored state read (snapshot or rows), the engine restored, and ready
   * (the reply sent). For diagnosing slow cold starts; bench/README.md "cold_start_ms".
   */
  timings: { engineReady: number; storageOpen: number; stateRead: number; restored: number; ready: number };
}

export interface Kintone {
  api: KintoneApi;
  getRequestToken(): string;
  getLoginUser(): LoginUser;
  Promise: PromiseConstructor;
  ringi: RingiSurface;
  /** globalThis.kintone = this */
  install(): Kintone;
}

export function createKintone(opts?: CreateKintoneOptions): Promise<Kintone>;
export default createKintone;
export const PROTOCOL_VERSION: number;
export function encodeQuery(params: unknown): string;
