// The plain-IndexedDB baseline (bench/README.md "idb200_ms", "idb10k_rows_per_s"): no Ringi code.
// Messages from the page:
//   {cmd: 'load', database, commits}  open `database` (the twin of Ringi's, or Ringi's own) and keep
//                                     the ChangeSets Ringi committed (captured by ringi-worker.mjs)
//   {cmd: 'twin', from, to}           make `to` a copy of `from` (same stores, same rows), untimed:
//                                     replaying into the twin overwrites rows as old as the ones
//                                     Ringi overwrote (replaying into `from` overwrites the rows
//                                     Ringi wrote a moment earlier, which costs the IndexedDB
//                                     backend less per put: bench/README.md, batch200, round 10)
//   {cmd: 'run'}                      replay them: one readwrite transaction per ChangeSet over the
//                                     same stores + 'sync', durability 'strict' like Ringi, put every
//                                     row / delete every key it listed, put one sync row; wait for
//                                     `complete`, then the next transaction. Reply {done, rows, txs, putMs}.
// The page times 'run' from its postMessage to the reply, as it times Ringi from the kintone.api
// call to the progress event.
let db = null;
let commits = [];
let putMs = 0;
let perTx = [];  // the synchronous part of every transaction (the put() calls), for the breakdown

function open(name) {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(name);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function request(r) {
  return new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
}

async function twin(from, to) {
  await request(indexedDB.deleteDatabase(to));
  const src = await open(from);
  const names = [...src.objectStoreNames];
  const shape = new Map();
  const read = src.transaction(names, 'readonly');
  for (const n of names) shape.set(n, { keyPath: read.objectStore(n).keyPath, autoIncrement: read.objectStore(n).autoIncrement });
  const up = indexedDB.open(to, 1);
  up.onupgradeneeded = () => { for (const [n, o] of shape) up.result.createObjectStore(n, o); };
  const dst = await request(up);
  let rows = 0;
  for (const n of names) {
    const all = await request(src.transaction(n, 'readonly').objectStore(n).getAll());
    const keys = shape.get(n).keyPath === null ? await request(src.transaction(n, 'readonly').objectStore(n).getAllKeys()) : null;
    const tx = dst.transaction(n, 'readwrite');
    const os = tx.objectStore(n);
    all.forEach((row, i) => (keys ? os.put(row, keys[i]) : os.put(row)));
    rows += all.length;
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = tx.onabort = () => reject(tx.error); });
  }
  src.close();
  dst.close();
  return rows;
}

function apply(c) {
  const stores = new Set(['sync']);
  for (const [s, rows] of Object.entries(c.put || {})) if (rows.length) stores.add(s);
  for (const [s, keys] of Object.entries(c.delete || {})) if (keys.length) stores.add(s);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tx = db.transaction([...stores], 'readwrite', { durability: 'strict' });
    tx.oncomplete = () => resolve();
    tx.onerror = tx.onabort = () => reject(tx.error);
    for (const [s, rows] of Object.entries(c.put || {})) {
      if (!rows.length) continue;
      const os = tx.objectStore(s);
      for (const row of rows) os.put(row);
    }
    for (const [s, keys] of Object.entries(c.delete || {})) {
      if (!keys.length) continue;
      const os = tx.objectStore(s);
      for (const k of keys) os.delete(k);
    }
    // Ringi writes a generation token per commit; a key of our own, so Ringi's token stays put.
    tx.objectStore('sync').put({ key: 'baseline', value: Date.now().toString(36) + Math.random().toString(16).slice(2) });
    putMs += performance.now() - t0;
  });
}

self.onmessage = async (ev) => {
  const m = ev.data;
  try {
    if (m.cmd === 'load') {
      if (db && db.name !== m.database) { db.close(); db = null; }
      if (!db) db = await open(m.database);
      commits = m.commits;
      self.postMessage({ loaded: commits.length });
    } else if (m.cmd === 'twin') {
      if (db) { db.close(); db = null; }
      self.postMessage({ rows: await twin(m.from, m.to) });
    } else if (m.cmd === 'run') {
      putMs = 0;
      perTx = [];
      for (const c of commits) {
        const t0 = performance.now();
        await apply(c);
        perTx.push(performance.now() - t0);
      }
      let rows = 0;
      for (const c of commits) {
        for (const v of Object.values(c.put || {})) rows += v.length;
        for (const v of Object.values(c.delete || {})) rows += v.length;
      }
      self.postMessage({ done: true, rows, txs: commits.length, putMs, perTx });
    } else if (m.cmd === 'close') {
      db?.close(); db = null;
      self.postMessage({ closed: true });
    }
  } catch (e) {
    self.postMessage({ error: String(e && e.stack || e) });
  }
};
