// bench/pages.mjs — server time to render pages at force scale.
//
// Seeds N synthetic people (default 100,000) plus the demo users into a
// temporary database (or uses BENCH_DB), starts the release server with its
// request log on, requests the person page and the search-results page many
// times with a supervisor's API token, and reports the median and p95 of the
// server's own timing ("ms" in its JSON request log), so client and network
// time are left out. The JSON twins are timed too, for comparison.
//
//   node bench/pages.mjs [N]
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.SAFEGUARD_BIN || 'build/safeguard';
const n = Number(process.argv[2] || 100000);
const dir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
const db = process.env.BENCH_DB || join(dir, 'bench.db');
if (!existsSync(db)) {
  const t0 = Date.now();
  execFileSync(bin, ['seed', '--db', db, '--people', String(n), '--seed', '42', '--users']);
  console.log(`seeded ${n} people in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const token = spawnSync(bin, ['token', 'create', '--db', db, '--username', 'supervisor', '--name', 'bench'],
  { encoding: 'utf8' }).stdout.trim();

const srv = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'],
  { env: { ...process.env, SAFEGUARD_LOG_REQUESTS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
const timings = new Map(); // request id -> server ms
let buf = '';
const url = await new Promise((resolve, reject) => {
  srv.stderr.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const m = line.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) resolve(m[1]);
      if (line.startsWith('{')) {
        try {
          const j = JSON.parse(line);
          if (j.request_id) timings.set(j.request_id, j.ms);
        } catch { /* not a request line */ }
      }
    }
  });
  srv.on('exit', (c) => reject(new Error(`server exited ${c}`)));
});

const headers = { authorization: `Bearer ${token}` };
async function time(path) {
  const r = await fetch(url + path, { headers });
  await r.text();
  if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
  return r.headers.get('x-request-id');
}
const pct = (a, p) => a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))];
const names = ['Olivai Smith', 'Mohamed Khan', 'Jon Smyth', 'Emely Jones', 'Smiht', 'Tayler'];
const shapes = {
  'person page       /people/{id}': (i) => `/people/${1 + ((i * 7919) % n)}`,
  'person JSON       /api/people/{id}': (i) => `/api/people/${1 + ((i * 7919) % n)}`,
  'search page       /people?q=': (i) => `/people?q=${encodeURIComponent(names[i % names.length])}`,
  'search JSON       /api/people?q=': (i) => `/api/people?q=${encodeURIComponent(names[i % names.length])}`,
};
console.log(`server time per request, ${n} people (ms, from the server's request log)`);
for (const [label, path] of Object.entries(shapes)) {
  const ids = [];
  for (let i = 0; i < 300; i++) {
    const id = await time(path(i));
    if (i >= 20) ids.push(id); // warm-up
  }
  await new Promise((r) => setTimeout(r, 100)); // let the log lines arrive
  const ms = ids.map((id) => timings.get(id)).filter((x) => x !== undefined).sort((a, b) => a - b);
  console.log(`  ${label.padEnd(36)} median ${pct(ms, 50).toFixed(2)}  p95 ${pct(ms, 95).toFixed(2)}  (n=${ms.length})`);
}
srv.kill('SIGTERM');
if (!process.env.BENCH_DB) rmSync(dir, { recursive: true, force: true });
