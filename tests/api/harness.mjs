// harness.mjs — shared harness for the black-box API tests.
//
// Every test file starts its own server(s) on an ephemeral port with its own
// temporary database, so files can run in parallel (--test-concurrency=2).
// ALL HTTP requests go through srv.api() (or srv.fetch()): when
// authentication arrives, the login step and the auth header are added in
// one place, startServer()/requestHeaders() below.
//
// PostgreSQL (issue 17; `make check-postgres`): when SAFEGUARD_TEST_POSTGRES
// holds a cluster's base URL (postgres://user@host:port), startServer()
// creates a fresh database in that cluster instead of a temporary file, and
// starts SAFEGUARD_TEST_SERVERS (default 2) servers sharing it; srv.api() and
// srv.fetch() send successive requests to each server in turn, so every
// test also proves the servers agree. sqlite() and countRows() query it
// with psql. Without the variable nothing changes.
//
// Server logs (JSON lines on stderr) are buffered; the `test` exported here
// wraps node:test's `test` and prints the logs written during a test only
// when that test fails. Stopping a server fails the test (or hook) when the
// process did not exit 0 or printed a sanitizer report.

import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import http from 'node:http';

export const BIN = resolve(process.env.SAFEGUARD_BIN || 'build/debug/safeguard');

/** The PostgreSQL cluster under test (base URL), or undefined for SQLite. */
export const PG_BASE = process.env.SAFEGUARD_TEST_POSTGRES || undefined;
const PG_SERVERS = Math.max(1, Number(process.env.SAFEGUARD_TEST_SERVERS || 2));
let pgDatabases = 0;

/** Runs psql against a database URL; returns its stdout. */
function psql(url, sql) {
    return execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', url, '-c', sql],
        { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh, empty PostgreSQL database in the cluster; returns its URL. */
function pgCreateDatabase() {
    const name = `sg_${process.pid}_${++pgDatabases}_${Date.now() % 100000}`;
    psql(`${PG_BASE}/postgres`, `CREATE DATABASE ${name}`);
    return `${PG_BASE}/${name}`;
}

function pgDropDatabase(url) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    try {
        psql(`${PG_BASE}/postgres`, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    } catch {
        /* the cluster is thrown away at the end anyway */
    }
}

/** The fixed clock most tests use, so ages and "active" flags are deterministic. */
export const CLOCK = '2026-06-01T12:00:00Z';

/** The tables a person write touches; counted for "database unchanged" checks. */
export const PERSON_TABLES = ['person', 'person_alias', 'person_address', 'person_flag', 'person_search'];

const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;
const startupTimeoutMs = 15000;

/** Servers alive in this process (one test file), for failure log dumps. */
const live = new Set();
/** Second servers (PostgreSQL), killed with the first if a file dies. */
const extraProcs = new Set();

// A test file that dies without stopping its servers must not leave them running.
process.on('exit', () => {
    for (const p of extraProcs) p.kill('SIGKILL');
    for (const s of live) {
        s.proc.kill('SIGKILL');
        rmSync(s.dir, { recursive: true, force: true });
    }
});

/** Environment for the binary: no SAFEGUARD_* settings leak in from the caller. */
export function childEnv(extra = {}) {
    const env = {};
    for (const [k, v] of Object.entries(process.env))
        if (!k.startsWith('SAFEGUARD_')) env[k] = v;
    // Sanitizer reports must end the process visibly and be found in stderr.
    env.ASAN_OPTIONS = env.ASAN_OPTIONS || 'abort_on_error=0:detect_leaks=1';
    env.UBSAN_OPTIONS = env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1';
    return { ...env, ...extra };
}

/** Runs the binary to completion: {status, stdout, stderr}. */
export function runCli(args, opts = {}) {
    const r = spawnSync(BIN, args, { encoding: 'utf8', env: childEnv(opts.env), timeout: 30000, input: opts.input });
    if (r.error) throw r.error;
    assert.doesNotMatch(r.stderr, SANITIZER, `sanitizer report from safeguard ${args.join(' ')}:\n${r.stderr}`);
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs the binary and asserts it exits 0. */
export function cli(args) {
    const r = runCli(args);
    assert.equal(r.status, 0, `safeguard ${args.join(' ')} exited ${r.status}:\n${r.stderr}`);
    return r;
}

/** A fresh temporary directory; the caller removes it. */
export function tempDir() {
    return mkdtempSync(join(tmpdir(), 'safeguard-api-'));
}

/** Runs SQL against a database with the sqlite3 CLI; returns the rows. */
export function sqlite(dbPath, sql) {
    if (dbPath.startsWith('postgres')) {
        // Rows as JSON objects, like sqlite3 -json; statements return none.
        const one = sql.replace(/;\s*$/, '');
        const query = /^\s*(SELECT|WITH|VALUES)\b/i.test(one) && !/;\s*\S/.test(one);
        const returning = !query && /\bRETURNING\b/i.test(one) && !/;\s*\S/.test(one);
        if (!query && !returning) {
            psql(dbPath, sql);
            return [];
        }
        const out = psql(dbPath, query
            ? `SELECT COALESCE(json_agg(sg_row), '[]') FROM (${one}) sg_row`
            : `WITH sg_row AS (${one}) SELECT COALESCE(json_agg(sg_row), '[]') FROM sg_row`);
        return JSON.parse(out);
    }
    const out = execFileSync('sqlite3', ['-json', dbPath, sql], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    return out.trim() ? JSON.parse(out) : [];
}

/** The database's contents as SQL text (all tables, or those named): sqlite3
 * .dump, or pg_dump's data as INSERTs on PostgreSQL. */
export function dbDump(dbPath, tables = []) {
    if (dbPath.startsWith('postgres')) {
        const args = ['--data-only', '--inserts', '--no-owner', ...tables.flatMap((t) => ['-t', t]), dbPath];
        return execFileSync('pg_dump', args, { encoding: 'utf8', maxBuffer: 1 << 28 })
            .split('\n').filter((l) => !/^(--|SET |SELECT pg_catalog|\\(un)?restrict )/.test(l)).join('\n');
    }
    const dot = tables.length ? tables.map((t) => `.dump ${t}`) : ['.dump'];
    return execFileSync('sqlite3', [dbPath, ...dot], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** A consistent copy of a live database, named `name` (a file in dir, or a
 * new PostgreSQL database); returns its path or URL. */
export function dbCopy(dbPath, dir, name) {
    if (dbPath.startsWith('postgres')) {
        const url = pgCreateDatabase();
        const dump = execFileSync('pg_dump', ['--no-owner', dbPath], { maxBuffer: 1 << 28 });
        execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', url], { input: dump, stdio: ['pipe', 'ignore', 'pipe'] });
        return url;
    }
    const p = join(dir, name);
    execFileSync('sqlite3', [dbPath, `.backup '${p}'`]);
    return p;
}

/** A new, empty database for a test that makes its own: a file in dir, or a
 * fresh database in the PostgreSQL cluster under test. */
export function newDatabase(dir, name) {
    return PG_BASE ? pgCreateDatabase() : join(dir, name);
}

/** The names of the database's tables. */
export function tableNames(dbPath) {
    const sql = dbPath.startsWith('postgres')
        ? "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'"
        : "SELECT name FROM sqlite_master WHERE type = 'table'";
    return sqlite(dbPath, sql).map((r) => r.name);
}

/** Rows whose foreign key names no row: SQLite's PRAGMA foreign_key_check,
 * or on PostgreSQL the same question asked of every single-column foreign
 * key its catalogue lists. Each {table, parent, n}. */
export function foreignKeyViolations(dbPath) {
    if (!dbPath.startsWith('postgres'))
        return sqlite(dbPath, 'PRAGMA foreign_key_check').map((r) => ({ table: r.table, parent: r.parent, n: 1 }));
    const fks = sqlite(dbPath, `SELECT c.conrelid::regclass::text AS tbl, a.attname AS col,
        c.confrelid::regclass::text AS parent, af.attname AS pcol
        FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
        JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND cardinality(c.conkey) = 1`);
    assert.ok(fks.length > 0, 'the schema has foreign keys');
    if (!fks.length) return [];
    const sql = fks.map((f) => `SELECT '${f.tbl}' AS "table", '${f.parent}' AS parent, COUNT(*) AS n FROM ${f.tbl} t
        WHERE t.${f.col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${f.parent} p WHERE p.${f.pcol} = t.${f.col})`).join(' UNION ALL ');
    return sqlite(dbPath, sql).filter((r) => Number(r.n) > 0);
}

/** 'ok' when the database is sound: SQLite's PRAGMA integrity_check, or on
 * PostgreSQL no index left invalid (what store_integrity_check asks too;
 * its pages carry their own checksums). */
export function integrityCheck(dbPath) {
    if (!dbPath.startsWith('postgres')) return sqlite(dbPath, 'PRAGMA integrity_check')[0].integrity_check;
    const n = Number(sqlite(dbPath, 'SELECT COUNT(*) AS n FROM pg_index WHERE NOT indisvalid OR NOT indisready')[0].n);
    return n === 0 ? 'ok' : `${n} invalid index(es)`;
}

/** The schema as rows, to compare before and after: SQLite's sqlite_master,
 * or PostgreSQL's columns, indexes and triggers. */
export function schemaSnapshot(dbPath) {
    if (!dbPath.startsWith('postgres')) return sqlite(dbPath, 'SELECT name, sql FROM sqlite_master ORDER BY name');
    return sqlite(dbPath, `SELECT 'column' AS kind, table_name || '.' || column_name AS name,
            data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') AS sql
            FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL SELECT 'index', indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'
        UNION ALL SELECT 'trigger', tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
        ORDER BY 1, 2`);
}

/** SQL dropping a trigger (PostgreSQL names its table too). */
export function dropTriggerSql(dbPath, trigger, table) {
    return dbPath.startsWith('postgres') ? `DROP TRIGGER ${trigger} ON ${table}` : `DROP TRIGGER ${trigger}`;
}

/** Row counts of the person tables. */
export function countRows(dbPath) {
    const sql = PERSON_TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`).join(' UNION ALL ');
    const counts = {};
    for (const r of sqlite(dbPath, sql)) counts[r.t] = r.n;
    return counts;
}

/**
 * Starts a server on a fresh database.
 *   clock:  --clock SPEC (default CLOCK; pass null for the real clock)
 *   people, seed: run `seed --people N --seed S` first
 */
/** The password every test user gets (meets the strength rule). */
export const TEST_PASSWORD = 'test-password-long-enough';

/**
 * Creates a user with the given roles through the CLI (password on stdin)
 * and returns an API token for it. Works while the server runs (WAL).
 */
export function makeUser(dbPath, username, roles, { team, agency, area } = {}) {
    const args = ['user', 'add', '--db', dbPath, '--username', username];
    for (const r of roles) args.push('--role', r);
    if (team) args.push('--team', team);
    if (agency) args.push('--agency', agency);
    if (area) args.push('--area', area);
    const add = runCli(args, { input: `${TEST_PASSWORD}\n` });
    if (add.status !== 0) throw new Error(`user add ${username} failed: ${add.stderr}`);
    const tok = runCli(['token', 'create', '--db', dbPath, '--username', username, '--name', 'tests']);
    if (tok.status !== 0) throw new Error(`token create ${username} failed: ${tok.stderr}`);
    return tok.stdout.trim();
}

/**
 * Starts a server. Every request sent through srv.api()/srv.fetch() carries
 * the API token of a "tester" user holding `roles` (default: supervisor and
 * admin, i.e. case work plus administration) unless the request sets its own
 * Authorization header, or `auth: false` is given to api().
 */
export async function startServer({ clock = CLOCK, people, seed, roles = ['supervisor', 'admin'], env = {} } = {}) {
    const dir = tempDir();
    const dbPath = PG_BASE ? pgCreateDatabase() : join(dir, 'test.db');
    let token;
    try {
        cli(['init', '--db', dbPath]);
        if (roles && roles.length) token = makeUser(dbPath, 'tester', roles);
        if (people !== undefined || seed !== undefined) {
            const args = ['seed', '--db', dbPath, '--people', String(people ?? 200), '--seed', String(seed ?? 1)];
            if (clock) args.push('--clock', clock);
            cli(args);
        }
    } catch (e) {
        rmSync(dir, { recursive: true, force: true });
        if (PG_BASE) pgDropDatabase(dbPath);
        throw e;
    }
    const args = ['serve', '--db', dbPath, '--listen', '127.0.0.1:0'];
    if (clock) args.push('--clock', clock);
    // The second and later servers (PostgreSQL only) share the database.
    const others = [];
    for (let i = 1; PG_BASE && i < PG_SERVERS; i++) others.push(await spawnServer(args, env));
    const proc = spawn(BIN, args, { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    proc.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));

    const port = await new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`server did not start in ${startupTimeoutMs} ms:\n${stderr}`)),
            startupTimeoutMs);
        proc.stderr.setEncoding('utf8').on('data', (d) => {
            stderr += d;
            const m = /safeguard: listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
            if (m) {
                clearTimeout(timer);
                res(Number(m[1]));
            }
        });
        exited.then(({ code, signal }) => {
            clearTimeout(timer);
            rej(new Error(`server exited (${code ?? signal}) before listening:\n${stderr}`));
        });
    }).catch((e) => {
        proc.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw e;
    });

    const url = `http://127.0.0.1:${port}`;
    // Requests go to each server in turn (one server: always the same).
    const urls = [url, ...others.map((o) => o.url)];
    let turn = 0;
    const nextUrl = (server) => (server !== undefined ? urls[server % urls.length]
        : srv.sticky ? url : urls[turn++ % urls.length]);
    const srv = {
        url,
        port,
        dir,
        dbPath,
        proc,
        /** Every response seen, for header checks across a whole file. */
        responses: [],
        get stderr() {
            return stderr;
        },
        get stdout() {
            return stdout;
        },
        stopped: false,
        /** Set for what is per process (metrics): every request to the first server. */
        sticky: false,
        /** How many servers share the database (1 on SQLite). */
        servers: urls.length,

        /** The tester's API token (see startServer). */
        token,

        /** Headers every request carries: the tester's token unless overridden. */
        requestHeaders(extra = {}) {
            const h = { ...extra };
            const has = Object.keys(h).some((k) => k.toLowerCase() === 'authorization');
            if (h.Authorization === null) delete h.Authorization;
            else if (!has && token) h.Authorization = `Bearer ${token}`;
            return h;
        },

        /** fetch() against this server, with the common headers
         * (init.server: the index of the server to ask, else the next). */
        async fetch(path, init = {}) {
            const { server, ...rest } = init;
            const headers = srv.requestHeaders(rest.headers || {});
            return fetch(nextUrl(server) + path, { ...rest, headers });
        },

        /**
         * One request. body: object/array/scalar, sent as JSON with
         * Content-Type application/json; raw: string, Buffer or ReadableStream
         * sent as-is (streams chunked); server: the index of the server to
         * ask (else each in turn). Returns {status, headers, json, text}.
         */
        async api(method, path, { body, headers = {}, raw, server } = {}) {
            headers = { ...headers };
            let payload;
            if (raw !== undefined) {
                payload = raw;
            } else if (body !== undefined) {
                payload = JSON.stringify(body);
                if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
                    headers['Content-Type'] = 'application/json';
            }
            let status, hdrs, text;
            if (payload !== undefined && (method === 'GET' || method === 'HEAD')) {
                // fetch() refuses bodies on GET/HEAD; node:http does not.
                ({ status, headers: hdrs, text } = await rawRequest(nextUrl(server), method, path,
                    srv.requestHeaders(headers), payload));
            } else {
                const init = { method, headers, server };
                if (payload !== undefined) {
                    init.body = payload;
                    if (typeof payload?.getReader === 'function') init.duplex = 'half';
                }
                const r = await srv.fetch(path, init);
                status = r.status;
                hdrs = r.headers;
                text = await r.text();
            }
            let json;
            const ct = hdrs.get('content-type') || '';
            if (ct.startsWith('application/json') && text.length) json = JSON.parse(text);
            const res = { status, headers: hdrs, json, text };
            srv.responses.push({ method, path, status, headers: hdrs });
            return res;
        },

        /** Log text written since a mark (see `test`), every server's. */
        logsSince(mark) {
            return stderr.slice(mark) + others.map((o) => o.stderr.slice(-4000)).join('');
        },

        /** Stops the server and removes its directory; asserts a clean exit. */
        async stop() {
            if (srv.stopped) return;
            srv.stopped = true;
            live.delete(srv);
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
            const killer = setTimeout(() => proc.kill('SIGKILL'), 10000);
            const { code, signal } = await exited;
            clearTimeout(killer);
            const otherExits = await Promise.all(others.map((o) => o.stop()));
            rmSync(dir, { recursive: true, force: true });
            if (PG_BASE) pgDropDatabase(dbPath);
            for (const o of otherExits) {
                assert.doesNotMatch(o.stderr, SANITIZER, `sanitizer report from a second server:\n${o.stderr}`);
                assert.equal(o.signal, null, `a second server died from signal ${o.signal}:\n${o.stderr}`);
                assert.equal(o.code, 0, `a second server exited with code ${o.code}:\n${o.stderr}`);
            }
            const hint = `server stderr:\n${stderr}`;
            assert.doesNotMatch(stderr, SANITIZER, `sanitizer report from the server.\n${hint}`);
            assert.equal(signal, null, `server died from signal ${signal}.\n${hint}`);
            assert.equal(code, 0, `server exited with code ${code}.\n${hint}`);
        },
    };
    live.add(srv);
    return srv;
}

/**
 * Starts one more server process with args (PostgreSQL: a second server on
 * the same database). Returns {url, stderr, stop()}; stop() resolves to
 * {code, signal, stderr}.
 */
async function spawnServer(args, env = {}) {
    const proc = spawn(BIN, args, { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    const o = { stderr: '', url: undefined };
    const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    const port = await new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`server did not start in ${startupTimeoutMs} ms:\n${o.stderr}`)),
            startupTimeoutMs);
        proc.stderr.setEncoding('utf8').on('data', (d) => {
            o.stderr += d;
            const m = /safeguard: listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(o.stderr);
            if (m) {
                clearTimeout(timer);
                res(Number(m[1]));
            }
        });
        exited.then(({ code, signal }) => {
            clearTimeout(timer);
            rej(new Error(`server exited (${code ?? signal}) before listening:\n${o.stderr}`));
        });
    });
    o.url = `http://127.0.0.1:${port}`;
    o.stop = async () => {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
        const killer = setTimeout(() => proc.kill('SIGKILL'), 10000);
        const r = await exited;
        clearTimeout(killer);
        return { ...r, stderr: o.stderr };
    };
    extraProcs.add(proc);
    proc.on('exit', () => extraProcs.delete(proc));
    return o;
}

/** A request with node:http, for what fetch() will not send (GET with a body). */
function rawRequest(base, method, path, headers, payload) {
    return new Promise((res, rej) => {
        // Node sends no framing for a GET body unless told its length.
        headers = { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) };
        const req = http.request(base + path, { method, headers, agent: false }, (r) => {
            let text = '';
            r.setEncoding('utf8');
            r.on('data', (d) => (text += d));
            r.on('end', () => {
                const h = new Headers();
                for (const [k, v] of Object.entries(r.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : v);
                res({ status: r.statusCode, headers: h, text });
            });
        });
        req.on('error', rej);
        req.end(payload);
    });
}

/**
 * node:test's test(), printing the logs every live server wrote during the
 * test when (and only when) it fails. Same signature: test(name, [opts], fn).
 */
export function test(name, opts, fn) {
    if (typeof opts === 'function') {
        fn = opts;
        opts = {};
    }
    return nodeTest(name, opts, async (t) => {
        const marks = new Map([...live].map((s) => [s, s.stderr.length]));
        try {
            return await fn(t);
        } catch (e) {
            for (const s of live) {
                const logs = s.logsSince(marks.get(s) ?? 0).trim();
                if (!logs) continue;
                t.diagnostic(`server ${s.url} logs during this test:`);
                for (const line of logs.split('\n')) t.diagnostic(line);
            }
            throw e;
        }
    });
}

export { describe, before, after, beforeEach, afterEach } from 'node:test';

/* ---- assertions shared by the test files --------------------------------- */

/**
 * Asserts an error response: the HTTP status, and a body that is exactly
 * {error:{status,code,field,message}} (possible_duplicate also carries
 * top-level `candidates`), with status matching the HTTP status.
 */
export function assertError(res, status, code, field) {
    const ctx = `${res.status} ${res.text}`;
    assert.equal(res.status, status, `expected HTTP ${status}, got ${ctx}`);
    assert.match(res.headers.get('content-type') || '', /^application\/json/, ctx);
    assert.ok(res.json && typeof res.json === 'object', ctx);
    const top = Object.keys(res.json).sort();
    // Beside the error: possible duplicates, or every fault when there are
    // several (each {field, code, message}).
    const extra = code === 'possible_duplicate' ? ['candidates'] : Array.isArray(res.json.errors) ? ['errors'] : [];
    assert.deepEqual(top, [...extra, 'error'].sort(), ctx);
    for (const x of res.json.errors ?? [])
        assert.ok(typeof x.message === 'string' && x.message.length > 0, ctx);
    const e = res.json.error;
    assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'message', 'status'], ctx);
    assert.equal(e.status, res.status, ctx);
    assert.equal(e.code, code, ctx);
    if (field !== undefined) assert.equal(e.field, field, ctx);
    assert.ok(e.field === null || typeof e.field === 'string', ctx);
    assert.equal(typeof e.message, 'string', ctx);
    assert.ok(e.message.length > 0, ctx);
    return e;
}

/** Runs fn and asserts the person tables have the same row counts afterwards. */
export async function assertUnchanged(srv, fn) {
    const before = countRows(srv.dbPath);
    const r = await fn();
    assert.deepEqual(countRows(srv.dbPath), before, 'the request changed the database');
    return r;
}

/** POST /api/people expecting 201; returns the created person. */
export async function createPerson(srv, body) {
    const r = await srv.api('POST', '/api/people', { body });
    assert.equal(r.status, 201, `create failed: ${r.status} ${r.text}`);
    return r.json;
}
