// @ts-check
/**
 * Page side of the Service Worker transport (service-worker.js explains the design): registers
 * the Service Worker, waits until it controls this page, announces the page as a host and
 * answers the requests the Service Worker forwards, with handler.js on this page's engine
 * client (its Web Worker) and this page's session: the acting user (createKintone's `user`,
 * changed by kintone.ringi.setUser) and the request token (kintone.getRequestToken()).
 *
 * One page, one host: when createKintone({serviceWorker}) runs twice in a page, the latest
 * instance answers. kintone.ringi.close() withdraws the page.
 */
import { handleHttp, httpError, respond } from './handler.js';
import { makeError, normalizeLocale } from '../protocol.js';

/** @type {{kintone: any, client: any} | null} */
let current = null;
let listening = false;

/**
 * @param {any} kintone the facade
 * @param {import('../page/client.js').Client} client
 * @param {true | {url?: string|URL, scope?: string, origins?: string[]}} option
 */
export async function attachServiceWorker(kintone, client, option) {
  const sw = /** @type {any} */ (globalThis.navigator)?.serviceWorker;
  if (!sw) throw makeError('RINGI_WK01');
  const o = option === true ? {} : option;
  const url = new URL(String(o.url ?? './service-worker.js'), import.meta.url);
  const origins = (o.origins || []).map((x) => { try { return new URL(x).origin; } catch { return String(x).replace(/\/+$/, ''); } });
  if (origins.length) url.searchParams.set('origins', origins.join(','));
  const reg = await sw.register(url.href, o.scope ? { scope: o.scope } : undefined);
  if (!listening) {
    listening = true;
    sw.addEventListener('message', onMessage);
    sw.startMessages?.();
    // A new Service Worker version took over: announce again.
    sw.addEventListener('controllerchange', () => { if (current) announce(true).catch(() => {}); });
  }
  await controlledBy(reg, url.href);
  current = { kintone, client };
  await announce(true);
  return {
    registration: reg,
    async detach() {
      if (current?.kintone !== kintone) return;
      current = null;
      await announce(false).catch(() => {});
    },
  };
}

/** Wait until this page is controlled by the registration's worker for `scriptUrl`. */
function controlledBy(reg, scriptUrl) {
  const sw = /** @type {any} */ (navigator).serviceWorker;
  const ok = () => sw.controller && sw.controller.scriptURL === scriptUrl;
  if (ok()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => { if (ok()) { sw.removeEventListener('controllerchange', check); resolve(undefined); } };
    sw.addEventListener('controllerchange', check);
    // The worker claims its clients when it activates (clients.claim()).
    const w = reg.installing || reg.waiting || reg.active;
    w?.addEventListener?.('statechange', check);
    check();
  });
}

/** Tell the controlling Service Worker that this page answers (or no longer answers). */
function announce(on) {
  const sw = /** @type {any} */ (navigator).serviceWorker;
  const target = sw.controller;
  if (!target) return Promise.resolve();
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(undefined); };
    target.postMessage({ type: 'ringi:host', on }, [ch.port2]);
  });
}

/** @param {MessageEvent} ev */
async function onMessage(ev) {
  const d = ev.data;
  if (!d || d.type !== 'ringi:http' || !ev.ports?.[0]) return;
  const port = ev.ports[0];
  const host = current;
  if (!host) {
    const e = httpError('RINGI_WK01');
    port.postMessage(respond(e.status, e.body));
    return;
  }
  const { kintone, client } = host;
  const res = await handleHttp(d.request, {
    call: (p) => client.request('call', p),
    session: { user: kintone.ringi.user, token: kintone.getRequestToken() },
    locale: normalizeLocale(kintone.getLoginUser().language),
  });
  port.postMessage(res);
}
