// bench/audit.mjs — the cost of one audited read.
//
// Seeds 10,000 people into a temporary database, starts the release server
// (request logging off), creates a user and API token, then drives three
// request kinds in turn, each for DURATION_S seconds (default 5) with 16
// requests in flight:
//   (a) GET /api/people/{id}  audited read: authenticate, write transaction,
//                              read the person, append one audit entry, commit
//   (b) GET /api/session      authenticated the same way, no audit, no person
//   (c) GET /healthz          no authentication, no database
// and prints requests/second, p50 and p99 latency, the audited-read overhead
// over (b), and the audit rows written.
//
//   node bench/audit.mjs            (needs build/safeguard: make build/safeguard)
//   SAFEGUARD_BIN=... DURATION_S=3 CONCURRENCY=8 node bench/audit.mjs
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = process.env.SAFEGUARD_BIN || 'build/safeguard';
const PEOPLE = Number(process.env.PEOPLE || 10000);
const DURATION_MS = Number(process.env.DURATION_S || 5) * 1000;
const CONCURRENCY = Number(process.env.CONCURRENCY || 16);
const MAX_REQUESTS = 500000; // a bound on count as well as time
const WARMUP_MS = 500;

const dir = mkdtempSync(join(tmpdir(), 'sg-bench-audit-'));
const db = join(dir, 'bench.db');
let srv;

function cleanup() {
    if (srv && srv.exitCode === null) srv.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function run(args, input) {
    const r = spawnSync(bin, args, { encoding: 'utf8', input, env: { ...process.env } });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`safeguard ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
}

function auditRows() {
    return Number(execFileSync('sqlite3', [db, 'SELECT COUNT(*) FROM audit_log'], { encoding: 'utf8' }).trim());
}

function pct(sorted, p) {
    return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

/** Drives `next()` → path with CONCURRENCY workers for ms; returns stats. */
async function drive(url, headers, next, ms, expect = 200) {
    const lat = [];
    let errors = 0;
    let sent = 0;
    const t0 = performance.now();
    const end = t0 + ms;
    async function worker() {
        while (performance.now() < end && sent < MAX_REQUESTS) {
            sent++;
            const s = performance.now();
            const r = await fetch(url + next(), { headers });
            await r.arrayBuffer();
            lat.push(performance.now() - s);
            if (r.status !== expect) errors++;
        }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const elapsed = (performance.now() - t0) / 1000;
    lat.sort((a, b) => a - b);
    const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
    return { n: lat.length, errors, rps: lat.length / elapsed, p50: pct(lat, 50), p99: pct(lat, 99), mean, elapsed };
}

const t0 = Date.now();
run(['seed', '--db', db, '--people', String(PEOPLE), '--seed', '42']);
console.log(`seeded ${PEOPLE} people in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
run(['user', 'add', '--db', db, '--username', 'bench', '--role', 'investigator'], 'bench-password-long-enough\n');
const token = run(['token', 'create', '--db', db, '--username', 'bench', '--name', 'bench']).trim();

srv = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
    env: { ...process.env, SAFEGUARD_LOG_REQUESTS: '0' },
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

const auth = { authorization: `Bearer ${token}` };
const ids = execFileSync('sqlite3', [db, 'SELECT id FROM person'], { encoding: 'utf8' }).trim().split('\n').map(Number);
let k = 0;
const nextPerson = () => `/api/people/${ids[(k = (k * 7919 + 1) % ids.length)]}`;

const cases = [
    ['(c) GET /healthz', {}, () => '/healthz'],
    ['(b) GET /api/session', auth, () => '/api/session'],
    ['(a) GET /api/people/{id}', auth, nextPerson],
];
const results = {};
const auditBefore = auditRows();
let auditDuringA = 0;
for (const [name, headers, next] of cases) {
    await drive(url, headers, next, WARMUP_MS); // warm caches and connections
    const before = auditRows();
    results[name] = await drive(url, headers, next, DURATION_MS);
    results[name].audit = auditRows() - before;
    if (name.startsWith('(a)')) auditDuringA = results[name].audit;
}
const auditTotal = auditRows() - auditBefore;

console.log(`\naudited read cost: ${CONCURRENCY} in flight, ${DURATION_MS / 1000} s per case, ${PEOPLE} people\n`);
console.log(`${'request'.padEnd(28)}${'requests'.padStart(10)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}${'audit rows'.padStart(12)}`);
for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(28)}${String(r.n).padStart(10)}${r.rps.toFixed(0).padStart(10)}${r.p50.toFixed(2).padStart(9)}${r.p99.toFixed(2).padStart(9)}${String(r.errors).padStart(8)}${String(r.audit).padStart(12)}`);
}
const a = results['(a) GET /api/people/{id}'];
const b = results['(b) GET /api/session'];
console.log(`\naudited-read overhead vs (b): p50 +${(a.p50 - b.p50).toFixed(2)} ms, p99 +${(a.p99 - b.p99).toFixed(2)} ms, `
    + `mean +${(a.mean - b.mean).toFixed(2)} ms; throughput ${(a.rps / b.rps * 100).toFixed(0)}% of (b)`);
console.log(`audit rows written: ${auditDuringA} during (a) for ${a.n} reads (${(auditDuringA / a.n).toFixed(2)} per read); `
    + `${auditTotal} in all incl. warm-up`);
const bad = Object.values(results).reduce((s, r) => s + r.errors, 0);

srv.kill('SIGTERM');
await new Promise((res) => srv.on('exit', res));
if (bad) {
    console.error(`${bad} requests did not answer 200`);
    process.exitCode = 1;
}
