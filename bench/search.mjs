// bench/search.mjs — person search latency at force scale.
//
// Seeds N synthetic people (default 100,000) into a temporary database unless
// BENCH_DB names an existing one, starts the release server on a loopback
// port, and times name searches that each carry a misspelling, with and
// without a date of birth. Prints p50/p95/max per query shape and overall.
//
//   node bench/search.mjs [N]
import { spawn, execFileSync } from 'node:child_process';
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
// Every search is authenticated and audited, as in production.
const token = execFileSync(bin, ['token', 'create', '--db', db, '--username', 'supervisor', '--name', 'bench'],
  { encoding: 'utf8' }).trim();

export async function startServer(binPath, dbPath, extraEnv = {}) {
  const srv = spawn(binPath, ['serve', '--db', dbPath, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, SAFEGUARD_LOG_REQUESTS: '0', ...extraEnv },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let err = '';
    srv.stderr.on('data', (d) => {
      err += d;
      const m = err.match(/listening on (http:\/\/[0-9.]+:\d+)/);
      if (m) resolve(m[1]);
    });
    srv.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return { srv, url };
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

const { srv, url } = await startServer(bin, db);
const headers = { authorization: `Bearer ${token}` };

// Misspelt names (transposed letters, phonetic variants, swapped order).
const shapes = {
  'family only, misspelt': ['Smiht', 'Jonse', 'Tayler', 'Wiliams', 'Patell', 'Kahn', 'Browne'],
  'given + family, misspelt': ['Olivai Smith', 'Mohamed Khan', 'Jon Smyth', 'Emely Jones', 'Amelia Tayor'],
  'swapped order': ['Smith Oliver', 'Khan Aisha', 'Jones Harry'],
  'name + dob': ['Smiht&dob=2012-05-04', 'Olivia Jnoes&dob=2010-01-15', 'Kahn&dob=2015-09-09'],
};
const all = [];
console.log(`search latency over HTTP, ${n} people (ms)`);
for (const [shape, queries] of Object.entries(shapes)) {
  const times = [];
  for (let round = 0; round < 20; round++) {
    for (const q of queries) {
      const [name, dob] = q.split('&dob=');
      const qs = `q=${encodeURIComponent(name)}${dob ? `&dob=${dob}` : ''}`;
      const t0 = process.hrtime.bigint();
      const r = await fetch(`${url}/api/people?${qs}`, { headers });
      const body = await r.json();
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 200) throw new Error(`${qs}: ${r.status} ${JSON.stringify(body)}`);
      if (round > 0) times.push(ms); // first round warms caches
    }
  }
  times.sort((a, b) => a - b);
  all.push(...times);
  console.log(`  ${shape.padEnd(26)} p50 ${pct(times, 50).toFixed(2)}  p95 ${pct(times, 95).toFixed(2)}  max ${times[times.length - 1].toFixed(2)}`);
}
all.sort((a, b) => a - b);
console.log(`  ${'all'.padEnd(26)} p50 ${pct(all, 50).toFixed(2)}  p95 ${pct(all, 95).toFixed(2)}  max ${all[all.length - 1].toFixed(2)}`);
srv.kill('SIGTERM');
if (!process.env.BENCH_DB) rmSync(dir, { recursive: true, force: true });
