// bench/run.mjs — `make bench`: the force-scale benchmark table (issue 16).
//
// Builds the dataset once (safeguard seed --scale, cached as
// build/bench/<scale>.db; each run works on a fresh copy so runs do not
// drift), starts the release server on loopback, and for each key operation
// measures median and p99 latency and requests per second at 1, 16 and 64
// concurrent clients with the C load client (bench/load.c). Two baselines
// are measured in the same run: the same server's /healthz, and a raw SQLite
// query of the same shape (bench/rawsql.c). Prints one table, each operation
// as a ratio to its baselines, then each board measure for a month and for a
// 36-month trend (the most the trend endpoint serves); writes the figures to
// build/bench/results-<scale>.json.
//
// BENCH_BACKEND=postgres runs the same table against PostgreSQL: a
// throwaway cluster (scripts/pg-cluster, in a temporary directory, stopped
// and removed at the end whatever happens) is loaded from the same dataset
// with `safeguard migrate-store` (the very rows the SQLite run reads, and
// faster than seeding over the wire), the server runs with --db
// postgres://..., and the raw baseline is the same query through libpq
// (bench/rawpg.c). Figures go to build/bench/results-<scale>-postgres.json.
//
//   BENCH_SCALE=tiny|small|medium|large (default medium)  BENCH_SECONDS (default 3)
//   BENCH_LEVELS=1,16,64  BENCH_MEASURES=0 to skip the per-measure table
//   BENCH_BACKEND=sqlite|postgres (default sqlite)
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.SAFEGUARD_BIN || 'build/safeguard';
const scale = process.env.BENCH_SCALE || 'medium';
const secs = Number(process.env.BENCH_SECONDS || 3);
const levels = (process.env.BENCH_LEVELS || '1,16,64').split(',').map(Number);
const backend = process.env.BENCH_BACKEND || 'sqlite';
if (!['sqlite', 'postgres'].includes(backend)) throw new Error(`BENCH_BACKEND=${backend}: sqlite or postgres`);
const pg = backend === 'postgres';
const dir = 'build/bench';
mkdirSync(dir, { recursive: true });
const cached = join(dir, `${scale}.db`);
const db = join(dir, `${scale}.run.db`);

if (!existsSync(cached)) {
  const t0 = Date.now();
  execFileSync(bin, ['seed', '--scale', scale, '--seed', '1', '--db', cached], { stdio: 'inherit' });
  execFileSync(bin, ['audit', 'verify', '--db', cached], { stdio: 'ignore' });
  console.log(`(dataset built in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
execFileSync('sqlite3', [cached, 'PRAGMA wal_checkpoint(TRUNCATE);'], { stdio: 'ignore' });
copyFileSync(cached, db);

// PostgreSQL: a throwaway cluster holding a copy of the same dataset.
// Whatever ends this script (an error, ^C), the server goes and the
// cluster is stopped and its directory removed.
let srv, pgDir, pgScratch;
function cleanup() {
  if (srv && srv.exitCode === null) srv.kill('SIGKILL');
  if (pgDir) {
    try { execFileSync('scripts/pg-cluster', ['stop', pgDir], { stdio: 'ignore' }); } catch { /* best effort */ }
    pgDir = undefined;
  }
}
process.on('exit', cleanup);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
const psql = (url, q) => execFileSync('psql', ['-X', '-q', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', url, '-c', q],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
let target = db;
if (pg) {
  const t0 = Date.now();
  pgDir = mkdtempSync(join(tmpdir(), 'safeguard-bench-pg-'));
  const base = execFileSync('scripts/pg-cluster', ['start', pgDir], { encoding: 'utf8' }).trim();
  psql(`${base}/postgres`, 'CREATE DATABASE bench');
  psql(`${base}/postgres`, 'CREATE DATABASE scratch');
  target = `${base}/bench`;
  pgScratch = `${base}/scratch`;
  // The cached dataset may predate this release's schema: bring the copy up to it first.
  execFileSync(bin, ['init', '--db', db], { stdio: 'ignore' });
  execFileSync(bin, ['migrate-store', '--from', `sqlite:${db}`, '--to', target], { stdio: 'ignore' });
  psql(target, 'ANALYZE'); // fresh statistics, as a migrated database gets once autovacuum has run
  console.log(`(PostgreSQL cluster started and loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

const sql = (q) => (pg ? psql(target, q) : execFileSync('sqlite3', ['-separator', '\t', db, q], { encoding: 'utf8' }))
  .trim().split('\n').filter(Boolean);
const token = (u) => execFileSync(bin, ['token', 'create', '--db', target, '--username', u, '--name', 'bench'],
  { encoding: 'utf8' }).trim();
const tokens = { supervisor: token('supervisor'), call_handler: token('call_handler'),
  board: token('assurance_board') };

// What the operations ask for: the people, addresses and children the
// dataset has most history for, and misspelt names. Portable SQL, ties
// broken by key, so both backends pick the same rows.
const people = Number(sql('SELECT MAX(id) FROM person')[0]);
const hot = sql(`SELECT MIN(location), MIN(postcode) FROM incident GROUP BY address_key
  ORDER BY COUNT(*) DESC, address_key LIMIT 40`).map((l) => l.split('\t'));
const kids = sql(`SELECT person_id FROM incident_person WHERE is_child = 1 GROUP BY person_id
  ORDER BY COUNT(*) DESC, person_id LIMIT 40`).map(Number);
const keys = sql(`SELECT search_key FROM person_search WHERE person_id % 97 = 0
  ORDER BY person_id, search_key LIMIT 200`);
const misspelt = ['Smiht', 'Olivai Smith', 'Mohamed Kahn', 'Jon Smyth', 'Emely Jones', 'Tayler',
  'Wiliams', 'Patell', 'Amelia Tayor', 'Jonse', 'Harry Browne', 'Jaxk Wilson'];
const now = new Date();
const ym = (d) => d.toISOString().slice(0, 7);
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0));
const fiveYears = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 59, 1));
const day = (d) => d.toISOString().slice(0, 10);

const reqDir = join(dir, 'requests');
mkdirSync(reqDir, { recursive: true });
function reqFile(name, lines) {
  const f = join(reqDir, `${name}.txt`);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}
const ids = Array.from({ length: 500 }, (_, i) => 1 + ((i * 7919) % people));
const ops = [
  { key: 'healthz', label: 'baseline: /healthz', user: null, file: reqFile('healthz', ['GET /healthz']) },
  { key: 'signin', label: 'sign in (Argon2id)', user: null,
    file: reqFile('signin', ['POST /api/session {"username":"supervisor","password":"safeguard-demo-2026"}']),
    raw: ['SELECT id, password_hash FROM app_user WHERE username = ?1', 'supervisor'] },
  { key: 'search', label: 'person search, misspelt', user: 'supervisor',
    file: reqFile('search', misspelt.map((q) => `GET /api/people?q=${encodeURIComponent(q)}`)),
    raw: [`SELECT p.id, p.given_name, p.family_name, p.dob FROM person_search s
      JOIN person p ON p.id = s.person_id WHERE s.search_key = ?1 LIMIT 100`, ...keys] },
  { key: 'person', label: 'open a person record', user: 'supervisor',
    file: reqFile('person', ids.map((i) => `GET /api/people/${i}`)),
    raw: [`SELECT p.id, p.given_name, p.family_name, p.dob, a.line1, a.postcode FROM person p
      LEFT JOIN person_address a ON a.person_id = p.id WHERE p.id = ?1`, ...ids.map(String)] },
  { key: 'incident', label: 'log an incident (+ prior history)', user: 'call_handler',
    file: reqFile('incident', hot.map(([loc, pc], i) => `POST /api/incidents ${JSON.stringify({
      location: loc, postcode: pc, nature: 'domestic_abuse', description: 'Bench: shouting heard.',
      persons: [{ person_id: kids[i % kids.length], role: 'child_present' }] })}`)),
    rawdb: join(dir, 'scratch.db'),
    raw: ['INSERT INTO bench_incident (reference, received_at, location, nature) VALUES (?1, datetime(), \'1 High St\', \'other\')', 'INC-B'],
    pgsql: 'INSERT INTO bench_incident (reference, received_at, location, nature) VALUES ($1, to_char(now(), \'YYYY-MM-DD HH24:MI:SS\'), \'1 High St\', \'other\')' },
  { key: 'mywork', label: 'My work, busy supervisor', user: 'supervisor',
    file: reqFile('mywork', ['GET /api/work']),
    raw: [`SELECT id, rule, record_type, record_id, person_id, title, due_at, owner_user_id,
      owner_team, owner_role, escalate_role FROM task WHERE status = 'open'
      ORDER BY CASE WHEN due_at < ?1 THEN 0 ELSE 1 END, due_at, id LIMIT 2000`, now.toISOString().slice(0, 19) + 'Z'] },
  { key: 'board_month', label: 'board: every measure, one month', user: 'board',
    file: reqFile('board_month', [`GET /api/assurance?from=${day(lastMonth)}&to=${day(monthEnd)}`]),
    raw: [`SELECT COUNT(*), SUM(CASE WHEN ip.role = 'victim' THEN 1 ELSE 0 END) FROM incident i
      JOIN incident_person ip ON ip.incident_id = i.id WHERE ip.is_child = 1 AND i.received_at >= ?1
      AND i.received_at < date(?1, '+1 month')`, day(lastMonth)],
    pgsql: `SELECT COUNT(*), SUM(CASE WHEN ip.role = 'victim' THEN 1 ELSE 0 END) FROM incident i
      JOIN incident_person ip ON ip.incident_id = i.id WHERE ip.is_child = 1 AND i.received_at >= $1
      AND i.received_at < to_char($1::date + interval '1 month', 'YYYY-MM-DD')` },
  { key: 'board_5y', label: 'board: every measure, 60 months', user: 'board', heavy: true,
    file: reqFile('board_5y', [`GET /api/assurance/measures.csv?from=${ym(fiveYears)}&to=${ym(lastMonth)}`]),
    raw: [`SELECT substr(i.received_at, 1, 7) AS m, COUNT(*) FROM incident i JOIN incident_person ip
      ON ip.incident_id = i.id WHERE ip.is_child = 1 AND i.received_at >= ?1 GROUP BY m`, day(fiveYears)] },
  { key: 'pack', label: 'board pack PDF', user: 'board', heavy: true,
    file: reqFile('pack', [`GET /api/assurance/board-pack.pdf?period=${ym(lastMonth)}`]),
    raw: [`SELECT substr(i.received_at, 1, 7) AS m, COUNT(*) FROM incident i JOIN incident_person ip
      ON ip.incident_id = i.id WHERE ip.is_child = 1 AND i.received_at >= date(?1, '-6 months')
      GROUP BY m`, day(lastMonth)],
    pgsql: `SELECT substr(i.received_at, 1, 7) AS m, COUNT(*) FROM incident i JOIN incident_person ip
      ON ip.incident_id = i.id WHERE ip.is_child = 1
      AND i.received_at >= to_char($1::date - interval '6 months', 'YYYY-MM-DD') GROUP BY m` },
];
// BENCH_OPS=person,incident runs only those operations (and the /healthz
// baseline), e.g. to compare one change before and after.
if (process.env.BENCH_OPS) {
  const only = new Set(['healthz', ...process.env.BENCH_OPS.split(',')]);
  ops.splice(0, ops.length, ...ops.filter((o) => only.has(o.key)));
}

// The scratch table for the one-transaction-per-row baseline of creates.
const scratch = join(dir, 'scratch.db');
if (pg) {
  psql(pgScratch, `CREATE TABLE bench_incident (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    reference TEXT, received_at TEXT, location TEXT, nature TEXT)`);
} else {
  for (const f of [scratch, `${scratch}-wal`, `${scratch}-shm`]) rmSync(f, { force: true });
  execFileSync('sqlite3', [scratch, `PRAGMA journal_mode=WAL; CREATE TABLE bench_incident (id INTEGER
    PRIMARY KEY, reference TEXT, received_at TEXT, location TEXT, nature TEXT);`], { stdio: 'ignore' });
}

execFileSync('make', ['-s', 'build/bench/load', pg ? 'build/bench/rawpg' : 'build/bench/rawsql'], { stdio: 'inherit' });
srv = spawn(bin, ['serve', '--db', target, '--listen', '127.0.0.1:0'],
  { env: { ...process.env, SAFEGUARD_LOG_REQUESTS: '0' }, stdio: ['ignore', 'ignore', 'pipe'] });
const port = await new Promise((resolve, reject) => {
  let buf = '';
  srv.stderr.on('data', (d) => {
    buf += d;
    const m = buf.match(/listening on http:\/\/[0-9.]+:(\d+)/);
    if (m) resolve(m[1]);
  });
  srv.on('exit', (c) => reject(new Error(`server exited ${c}: ${buf}`)));
});

function load(op, c, seconds = secs) {
  const headers = op.user ? [`Authorization: Bearer ${tokens[op.user]}`] : [];
  return JSON.parse(execFileSync('build/bench/load', ['127.0.0.1', port, String(c), String(seconds),
    op.file, ...headers], { encoding: 'utf8' }));
}
function raw(op, c, seconds = Math.min(secs, 2)) {
  if (pg) {
    // The same query for PostgreSQL: its own text where SQLite's date
    // functions differ, otherwise ?1 written $1.
    const [q, ...params] = op.raw;
    return JSON.parse(execFileSync('build/bench/rawpg', [op.rawdb ? pgScratch : target, String(c), String(seconds),
      op.pgsql || q.replaceAll('?1', '$1'), ...params], { encoding: 'utf8' }));
  }
  return JSON.parse(execFileSync('build/bench/rawsql', [op.rawdb || db, String(c), String(seconds),
    ...op.raw], { encoding: 'utf8' }));
}

const dbBytes = pg ? Number(sql("SELECT pg_database_size('bench')")[0]) : statSync(cached).size;
const results = { scale, backend, when: now.toISOString(), seconds: secs, levels, dbBytes, ops: {}, measures: [] };
for (const op of ops) load(op, 1, 0.5); // warm the caches once
const f = (x, w = 8, d = 2) => (x === undefined ? '—' : x.toFixed(d)).padStart(w);
console.log(`\nSafeguard force-scale benchmark — ${backend}, ${scale} dataset (${(results.dbBytes / 1e6).toFixed(0)} MB), ` +
  `${secs} s per cell, loopback, shared 2-core machine`);
console.log('operation                           c   p50 ms   p99 ms    req/s  raw p50  raw req/s  ×raw p50  ÷healthz');
const health = {};
for (const c of levels) health[c] = load(ops[0], c);
for (const op of ops) {
  results.ops[op.key] = { label: op.label, levels: {} };
  // Seconds-long requests are measured at one client only on the large
  // dataset: 64 of them at once would take many minutes and say nothing new.
  for (const c of levels.filter((l) => !(op.heavy && scale === 'large' && l > 1))) {
    const r = op.key === 'healthz' ? health[c] : load(op, c);
    const b = op.raw ? raw(op, c) : undefined;
    results.ops[op.key].levels[c] = { ...r, raw: b };
    console.log(`${op.label.padEnd(34)}${String(c).padStart(3)} ${f(r.p50_ms)} ${f(r.p99_ms)} ` +
      `${f(r.rps, 8, 0)} ${f(b?.p50_ms, 8, 3)} ${f(b?.rps, 10, 0)} ${f(b ? r.p50_ms / b.p50_ms : undefined, 9, 1)} ` +
      `${f(r.rps / health[c].rps, 9, 3)}${r.errors ? `  (${r.errors} errors)` : ''}`);
  }
}

if (process.env.BENCH_MEASURES !== '0') {
  const keys = JSON.parse(execFileSync('curl', ['-s', '-H', `Authorization: Bearer ${tokens.board}`,
    `http://127.0.0.1:${port}/api/assurance`], { encoding: 'utf8' }));
  const measures = [];
  for (const rec of keys.recommendations || []) for (const m of rec.measures || []) measures.push(m.key);
  console.log('\nEach board measure, one client (ms): one month, and a 36-month trend');
  console.log('measure                              month p50  month p99   36m p50   36m p99');
  for (const k of measures) {
    const one = { file: reqFile(`m1_${k}`, [`GET /api/assurance/measures/${k}/trend.svg?months=1`]), user: 'board' };
    const many = { file: reqFile(`m36_${k}`, [`GET /api/assurance/measures/${k}/trend.svg?months=36`]), user: 'board' };
    const a = load(one, 1, 0.6), b = load(many, 1, 1);
    results.measures.push({ key: k, month: a, trend36: b });
    console.log(`${k.padEnd(36)} ${f(a.p50_ms, 9)} ${f(a.p99_ms, 10)} ${f(b.p50_ms, 9)} ${f(b.p99_ms, 9)}`);
  }
}
srv.kill('SIGTERM');
await new Promise((resolve) => (srv.exitCode === null ? srv.once('exit', resolve) : resolve()));
const out = join(dir, `results-${scale}${pg ? '-postgres' : ''}${process.env.BENCH_OPS ? '-partial' : ''}.json`);
writeFileSync(out, JSON.stringify(results, null, 2));
console.log(`\n(figures in ${out}; ×raw: median over the raw ${pg ? 'PostgreSQL' : 'SQLite'} query of ` +
  'the same shape; ÷healthz: throughput as a share of /healthz at the same concurrency)');
