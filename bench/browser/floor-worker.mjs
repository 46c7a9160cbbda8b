// cold_start_floor_ms, worker side (floor.html): plain IndexedDB, no Ringi code. Reads the
// snapshot row exactly as web/src/engine/storage/indexeddb.js stores it (store `snapshot`, key `rows`).
const done = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });

self.onmessage = async ({ data }) => {
  const arrived = performance.now();
  if (!data.database) { self.postMessage({ arrived, bytes: 0 }); return; }
  try {
    const db = await done(indexedDB.open(data.database));  // no version: never upgrades
    const snap = await done(db.transaction('snapshot', 'readonly').objectStore('snapshot').get('rows'));
    db.close();
    const pieces = snap ? (Array.isArray(snap.bytes) ? snap.bytes : [snap.bytes]) : [];
    self.postMessage({ arrived, bytes: pieces.reduce((n, p) => n + p.byteLength, 0) });
  } catch (e) {
    self.postMessage({ arrived, error: String(e && e.message || e) });
  }
};
