// @ts-check
/**
 * kintone's REST API over Node's http server: each request's body is read (bounded in size and
 * time), handed to handler.js with the engine call, and its answer written back. `ringi serve`
 * (bin/ringi.mjs) runs the engine host behind it.
 *   - a body over `maxBody` bytes: 413 RINGI_HT03, answered once the upload ended (answering
 *     earlier resets the connection and the client can lose the answer); past DRAIN_LIMIT the
 *     connection is cut after the answer;
 *   - a body not sent whole within `timeoutMs`: 408 RINGI_HT04, and the connection is closed;
 *   - what Node's parser refuses before any handler sees it (an unknown method token, a request
 *     line or headers past 16 KiB, a garbled line) gets a kintone-shaped answer too.
 */
import { createServer, STATUS_CODES } from 'node:http';
import { handleHttp, httpError, respond } from './handler.js';

/** Bytes of an over-large body read and dropped before the connection is cut instead. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Listens; resolves once it does.
 * @param {import('./handler.js').HttpContext['call']} call the engine call of one authenticated
 *   request (Host.request('call', ...))
 * @param {{port: number, host: string, maxBody: number, timeoutMs: number,
 *   credentials?: import('./credentials.js').Credentials, corsOrigins?: string[],
 *   ready?: Promise<import('./credentials.js').Credentials>}} o  ready: the port is bound before
 *   the engine is open; requests wait for it, and then use the credentials it gives
 * @returns {Promise<{server: import('node:http').Server, url: string, port: number, close: () => Promise<void>}>}
 */
export async function listenHttp(call, o) {
  /** @type {import('./handler.js').HttpContext} */
  const ctx = { call, session: null, maxBodyBytes: o.maxBody, credentials: o.credentials, corsOrigins: o.corsOrigins || [], hosts: new Set() };
  const timeoutMs = o.timeoutMs;
  const ready = o.ready ? o.ready.then((c) => { ctx.credentials = c; }) : Promise.resolve();
  ready.catch(() => {});  // a refused start closes the server; its requests get RINGI_WK01

  const server = createServer((req, res) => {
    /** @param {{status: number, headers: Record<string,string>, body: string}} r @param {boolean} [close] */
    const send = (r, close = false) => {
      if (res.headersSent || res.destroyed) return;
      const headers = { ...r.headers };
      if (close) headers.connection = 'close';
      headers['content-length'] = String(Buffer.byteLength(r.body));
      res.writeHead(r.status, headers);
      res.end(r.body, () => { if (close) req.socket.destroy(); });
    };
    const early = (code) => { const e = httpError(code); send(respond(e.status, e.body, ctx), true); };
    // Too large: stop buffering, discard the rest of the body (at most DRAIN_LIMIT bytes, within
    // the timeout), then answer 413 — answering before the upload ended would reset the
    // connection and the client could lose the answer.
    const declared = Number(req.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > o.maxBody;
    if (tooLarge && declared > DRAIN_LIMIT) { early('RINGI_HT03'); return; }
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    let done = false;
    const timer = setTimeout(() => { if (!done) { done = true; early('RINGI_HT04'); } }, timeoutMs);
    const stop = () => { done = true; clearTimeout(timer); };
    req.on('data', (c) => {
      if (done) return;
      size += c.length;
      if (size > o.maxBody) {
        tooLarge = true;
        chunks.length = 0;
        if (size > DRAIN_LIMIT) { stop(); early('RINGI_HT03'); }
        return;
      }
      chunks.push(c);
    });
    req.on('aborted', stop);
    req.on('error', stop);
    req.on('end', () => {
      if (done) return;
      stop();
      if (tooLarge) { early('RINGI_HT03'); return; }
      const headers = /** @type {Record<string,string>} */ ({});
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : String(v ?? '');
      let text;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)); } catch { text = '\u0000not utf-8'; }
      ready.then(() => handleHttp({ method: req.method || 'GET', url: req.url || '/', headers, body: text }, ctx))
        .then((r) => send(r), () => early('RINGI_WK01'));
    });
  });
  // Requests Node's HTTP parser refuses before any handler sees them (an unknown method token, a
  // request line or headers past 16 KiB, a garbled line) get a kintone-shaped answer too.
  server.on('clientError', (err, socket) => {
    const code = /** @type {any} */ (err).code;
    if (code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    const ours = code === 'HPE_HEADER_OVERFLOW' ? 'RINGI_HT05'
      : code === 'HPE_INVALID_METHOD' ? 'RINGI_HT01'
        : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'RINGI_HT04' : 'RINGI_HT06';
    const e = httpError(ours);
    const r = respond(e.status, e.body, ctx, ours === 'RINGI_HT01' ? { allow: 'GET, POST, PUT, DELETE' } : {});
    const head = [`HTTP/1.1 ${r.status} ${STATUS_CODES[r.status] || 'Error'}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`),
      `content-length: ${Buffer.byteLength(r.body)}`, 'connection: close'];
    socket.end(`${head.join('\r\n')}\r\n\r\n${r.body}`);
  });
  server.headersTimeout = timeoutMs;
  server.requestTimeout = 0; // the body timeout above answers kintone-shaped
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve(undefined));
  });
  const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
  const hostName = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  ctx.hosts = hostNames(o.host, addr.port);
  /** Stops accepting, lets the requests in flight finish (at most 5 s), then resolves. */
  const close = () => new Promise((resolve) => {
    server.close(() => resolve(undefined));
    server.closeIdleConnections();
    setTimeout(() => { server.closeAllConnections(); }, 5000).unref();
  });
  return { server, url: `http://${hostName}:${addr.port}/`, port: addr.port, close: /** @type {() => Promise<void>} */ (close) };
}

/** Is `host` (a --host value) a loopback address? @param {string} host */
export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The Host header values a server listening on `host`:`port` answers: the loopback names when it
 * listens on loopback, else the --host name given; with the port (and without it on port 80).
 * @param {string} host @param {number} port
 */
export function hostNames(host, port) {
  const names = isLoopback(host) ? ['localhost', '127.0.0.1', '[::1]'] : [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host];
  const out = new Set();
  for (const n of names) {
    out.add(`${n.toLowerCase()}:${port}`);
    if (port === 80) out.add(n.toLowerCase());
  }
  return out;
}
