// bench/pages.mjs — server time to render pages at force scale.
//
// Seeds N synthetic people (default 100,000) plus the demo users into a
// temporary database (or uses BENCH_DB), starts the release server with its
// request log on, requests the person page and the search-results page many
// times with a supervisor's API token, and reports the median and p95 of the
// server's own timing (bench/lib.mjs), so client and network time are left
// out. The JSON twins are timed too, for comparison.
//
//   node bench/pages.mjs [N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, startBench } from './lib.mjs';

const n = Number(process.argv[2] || 100000);
const dir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
const db = process.env.BENCH_DB || join(dir, 'bench.db');
if (!existsSync(db)) {
  const t0 = Date.now();
  execFileSync(bin, ['seed', '--db', db, '--people', String(n), '--seed', '42', '--users']);
  console.log(`seeded ${n} people in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const bench = await startBench(db);
const names = ['Olivai Smith', 'Mohamed Khan', 'Jon Smyth', 'Emely Jones', 'Smiht', 'Tayler'];
const shapes = {
  'person page       /people/{id}': (i) => `/people/${1 + ((i * 7919) % n)}`,
  'person JSON       /api/people/{id}': (i) => `/api/people/${1 + ((i * 7919) % n)}`,
  'search page       /people?q=': (i) => `/people?q=${encodeURIComponent(names[i % names.length])}`,
  'search JSON       /api/people?q=': (i) => `/api/people?q=${encodeURIComponent(names[i % names.length])}`,
};
console.log(`server time per request, ${n} people (ms, from the server's request log)`);
for (const [label, path] of Object.entries(shapes)) await bench.report(label, path, 280);
bench.stop();
if (!process.env.BENCH_DB) rmSync(dir, { recursive: true, force: true });
