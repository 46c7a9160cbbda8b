// A tiny JS stand-in for the wasm engine with the same function contract (JSON strings in/out),
// so host/transport/storage behaviour can be tested deterministically (commit failures, crashes,
// two hosts). Records carry a `history` list; a batch task appends to it once.
const clone = (v) => JSON.parse(JSON.stringify(v));

export function createFakeEngine() {
  let s = empty();
  let undo = null;
  let seq = 0;
  function empty() { return { users: [], records: {}, tasks: {}, batches: {}, order: [], nextId: 1 }; }
  const reply = (status, body, changes = null) => JSON.stringify({ status, body, changes });
  const err = (status, code, message) => reply(status, { code, id: 'fake', message });
  const rows = () => ({
    users: s.users,
    records: Object.values(s.records),
    tasks: Object.values(s.tasks),
    batches: Object.values(s.batches),
    meta: [{ key: 'engine', nextId: s.nextId, order: s.order }],
  });
  const mutate = (fn) => { undo = clone(s); return fn(); };
  function progress(b) {
    return { batch_number: b.batch_number, total: b.task_ids.length, processed: b.processed, failed_tasks: b.failed_tasks, state: b.state, succeeded: b.processed - b.failed_tasks.length, failures: [] };
  }
  return {
    calls: 0,
    ringiCall(json) {
      this.calls++;
      const { user, method, path, body: sent } = JSON.parse(json);
      // As the engine maps a path (src/api/router.h): no fragment, no origin, a leading /, `.json`
      // optional; the query string merged into an object body (body wins).
      const [raw, q] = path.split('#')[0].split('?');
      let p = raw.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
      if (!p.startsWith('/')) p = `/${p}`;
      if ((p.startsWith('/k/') || p.startsWith('/v1/')) && !p.endsWith('.json')) p += '.json';
      const query = Object.fromEntries(new URLSearchParams(q || ''));
      const body = sent && typeof sent === 'object' && !Array.isArray(sent) ? { ...query, ...sent } : sent;
      if (p === '/v1/users.json' && method === 'GET') {
        const codes = body && body.codes;
        return reply(200, { users: s.users.filter((u) => !codes || codes.includes(u.code)) });
      }
      if (p === '/k/v1/record.json' && method === 'POST') {
        if (!body || !body.app) return err(400, 'CB_VA01', 'Missing or invalid input.');
        return mutate(() => {
          const id = s.nextId++;
          const rec = { app: Number(body.app), id, revision: 1, history: [], value: body.record ?? null };
          s.records[`${rec.app}:${id}`] = rec;
          const task = { id: `t${rec.app}-${id}`, app: rec.app, record_id: id, user: user, open: true };
          s.tasks[task.id] = task;
          return reply(200, { id: String(id), revision: '1' }, { reset: false, put: { records: [rec], tasks: [task], meta: rows().meta } });
        });
      }
      if (p === '/k/v1/record.json' && method === 'GET') {
        const rec = s.records[`${body.app}:${body.id}`];
        if (!rec) return err(404, 'GAIA_RE01', `The specified record (ID: ${body.id}) is not found.`);
        return reply(200, { record: clone(rec), echo: { path, body } });
      }
      if (p === '/k/v1/echo.json' || p.startsWith('/k/guest/')) return reply(200, { path, method, body, user });
      if (p === '/batch_approvals/_submit' && method === 'POST') {
        if (!Array.isArray(body) || !body.length) return err(400, 'CB_VA01', 'Missing or invalid input.');
        return mutate(() => {
          const bn = `b${++seq}${Math.random().toString(16).slice(2, 8)}`;
          const b = { batch_number: bn, user: query.user_id, task_ids: body, processed: 0, failed_tasks: [], state: 'queued' };
          s.batches[bn] = b;
          s.order.push(bn);
          return reply(200, { batch_number: bn }, { reset: false, put: { batches: [b], meta: rows().meta } });
        });
      }
      if (p === '/batch_approvals/_submit' && method === 'GET') {
        const b = s.batches[query.batch_number];
        if (!b) return err(404, 'RINGI_BA01', 'no batch');
        return reply(200, progress(b));
      }
      return err(404, 'CB_NF01', 'unknown path');
    },
    // As the real engine: the reset's rows are not in the reply but read with ringiRowsPieces,
    // one store a piece, and a restore takes such pieces.
    ringiLoad(workspace) {
      const ws = JSON.parse(typeof workspace === 'string' ? workspace : new TextDecoder().decode(workspace));
      return mutate(() => {
        s = empty();
        s.users = ws.users || [];
        for (const r of ws.records || []) { s.records[`${r.app}:${r.id}`] = r; s.nextId = Math.max(s.nextId, r.id + 1); }
        for (const t of ws.tasks || []) s.tasks[t.id] = t;
        return reply(200, {}, { reset: true, paged: true });
      });
    },
    ringiRestore(json) {
      let st;
      try { st = JSON.parse(json); } catch { return err(400, 'CB_IJ01', 'bad JSON'); }
      s = empty();
      s.users = st.users || [];
      for (const r of st.records || []) s.records[`${r.app}:${r.id}`] = r;
      for (const t of st.tasks || []) s.tasks[t.id] = t;
      for (const b of st.batches || []) s.batches[b.batch_number] = b;
      const m = (st.meta || []).findLast((x) => x.key === 'engine');
      if (m) { s.nextId = m.nextId; s.order = m.order; }
      undo = null;
      this.restores = (this.restores || 0) + 1;
      const counts = { users: s.users.length, records: Object.keys(s.records).length, tasks: Object.keys(s.tasks).length, batches: Object.keys(s.batches).length };
      return reply(200, counts, null);
    },
    ringiRowsPieces() {
      return Object.entries(rows()).map(([store, list]) => new TextEncoder().encode(JSON.stringify({ [store]: list })));
    },
    // An overlay's rows come last: the maps in ringiRestore keep the last row of each key.
    ringiRestorePieces(pieces, overlay) {
      const all = {};
      for (const p of overlay ? [...pieces, overlay] : pieces) {
        let doc;
        try { doc = JSON.parse(new TextDecoder().decode(p)); } catch { return err(400, 'CB_IJ01', 'bad piece'); }
        for (const [store, list] of Object.entries(doc)) (all[store] ??= []).push(...list);
      }
      return this.ringiRestore(JSON.stringify(all));
    },
    ringiExport() { return JSON.stringify({ users: s.users, records: Object.values(s.records), tasks: Object.values(s.tasks) }); },
    ringiHasPendingBatches() { return s.order.some((bn) => ['queued', 'running'].includes(s.batches[bn].state)); },
    ringiRunChunk(n) {
      const bn = s.order.find((x) => ['queued', 'running'].includes(s.batches[x].state));
      if (!bn) return reply(200, null, null);
      return mutate(() => {
        const b = s.batches[bn];
        const recs = []; const tasks = [];
        for (let i = 0; i < n && b.processed < b.task_ids.length; i++) {
          const tid = b.task_ids[b.processed++];
          const t = s.tasks[tid];
          if (!t || !t.open) { b.failed_tasks.push(tid); continue; }
          t.open = false;
          const r = s.records[`${t.app}:${t.record_id}`];
          r.history.push({ task: tid, batch: bn });
          r.revision += 2;
          recs.push(r); tasks.push(t);
        }
        b.state = b.processed < b.task_ids.length ? 'running' : (b.failed_tasks.length ? 'partially_completed' : 'completed');
        const put = { batches: [b] };
        if (recs.length) put.records = recs;
        if (tasks.length) put.tasks = tasks;
        return reply(200, progress(b), { reset: false, put });
      });
    },
    ringiRevertLast() { if (undo) s = undo; undo = null; },
    _state: () => s,
  };
}
