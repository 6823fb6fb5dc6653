// multiserver.test.mjs — several `safeguard serve` processes behind one
// PostgreSQL database work as one service (issue 17): a session signed in on
// one server is used, kept alive and ended on the other; a task opened
// through one is seen and closed through the other; records created at
// once through both get distinct references; concurrent writes
// through both make one ordered audit chain that `safeguard audit verify`
// passes; a stale version is refused whichever server wrote the newer one;
// failed sign-ins on either server count towards one throttle and lockout,
// parallel guesses each counting once; connections the database drops are
// made again; a database that does not sort text as SQLite does is refused.
//
// Every request here names the server it goes to (api's `server` option), so
// each assertion says which server did what. Runs only with
// SAFEGUARD_TEST_POSTGRES (make check-postgres), where startServer() starts
// two servers on one database; on SQLite there is one server and nothing
// to test. The clock is a file both servers read.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, runCli, sqlite, tempDir,
    PG_BASE, TEST_PASSWORD,
} from './harness.mjs';

const SKIP = PG_BASE ? false : 'several servers share a database only on PostgreSQL (SAFEGUARD_TEST_POSTGRES; make check-postgres)';
const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const A = 0;
const B = 1;

describe('several servers behind one PostgreSQL database', { skip: SKIP }, () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const advance = (ms) => setClock(now + ms);
    /** One request as `who` (a token) to one server. */
    const on = (server, who, method, path, body) =>
        srv.api(method, path, { body, server, headers: who ? { Authorization: `Bearer ${tok[who]}` } : {} });

    async function login(server, username, password) {
        const r = await srv.api('POST', '/api/session', { body: { username, password }, server, headers: { Authorization: null } });
        const m = /(?:^|,\s*)sg_session=([^;]*)/.exec(r.headers.get('set-cookie') || '');
        return { ...r, cookie: r.status === 201 && m ? m[1] : null, csrf: r.json?.csrf_token };
    }
    const withCookie = (s, extra = {}) => ({ Authorization: null, Cookie: `sg_session=${s.cookie}`, ...extra });

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}` });
        assert.ok(srv.servers >= 2, `two servers share the database (${srv.servers})`);
        tok.coord = makeUser(srv.dbPath, 'mscoord', ['missing_coordinator'], { team: 'West', area: 'West' });
        tok.sup = makeUser(srv.dbPath, 'mssup', ['supervisor'], { team: 'West', area: 'West' });
        for (const u of ['sian', 'lock', 'para']) makeUser(srv.dbPath, u, ['supervisor'], { team: 'West' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('a session signed in on one server is used, kept alive and signed out on the other', async () => {
        const s = await login(A, 'sian', TEST_PASSWORD);
        assert.equal(s.status, 201, s.text);
        let r = await srv.api('GET', '/api/session', { server: B, headers: withCookie(s) });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.csrf_token, s.csrf, 'the other server knows the same session');
        // A write on B with A's CSRF token; refused on B without it.
        const body = { given_name: 'Twoserver', family_name: 'Session', confirmed_new: true };
        assertError(await srv.api('POST', '/api/people', { body, server: B, headers: withCookie(s) }), 403, 'csrf_failed');
        r = await srv.api('POST', '/api/people', { body, server: B, headers: withCookie(s, { 'X-CSRF-Token': s.csrf }) });
        assert.equal(r.status, 201, r.text);
        // Idle time is counted across servers: use on B keeps it alive on A.
        advance(20 * MIN);
        assert.equal((await srv.api('GET', '/api/session', { server: B, headers: withCookie(s) })).status, 200);
        advance(20 * MIN);
        assert.equal((await srv.api('GET', '/api/session', { server: A, headers: withCookie(s) })).status, 200,
            '40 minutes after sign-in, 20 after its use on the other server');
        // Signed out on B, it is over on A.
        r = await srv.api('DELETE', '/api/session', { server: B, headers: withCookie(s, { 'X-CSRF-Token': s.csrf }) });
        assert.ok(r.status === 200 || r.status === 204, r.text);
        r = await srv.api('GET', '/api/session', { server: A, headers: withCookie(s) });
        assert.equal(r.status, 401, r.text);
    });

    test('a task opened through one server is in My work on the other, and closed through it', async () => {
        const c = await createPerson(srv, { given_name: 'Taskia', family_name: 'Twoserver', dob: '2011-03-04', confirmed_new: true });
        let r = await on(A, 'coord', 'POST', '/api/missing', {
            person_id: c.id, reported_by: 'Mother', reported_by_relationship: 'parent',
            last_seen_at: iso(now - HOUR), last_seen_location: 'Bus station', missing_from: '1 Willow Way',
            circumstances: 'Did not return from school', risk: 'high', risk_rationale: 'Age 15, threats',
        });
        assert.equal(r.status, 201, r.text);
        const ep = r.json;
        const mine = async (server) => (await on(server, 'coord', 'GET', '/api/work')).json.tasks
            .filter((t) => t.record_type === 'missing_episode' && t.record_id === ep.id).map((t) => t.rule).sort();
        assert.ok((await mine(B)).includes('missing.first_action_high'), 'B sees the task A opened');
        // The first action, recorded through B, stops the clock A shows.
        r = await on(B, 'coord', 'POST', `/api/missing/${ep.id}/events`, { kind: 'enquiry', text: 'Called three friends' });
        assert.equal(r.status, 200, r.text);
        assert.ok(!(await mine(A)).includes('missing.first_action_high'), 'closed on B, gone on A');
        // Overdue is the shared clock's: both servers agree once it passes.
        advance(2 * HOUR + MIN);
        for (const server of [A, B]) {
            const t = (await on(server, 'sup', 'GET', '/api/work')).json.tasks
                .find((x) => x.record_id === ep.id && x.rule === 'missing.review_high');
            assert.equal(t?.overdue, true, `server ${server}: ${JSON.stringify(t)}`);
        }
    });

    test('records created at once through both servers get distinct references, in order', async () => {
        const kids = await Promise.all(Array.from({ length: 8 }, (_, i) => createPerson(srv,
            { given_name: `Refa${i}`, family_name: 'Twoserver', dob: '2011-03-04', confirmed_new: true })));
        const rs = await Promise.all(kids.map((c, i) => on(i % 2, 'coord', 'POST', '/api/missing', {
            person_id: c.id, reported_by: 'Mother', reported_by_relationship: 'parent',
            last_seen_at: iso(now - HOUR), last_seen_location: 'Bus station', missing_from: `${i} Willow Way`,
            circumstances: 'Did not return from school', risk: 'low', risk_rationale: 'Age 15, first time',
        })));
        for (const r of rs) assert.equal(r.status, 201, r.text);
        const refs = rs.map((r) => r.json.reference);
        assert.equal(new Set(refs).size, refs.length, refs.join(' '));
        // Numbered in the order they were stored.
        const byId = [...rs].sort((a, b) => a.json.id - b.json.id).map((r) => r.json.reference);
        assert.deepEqual(byId, [...byId].sort(), byId.join(' '));
    });

    test('concurrent writes through both servers make one ordered audit chain that verifies', async () => {
        const before = sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM audit_log')[0].n;
        const people = await Promise.all(Array.from({ length: 12 }, (_, i) =>
            createPerson(srv, { given_name: `Chain${i}`, family_name: 'Concurrent', confirmed_new: true })));
        // Writes and audited reads at once, half on each server.
        const rs = await Promise.all(people.flatMap((p, i) => [
            srv.api('PATCH', `/api/people/${p.id}`, { server: i % 2, body: { version: 1, ethnicity: `w${i}` } }),
            srv.api('GET', `/api/people/${p.id}`, { server: (i + 1) % 2 }),
            srv.api('POST', '/api/people', { server: i % 2, body: { given_name: `More${i}`, family_name: 'Concurrent', confirmed_new: true } }),
        ]));
        for (const r of rs) assert.ok(r.status === 200 || r.status === 201, `${r.status} ${r.text}`);
        const rows = sqlite(srv.dbPath, 'SELECT id, request_id FROM audit_log ORDER BY id');
        // Contiguous ids: no entry lost or numbered twice.
        rows.forEach((row, i) => assert.equal(Number(row.id), i + 1, `entry ${i + 1} is id ${row.id}`));
        assert.ok(rows.length >= before + 12 + rs.length, `${rows.length} entries after ${before}`);
        // Every request answered is in the chain exactly once.
        const ids = new Map();
        for (const row of rows) ids.set(row.request_id, (ids.get(row.request_id) ?? 0) + 1);
        for (const r of rs) assert.equal(ids.get(r.headers.get('x-request-id')), 1, `request ${r.headers.get('x-request-id')}`);
        const v = runCli(['audit', 'verify', '--db', srv.dbPath]);
        assert.equal(v.status, 0, v.stdout + v.stderr);
        assert.match(v.stdout, new RegExp(`intact: ${rows.length} entries`));
    });

    test('a version written through one server makes the other refuse the stale one', async () => {
        const p = await createPerson(srv, { given_name: 'Versia', family_name: 'Twoserver', confirmed_new: true });
        let r = await srv.api('PATCH', `/api/people/${p.id}`, { server: A, body: { version: 1, gender: 'female' } });
        assert.equal(r.status, 200, r.text);
        r = await srv.api('PATCH', `/api/people/${p.id}`, { server: B, body: { version: 1, given_name: 'Overwritten' } });
        assertError(r, 409, 'version_conflict');
        r = await srv.api('PATCH', `/api/people/${p.id}`, { server: B, body: { given_name: 'Versiana' }, headers: { 'If-Match': '"2"' } });
        assert.equal(r.status, 200, r.text);
        // Simultaneous writes from version 3, spread over both: one wins.
        const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
            srv.api('PATCH', `/api/people/${p.id}`, { server: i % 2, body: { version: 3, ethnicity: `writer ${i}` } })));
        const won = rs.filter((x) => x.status === 200);
        assert.equal(won.length, 1, rs.map((x) => `${x.status} ${x.text}`).join('\n'));
        for (const x of rs.filter((y) => y.status !== 200)) assertError(x, 409, 'version_conflict');
        for (const server of [A, B]) {
            const g = await srv.api('GET', `/api/people/${p.id}`, { server });
            assert.deepEqual([g.json.version, g.json.given_name, g.json.ethnicity],
                [4, 'Versiana', won[0].json.ethnicity], `server ${server}`);
        }
    });

    test('connections the database drops (a restart, a failover) are made again without a failed request', async () => {
        const p = await createPerson(srv, { given_name: 'Reconnia', family_name: 'Twoserver', confirmed_new: true });
        // Every server connection to this database, ended by the database.
        const ended = sqlite(srv.dbPath, 'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity'
            + ' WHERE datname = current_database() AND pid <> pg_backend_pid()');
        assert.ok(ended.length >= 2, `the servers' connections: ${ended.length}`);
        // Reads, audited reads and writes on both servers all succeed.
        for (let i = 0; i < 16; i++) {
            const server = i % 2;
            const r = i % 4 < 2
                ? await srv.api('GET', `/api/people/${p.id}`, { server })
                : await srv.api('POST', '/api/people', { server, body: { given_name: `After${i}`, family_name: 'Reconnect', confirmed_new: true } });
            assert.ok(r.status === 200 || r.status === 201, `request ${i} on server ${server}: ${r.status} ${r.text}`);
        }
        const v = runCli(['audit', 'verify', '--db', srv.dbPath]);
        assert.equal(v.status, 0, v.stdout + v.stderr);
    });

    test('a database that does not compare text in byte order is refused, saying how to make one', () => {
        // An ICU language collation (Debian's packages have ICU; a libc
        // en_GB.UTF-8 database, which skips punctuation, is refused alike).
        const name = `sg_icu_${process.pid}`;
        const admin = `${PG_BASE}/postgres`;
        sqlite(admin, `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-GB'`);
        try {
            const r = runCli(['init', '--db', `${PG_BASE}/${name}`]);
            assert.equal(r.status, 1, r.stdout + r.stderr);
            assert.match(r.stderr, /does not compare text in byte order/);
            assert.match(r.stderr, /LC_COLLATE 'C'/);
            assert.deepEqual(sqlite(`${PG_BASE}/${name}`, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"), [],
                'nothing was created');
        } finally {
            sqlite(admin, `DROP DATABASE IF EXISTS ${name}`);
        }
    });

    test('failed sign-ins on either server count towards one throttle and one lockout', async () => {
        const fail = (server) => login(server, 'lock', 'wrong-password-guess');
        // Three failures, spread over both, are answered at once; the next
        // attempt on either server is throttled.
        for (const server of [A, B, A]) assertError(await fail(server), 401, 'invalid_credentials');
        let r = await fail(B);
        assertError(r, 429, 'too_many_attempts');
        const wait1 = Number(r.headers.get('retry-after'));
        assertError(await login(A, 'lock', TEST_PASSWORD), 429, 'too_many_attempts');
        advance(wait1 * 1000 + 1000);
        assertError(await fail(B), 401, 'invalid_credentials');
        r = await fail(A);
        assertError(r, 429, 'too_many_attempts');
        advance(Number(r.headers.get('retry-after')) * 1000 + 1000);
        // The fifth failure, on A, locks the name on B too.
        assertError(await fail(A), 401, 'invalid_credentials');
        r = await login(B, 'lock', TEST_PASSWORD);
        assertError(r, 429, 'too_many_attempts');
        const lock = Number(r.headers.get('retry-after'));
        assert.ok(lock > 14 * 60 && lock <= 15 * 60, `locked for 15 min, Retry-After ${lock}`);
        advance(15 * MIN + 1000);
        assert.equal((await login(A, 'lock', TEST_PASSWORD)).status, 201);
    });

    test('parallel guesses on both servers count one each', async () => {
        const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => login(i % 2, 'para', 'wrong-password-guess')));
        assert.deepEqual(rs.map((r) => r.status).sort(), [401, 401, 401, 429, 429, 429, 429, 429, 429, 429],
            rs.map((r) => r.text).join('\n'));
        assert.equal(sqlite(srv.dbPath, "SELECT failures FROM login_throttle WHERE username = 'para'")[0].failures, 3);
        // Throttled on both, even with the right password.
        for (const server of [A, B]) assertError(await login(server, 'para', TEST_PASSWORD), 429, 'too_many_attempts');
    });
});
