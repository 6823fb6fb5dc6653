// bench/soak.mjs — a bounded soak: does the release server hold steady?
//
// Seeds 10,000 synthetic people plus the demo users (--users) into a
// temporary database, starts the release server on a loopback port (request
// logging off), takes an API token for the demo "supervisor", and drives a
// mixed workload with CONCURRENCY requests in flight for SECONDS:
//   60%  GET   /api/people/{id}       audited person read
//   20%  GET   /api/people?q=NAME     tolerant search (some misspelt, some with dob)
//   15%  POST  /api/people            create (confirmed_new, so no duplicate check stops it)
//    5%  PATCH /api/people/{id}       change ethnicity on a person this run created
// Every 5 s it prints elapsed time, requests so far, req/s, p50/p99 latency
// for the interval, the server's VmRSS and the database size (file + WAL);
// at the end a summary.
//
// A warm-up of WARMUP_S seconds (default 10, same workload) comes first and
// is left out of the figures: SQLite's page cache (cache_size=-16000, up to
// ~16 MB per worker connection) and malloc's per-thread arenas fill during
// the first seconds, which is growth of a bounded kind.
//
// Exits non-zero when any request got a 5xx or failed outright, when the
// server died, or when the median RSS in the last third of the measured run
// is more than 20% above the median of its first third (memory must not grow
// without bound). Bounded in time (WARMUP_S + SECONDS) and in count
// (MAX_REQUESTS).
//
//   node bench/soak.mjs [seconds=60] [concurrency=16]
//   SAFEGUARD_BIN=build/safeguard (default)   WARMUP_S=10 (default)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';

const bin = process.env.SAFEGUARD_BIN || 'build/safeguard';
const SECONDS = Number(process.argv[2] || 60);
const CONCURRENCY = Number(process.argv[3] || 16);
const PEOPLE = 10000;
const MAX_REQUESTS = 5_000_000;
const REPORT_MS = 5000;
const RSS_SAMPLE_MS = 500;
const WARMUP_S = Number(process.env.WARMUP_S ?? 10);
if (!(SECONDS > 0 && SECONDS <= 24 * 3600) || !(CONCURRENCY >= 1 && CONCURRENCY <= 256) ||
    !(WARMUP_S >= 0 && WARMUP_S <= 600)) {
    console.error('usage: node bench/soak.mjs [seconds=60 (1..86400)] [concurrency=16 (1..256)]');
    process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'sg-soak-'));
const db = join(dir, 'soak.db');
let srv;
function cleanup() {
    if (srv && srv.exitCode === null && srv.signalCode === null) srv.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function run(args) {
    const r = spawnSync(bin, args, { encoding: 'utf8', env: { ...process.env } });
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`safeguard ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
}

/* ---- set up ---------------------------------------------------------------- */

let t0 = performance.now();
run(['seed', '--db', db, '--people', String(PEOPLE), '--seed', '42', '--users']);
const token = run(['token', 'create', '--db', db, '--username', 'supervisor', '--name', 'soak']).trim();
console.log(`seeded ${PEOPLE} people and the demo users in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const env = { ...process.env, SAFEGUARD_LOG_REQUESTS: '0' };
srv = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
let serverErr = '';
const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${serverErr}`)), 15000);
    srv.stderr.setEncoding('utf8').on('data', (d) => {
        serverErr = (serverErr + d).slice(-20000);
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(serverErr);
        if (m) {
            clearTimeout(timer);
            resolve(Number(m[1]));
        }
    });
    srv.on('exit', (code, sig) => reject(new Error(`server exited (${code ?? sig}): ${serverErr}`)));
});

function rssMiB() {
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${srv.pid}/status`, 'utf8'));
        return m ? Number(m[1]) / 1024 : NaN;
    } catch {
        return NaN; // the server is gone
    }
}

/** Size of a file in MiB (0 when absent). */
function fileMiB(f) {
    try {
        return statSync(f).size / (1024 * 1024);
    } catch {
        return 0;
    }
}
const dbMiB = () => fileMiB(db);
const walMiB = () => fileMiB(`${db}-wal`);

/* ---- the workload ------------------------------------------------------------ */

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
const auth = `Bearer ${token}`;

/** One request; resolves {status, ms, json} or {error, ms}. */
function request(method, path, body, extraHeaders = {}) {
    return new Promise((resolve) => {
        const start = performance.now();
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers = { Authorization: auth, ...extraHeaders };
        if (payload !== undefined) {
            headers['Content-Type'] = 'application/json';
            headers['Content-Length'] = Buffer.byteLength(payload);
        }
        const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers }, (res) => {
            const chunks = [];
            res.on('data', (d) => chunks.push(d));
            res.on('end', () => {
                let json;
                try {
                    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
                } catch {
                    /* not JSON */
                }
                resolve({ status: res.statusCode, ms: performance.now() - start, json });
            });
            res.on('error', (e) => resolve({ error: e.code || e.message, ms: performance.now() - start }));
        });
        req.setTimeout(10000, () => req.destroy(new Error('no answer in 10 s')));
        req.on('error', (e) => resolve({ error: e.code || e.message, ms: performance.now() - start }));
        req.end(payload);
    });
}

// A deterministic pseudo-random stream, so runs are comparable.
let seed = 0x5eed;
const rand = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
};
const pick = (a) => a[Math.floor(rand() * a.length)];

const SEARCHES = ['Smith', 'Smiht', 'Jones', 'Jonse', 'Khan', 'Kahn', 'Scott', 'Quinn', 'Hassan', 'Hamilton-Clarke',
    'Natalia', 'Pooja Patel', 'Aria King', 'Hannah Scott', 'Tayler', 'Wiliams', 'Oliver Smith', 'Amelia Jones'];
const GIVEN = ['Ada', 'Bryn', 'Cora', 'Dev', 'Esme', 'Finn', 'Gus', 'Hana', 'Ivo', 'Juno', 'Kit', 'Lior'];
const ETHNICITY = ['White British', 'Indian', 'Mixed', 'Black African', 'Pakistani', 'Any other'];

let maxId = PEOPLE; // seeded people are 1..PEOPLE; creates raise it
const mine = []; // [{id, version}] created by this run and free to patch
let created = 0;

/** Picks the next request by the mix and runs it; returns {kind, status|error, ms}. */
async function one(n) {
    const r = rand();
    if (r < 0.60) {
        const id = 1 + Math.floor(rand() * maxId);
        return { kind: 'read', ...(await request('GET', `/api/people/${id}`)) };
    }
    if (r < 0.80) {
        let q = `q=${encodeURIComponent(pick(SEARCHES))}`;
        if (rand() < 0.25) q += `&dob=20${String(5 + Math.floor(rand() * 15)).padStart(2, '0')}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`;
        return { kind: 'search', ...(await request('GET', `/api/people?${q}`)) };
    }
    if (r < 0.95 || mine.length === 0) {
        const body = {
            given_name: pick(GIVEN), family_name: `Soak${n.toString(36)}`,
            dob: `20${String(8 + Math.floor(rand() * 16)).padStart(2, '0')}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 9)}`,
            ethnicity: pick(ETHNICITY), confirmed_new: true,
        };
        const res = await request('POST', '/api/people', body);
        if (res.status === 201 && res.json?.id) {
            created++;
            maxId = Math.max(maxId, res.json.id);
            mine.push({ id: res.json.id, version: res.json.version });
        }
        return { kind: 'create', ...res };
    }
    // Take a record out of the pool while patching it, so no two workers race on one version.
    const p = mine.splice(Math.floor(rand() * mine.length), 1)[0];
    const res = await request('PATCH', `/api/people/${p.id}`, { ethnicity: pick(ETHNICITY) },
        { 'If-Match': `"${p.version}"` });
    if (res.status === 200 && res.json?.version) p.version = res.json.version;
    mine.push(p);
    return { kind: 'patch', ...res };
}

/* ---- run ------------------------------------------------------------------------ */

const byKind = { read: [], search: [], create: [], patch: [] };
const statusCounts = {};
const failures = []; // first few 5xx / errors, for the summary
let fiveXX = 0;
let errors = 0;
let total = 0;
let interval = [];
const rssSamples = []; // [elapsed s, MiB]

function pct(sorted, p) {
    return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : NaN;
}

let serverDied = false;
srv.on('exit', () => (serverDied = true));

console.log(`soak: ${SECONDS} s after ${WARMUP_S} s warm-up, ${CONCURRENCY} in flight, ` +
    `mix 60% read / 20% search / 15% create / 5% patch, server pid ${srv.pid}, RSS ${rssMiB().toFixed(1)} MiB`);
if (WARMUP_S > 0) {
    const wEnd = performance.now() + WARMUP_S * 1000;
    let n = 0;
    const warm = async () => {
        while (performance.now() < wEnd && !serverDied) {
            const r = await one(1e9 + n++);
            if (r.error || r.status >= 500) throw new Error(`warm-up: ${r.kind} ${r.error ?? r.status}`);
        }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, warm));
    console.log(`warm-up: ${n} requests, RSS ${rssMiB().toFixed(1)} MiB, database ${dbMiB().toFixed(1)} MiB ` +
        `+ WAL ${walMiB().toFixed(1)} MiB`);
}

t0 = performance.now();
const end = t0 + SECONDS * 1000;
const elapsed = () => (performance.now() - t0) / 1000;
console.log('elapsed_s  requests   req/s   p50_ms   p99_ms  rss_MiB   db_MiB  wal_MiB');

let lastTotal = 0;
let lastT = t0;
const sampler = setInterval(() => rssSamples.push([elapsed(), rssMiB()]), RSS_SAMPLE_MS);
const reporter = setInterval(() => {
    const now = performance.now();
    const lat = interval.sort((a, b) => a - b);
    interval = [];
    const rate = ((total - lastTotal) * 1000) / (now - lastT);
    lastTotal = total;
    lastT = now;
    console.log(`${elapsed().toFixed(1).padStart(9)}  ${String(total).padStart(8)}  ${rate.toFixed(0).padStart(6)}  ` +
        `${pct(lat, 50).toFixed(2).padStart(7)}  ${pct(lat, 99).toFixed(2).padStart(7)}  ${rssMiB().toFixed(1).padStart(7)}  ` +
        `${dbMiB().toFixed(1).padStart(7)}  ${walMiB().toFixed(1).padStart(7)}`);
}, REPORT_MS);

async function worker() {
    while (performance.now() < end && total < MAX_REQUESTS && !serverDied) {
        const n = total++;
        const r = await one(n);
        interval.push(r.ms);
        byKind[r.kind].push(r.ms);
        const key = r.error ? `error ${r.error}` : String(r.status);
        statusCounts[key] = (statusCounts[key] || 0) + 1;
        if (r.error || r.status >= 500) {
            if (r.error) errors++;
            else fiveXX++;
            if (failures.length < 10) failures.push(`${r.kind}: ${key} ${JSON.stringify(r.json ?? '').slice(0, 200)}`);
        }
    }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
clearInterval(reporter);
clearInterval(sampler);
const wall = elapsed();
rssSamples.push([wall, rssMiB()]);
agent.destroy();

/* ---- summary ---------------------------------------------------------------- */

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const firstThird = rssSamples.filter(([t]) => t <= wall / 3).map(([, m]) => m);
const lastThird = rssSamples.filter(([t]) => t >= (2 * wall) / 3).map(([, m]) => m);
const rssFirst = median(firstThird);
const rssLast = median(lastThird);
const growth = (rssLast - rssFirst) / rssFirst;
const rssMax = Math.max(...rssSamples.map(([, m]) => m));

console.log('');
console.log(`summary: ${total} requests in ${wall.toFixed(1)} s = ${(total / wall).toFixed(0)} req/s ` +
    `(${CONCURRENCY} in flight), ${created} people created`);
for (const [kind, ms] of Object.entries(byKind)) {
    const s = ms.sort((a, b) => a - b);
    console.log(`  ${kind.padEnd(7)} ${String(s.length).padStart(8)} requests  p50 ${pct(s, 50).toFixed(2)} ms  ` +
        `p99 ${pct(s, 99).toFixed(2)} ms  max ${s.length ? s[s.length - 1].toFixed(2) : 'NaN'} ms`);
}
console.log(`  statuses ${JSON.stringify(statusCounts)}`);
console.log(`  server RSS: median first third ${rssFirst.toFixed(1)} MiB, last third ${rssLast.toFixed(1)} MiB ` +
    `(${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%), max ${rssMax.toFixed(1)} MiB; ` +
    `database now ${dbMiB().toFixed(1)} MiB + WAL ${walMiB().toFixed(1)} MiB`);

const diedDuringRun = serverDied;
const problems = [];
if (diedDuringRun) problems.push(`the server died: ${serverErr.slice(-2000)}`);
if (fiveXX) problems.push(`${fiveXX} requests answered 5xx`);
if (errors) problems.push(`${errors} requests failed without an answer`);
if (!(growth <= 0.2)) problems.push(`RSS grew ${(growth * 100).toFixed(1)}% from the first third to the last (limit 20%)`);
for (const f of failures) console.log(`  failure: ${f}`);

srv.kill('SIGTERM');
const code = await new Promise((res) => {
    if (srv.exitCode !== null || srv.signalCode !== null) return res(srv.exitCode);
    const killer = setTimeout(() => srv.kill('SIGKILL'), 10000);
    srv.on('exit', (c) => {
        clearTimeout(killer);
        res(c);
    });
});
if (!diedDuringRun && code !== 0) problems.push(`the server exited ${code} on SIGTERM`);

if (problems.length) {
    console.log(`FAIL: ${problems.join('; ')}`);
    process.exitCode = 1;
} else {
    console.log('PASS: no 5xx, no failed requests, memory steady');
}
