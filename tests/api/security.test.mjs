// security.test.mjs — sign-in, throttling and lockout, session expiry, CSRF,
// API tokens, user administration (API and CLI), restricted records, the
// hash-chained audit trail and the access log.
//
// Time-dependent behaviour runs against a server whose clock is a file
// (--clock file:PATH): rewriting the file moves the server's time.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
    test, describe, before, after, startServer, assertError, assertUnchanged, createPerson, makeUser,
    runCli, sqlite, countRows, tempDir, dbDump, dbCopy, dropTriggerSql, TEST_PASSWORD,
} from './harness.mjs';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;

/* ---- helpers ------------------------------------------------------------- */

/** The sg_session value from a response's Set-Cookie, or null. */
function sessionCookie(res) {
    const sc = res.headers.get('set-cookie') || '';
    const m = /(?:^|,\s*)sg_session=([^;]*)/.exec(sc);
    return m ? m[1] : null;
}

/** POST /api/session without any other credentials. */
async function login(srv, username, password) {
    const r = await srv.api('POST', '/api/session', { body: { username, password }, headers: { Authorization: null } });
    return { ...r, cookie: r.status === 201 ? sessionCookie(r) : null, csrf: r.json?.csrf_token };
}

/** Headers for a cookie-authenticated request (no Bearer token). */
function withCookie(cookie, extra = {}) {
    return { Authorization: null, Cookie: `sg_session=${cookie}`, ...extra };
}

function auditCount(db) {
    return sqlite(db, 'SELECT COUNT(*) AS n FROM audit_log')[0].n;
}

/** The audit row written for the request that got response r. */
function auditFor(db, r) {
    const rid = r.headers.get('x-request-id');
    assert.match(rid || '', /^[0-9a-f]{16,}$/, 'every response carries X-Request-Id');
    const rows = sqlite(db, `SELECT * FROM audit_log WHERE request_id = '${rid}'`);
    assert.equal(rows.length, 1, `exactly one audit row for request ${rid}: ${JSON.stringify(rows)}`);
    return rows[0];
}

function userId(db, username) {
    const rows = sqlite(db, `SELECT id FROM app_user WHERE username = '${username}'`);
    assert.equal(rows.length, 1, `user ${username} exists`);
    return rows[0].id;
}

/** SQL run that may fail (sqlite3, or psql on PostgreSQL): {status, stderr}. */
function sqliteTry(db, sql) {
    const r = db.startsWith('postgres')
        ? spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db, '-c', sql], { encoding: 'utf8' })
        : spawnSync('sqlite3', [db, sql], { encoding: 'utf8' });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An error response with this status and field, whatever its code. */
function assertFieldError(r, status, field) {
    return assertError(r, status, r.json?.error?.code, field);
}

const sha256 = (s) => createHash('sha256').update(s).digest('hex');

/* ---- sign-in, throttling, lockout and session expiry (file clock) -------- */

describe('sign-in and sessions on an injected clock', () => {
    let srv;
    let clockDir;
    let clockFile;
    let now = T0;
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') + '\n');
    };
    const advance = (ms) => setClock(now + ms);

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}` });
        for (const u of ['alice', 'carol', 'dave', 'erin', 'frank', 'gina'])
            makeUser(srv.dbPath, u, ['investigator'], { team: 'North' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('the right password signs in: 201, HttpOnly SameSite=Strict Path=/ cookie, user and CSRF token', async () => {
        const r = await login(srv, 'alice', TEST_PASSWORD);
        assert.equal(r.status, 201, r.text);
        const sc = r.headers.get('set-cookie');
        assert.ok(sc, 'a Set-Cookie header');
        assert.match(sc, /^sg_session=[0-9a-f]{64};/);
        const attrs = sc.split(';').map((s) => s.trim().toLowerCase());
        assert.ok(attrs.includes('httponly'), sc);
        assert.ok(attrs.includes('samesite=strict'), sc);
        assert.ok(attrs.includes('path=/'), sc);
        assert.equal(r.json.user.username, 'alice');
        assert.deepEqual(r.json.user.roles, ['investigator']);
        assert.match(r.json.csrf_token, /^[0-9a-f]{64}$/);
        assert.equal(r.json.expires_at, '2026-06-02T00:00:00Z', 'absolute expiry is 12 h after sign-in');
        assert.ok(!r.text.includes(r.cookie), 'the session token is only in the cookie, not the body');

        const me = await srv.api('GET', '/api/session', { headers: withCookie(r.cookie) });
        assert.equal(me.status, 200, me.text);
        assert.equal(me.json.user.username, 'alice');
        assert.equal(me.json.user.team, 'North');
        assert.ok(me.json.user.permissions.includes('people.read'));
        assert.equal(me.json.csrf_token, r.csrf);
    });

    test('the username is case-insensitive at sign-in', async () => {
        const r = await login(srv, 'ALICE', TEST_PASSWORD);
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.user.username, 'alice');
    });

    test('wrong password and unknown user get identical 401 invalid_credentials answers', async () => {
        const wrong = await login(srv, 'carol', 'not-the-password-at-all');
        const ghost = await login(srv, 'nobody-by-this-name', 'not-the-password-at-all');
        assertError(wrong, 401, 'invalid_credentials');
        assertError(ghost, 401, 'invalid_credentials');
        assert.deepEqual(wrong.json, ghost.json, 'the body does not reveal whether the user exists');
        assert.equal(wrong.headers.get('set-cookie'), null);
        assert.equal(ghost.headers.get('set-cookie'), null);
        assert.equal(wrong.headers.get('content-type'), ghost.headers.get('content-type'));
        assert.equal(wrong.headers.get('retry-after'), ghost.headers.get('retry-after'));
    });

    test('missing fields are a validation error, not a sign-in attempt', async () => {
        const r = await srv.api('POST', '/api/session', { body: { username: 'alice' }, headers: { Authorization: null } });
        assertError(r, 422, 'missing_field', 'password');
    });

    test('throttling and lockout: the same for an existing and a non-existent username', async () => {
        const names = ['dave', 'no-such-dave'];
        const attempt = async (pw = 'wrong-password-guess') => {
            const out = [];
            for (const n of names) out.push(await login(srv, n, pw));
            // Identical answers for both names, every time.
            assert.equal(out[0].status, out[1].status, `${out[0].text} vs ${out[1].text}`);
            assert.deepEqual(out[0].json, out[1].json);
            assert.equal(out[0].headers.get('retry-after'), out[1].headers.get('retry-after'));
            return out[0];
        };
        // Three failures are answered 401 at once.
        for (let i = 0; i < 3; i++) assertError(await attempt(), 401, 'invalid_credentials');
        // The next attempt within the wait: 429 with Retry-After.
        let r = await attempt();
        assertError(r, 429, 'too_many_attempts');
        const wait1 = Number(r.headers.get('retry-after'));
        assert.ok(wait1 >= 1 && wait1 <= 60, `Retry-After ${r.headers.get('retry-after')}`);
        // Even the right password is refused while throttled.
        const right = await login(srv, 'dave', TEST_PASSWORD);
        assertError(right, 429, 'too_many_attempts');
        // After the wait: a 4th failure is counted, and the wait grows.
        advance(wait1 * 1000 + 1000);
        assertError(await attempt(), 401, 'invalid_credentials');
        r = await attempt();
        assertError(r, 429, 'too_many_attempts');
        const wait2 = Number(r.headers.get('retry-after'));
        assert.ok(wait2 > wait1, `the wait grows: ${wait1} then ${wait2}`);
        advance(wait2 * 1000 + 1000);
        // The 5th failure locks the name for 15 minutes.
        assertError(await attempt(), 401, 'invalid_credentials');
        r = await login(srv, 'dave', TEST_PASSWORD);
        assertError(r, 429, 'too_many_attempts');
        const lock = Number(r.headers.get('retry-after'));
        assert.ok(lock > 14 * 60 && lock <= 15 * 60, `locked for 15 min, Retry-After ${lock}`);
        r = await attempt(TEST_PASSWORD);
        assertError(r, 429, 'too_many_attempts');
        // Still locked a minute before the end.
        advance(14 * MIN);
        r = await login(srv, 'dave', TEST_PASSWORD);
        assertError(r, 429, 'too_many_attempts');
        assert.ok(Number(r.headers.get('retry-after')) <= 60, r.headers.get('retry-after'));
        // The lock runs out: the right password works and clears the count.
        advance(MIN + 1000);
        r = await login(srv, 'dave', TEST_PASSWORD);
        assert.equal(r.status, 201, r.text);
        assertError(await login(srv, 'dave', 'wrong-again-and-again'), 401, 'invalid_credentials');
        assert.equal((await login(srv, 'dave', TEST_PASSWORD)).status, 201, 'one failure after a reset is not throttled');
    });

    test('parallel guesses count one each: three answered at once, the rest throttled', async () => {
        // Sent together, each wrong guess counts: they do not all read "no
        // failures yet" and write "one failure".
        const name = 'parallel-guesser';
        const rs = await Promise.all(Array.from({ length: 8 }, () => login(srv, name, 'wrong-password-guess')));
        assert.deepEqual(rs.map((r) => r.status).sort(), [401, 401, 401, 429, 429, 429, 429, 429],
            rs.map((r) => r.text).join('\n'));
        for (const r of rs) assertError(r, r.status, r.status === 401 ? 'invalid_credentials' : 'too_many_attempts');
        assert.equal(sqlite(srv.dbPath, `SELECT failures FROM login_throttle WHERE username = '${name}'`)[0].failures, 3);
    });

    test('failed sign-ins are audited without revealing the password', async () => {
        const rows = sqlite(srv.dbPath, "SELECT * FROM audit_log WHERE action = 'login_failed' AND username = 'no-such-dave'");
        assert.ok(rows.length >= 5, `failed sign-ins of a non-existent user are audited: ${rows.length}`);
        for (const row of rows) {
            assert.equal(row.user_id, null);
            assert.equal(row.route, 'POST /api/session');
            assert.ok(!JSON.stringify(row).includes('wrong-password-guess'));
        }
        const dump = dbDump(srv.dbPath);
        assert.ok(!dump.includes(TEST_PASSWORD), 'no password is stored in clear');
        assert.ok(!dump.includes('wrong-password-guess'), 'no attempted password is stored');
    });

    test('idle > 30 minutes ends a session (401 session_expired); activity keeps it alive', async () => {
        const s = await login(srv, 'erin', TEST_PASSWORD);
        assert.equal(s.status, 201, s.text);
        const get = () => srv.api('GET', '/api/session', { headers: withCookie(s.cookie) });
        advance(29 * MIN);
        assert.equal((await get()).status, 200, 'used after 29 minutes');
        advance(29 * MIN);
        assert.equal((await get()).status, 200, 'used again 29 minutes later: the first use touched it');
        advance(29 * MIN);
        assert.equal((await get()).status, 200, 'and again');
        advance(31 * MIN);
        const r = await get();
        assertError(r, 401, 'session_expired');
        assert.match(r.headers.get('set-cookie') || '', /sg_session=;.*Max-Age=0/i, 'the expired cookie is cleared');
        // It stays expired even if the clock were read again at once.
        assertError(await get(), 401, 'session_expired');
    });

    test('exactly 30 idle minutes is already too long', async () => {
        const s = await login(srv, 'erin', TEST_PASSWORD);
        assert.equal(s.status, 201, s.text);
        advance(30 * MIN);
        assertError(await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) }), 401, 'session_expired');
    });

    test('the absolute limit of 12 hours ends a session even with steady activity', async () => {
        const s = await login(srv, 'frank', TEST_PASSWORD);
        assert.equal(s.status, 201, s.text);
        const start = now;
        const get = () => srv.api('GET', '/api/session', { headers: withCookie(s.cookie) });
        while (now + 25 * MIN <= start + 700 * MIN) {
            advance(25 * MIN);
            const r = await get();
            assert.equal(r.status, 200, `active at +${(now - start) / MIN} min: ${r.text}`);
        }
        setClock(start + 719 * MIN);
        assert.equal((await get()).status, 200, 'alive one minute before the limit');
        setClock(start + 720 * MIN);
        assertError(await get(), 401, 'session_expired');
    });

    test('sign-out revokes the session (needs the CSRF token)', async () => {
        const s = await login(srv, 'gina', TEST_PASSWORD);
        assert.equal(s.status, 201, s.text);
        assertError(await srv.api('DELETE', '/api/session', { headers: withCookie(s.cookie) }), 403, 'csrf_failed');
        assert.equal((await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) })).status, 200,
            'a refused sign-out leaves the session alive');
        const out = await srv.api('DELETE', '/api/session', { headers: withCookie(s.cookie, { 'X-CSRF-Token': s.csrf }) });
        assert.equal(out.status, 200, out.text);
        assert.deepEqual(out.json, { status: 'signed_out' });
        assert.match(out.headers.get('set-cookie') || '', /sg_session=;.*Max-Age=0/i);
        assertError(await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) }), 401, 'session_expired');
        const rows = sqlite(srv.dbPath, "SELECT revoked_at FROM user_session WHERE user_id = (SELECT id FROM app_user WHERE username = 'gina')");
        assert.ok(rows.length === 1 && rows[0].revoked_at, 'the session row is revoked');
    });

    test('an API token never expires with the clock; signing out with one is refused', async () => {
        advance(48 * 60 * MIN);
        const r = await srv.api('GET', '/api/session');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.csrf_token, undefined, 'no CSRF token for API-token callers');
        assertError(await srv.api('DELETE', '/api/session'), 422, 'not_a_session');
    });
});

/* ---- everything else on a fixed clock ------------------------------------ */

describe('CSRF, tokens, users, restricted records, audit', () => {
    let srv;
    let testerId;

    before(async () => {
        srv = await startServer();
        testerId = (await srv.api('GET', '/api/session')).json.user.id;
        makeUser(srv.dbPath, 'sam', ['supervisor'], { team: 'North' });
        makeUser(srv.dbPath, 'ian', ['investigator'], { team: 'North' });
        makeUser(srv.dbPath, 'cal', ['call_handler'], { team: 'North' });
    });
    after(() => srv?.stop());

    /* ---- CSRF ---- */

    test('CSRF: a cookie-authenticated write without or with a wrong X-CSRF-Token is 403 csrf_failed and changes nothing', async () => {
        const s = await login(srv, 'sam', TEST_PASSWORD);
        assert.equal(s.status, 201, s.text);
        const body = { given_name: 'Crossite', family_name: 'Forgery', confirmed_new: true };
        const audits = auditCount(srv.dbPath);
        for (const extra of [{}, { 'X-CSRF-Token': 'f'.repeat(64) }, { 'X-CSRF-Token': s.csrf.slice(0, 63) },
            { 'X-CSRF-Token': '' }]) {
            const r = await assertUnchanged(srv, () => srv.api('POST', '/api/people', { body, headers: withCookie(s.cookie, extra) }));
            assertError(r, 403, 'csrf_failed');
        }
        // The refusals are audited, nothing else.
        const denied = sqlite(srv.dbPath, `SELECT action, username, detail FROM audit_log WHERE id > ${audits}`);
        assert.equal(denied.length, 4);
        for (const d of denied) {
            assert.equal(d.action, 'denied');
            assert.equal(d.username, 'sam');
            assert.match(d.detail, /csrf_failed/);
        }
        // Another session's CSRF token is not this session's.
        const other = await login(srv, 'sam', TEST_PASSWORD);
        assertError(await srv.api('POST', '/api/people', { body, headers: withCookie(s.cookie, { 'X-CSRF-Token': other.csrf }) }),
            403, 'csrf_failed');
        // With the right token it works.
        const ok = await srv.api('POST', '/api/people', { body, headers: withCookie(s.cookie, { 'X-CSRF-Token': s.csrf }) });
        assert.equal(ok.status, 201, ok.text);
        const id = ok.json.id;
        // PATCH likewise.
        const patch = { version: ok.json.version, given_name: 'Changed' };
        for (const extra of [{}, { 'X-CSRF-Token': other.csrf }]) {
            assertError(await srv.api('PATCH', `/api/people/${id}`, { body: patch, headers: withCookie(s.cookie, extra) }),
                403, 'csrf_failed');
        }
        const still = await srv.api('GET', `/api/people/${id}`);
        assert.equal(still.json.given_name, 'Crossite', 'the refused PATCH changed nothing');
        assert.equal(still.json.version, ok.json.version);
        const ok2 = await srv.api('PATCH', `/api/people/${id}`, { body: patch, headers: withCookie(s.cookie, { 'X-CSRF-Token': s.csrf }) });
        assert.equal(ok2.status, 200, ok2.text);
        assert.equal(ok2.json.given_name, 'Changed');
        // Reads need no CSRF token.
        assert.equal((await srv.api('GET', `/api/people/${id}`, { headers: withCookie(s.cookie) })).status, 200);
    });

    test('CSRF: Bearer-token requests need no CSRF token', async () => {
        const p = await createPerson(srv, { given_name: 'Bearer', family_name: 'Written', confirmed_new: true });
        const r = await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: p.version, given_name: 'Rewritten' } });
        assert.equal(r.status, 200, r.text);
    });

    test('CSRF: a Bearer token and a cookie together are judged by the token', async () => {
        const s = await login(srv, 'ian', TEST_PASSWORD);
        // The Bearer token (tester: supervisor+admin) wins over the cookie.
        const r = await srv.api('GET', '/api/session', { headers: { Cookie: `sg_session=${s.cookie}` } });
        assert.equal(r.json.user.username, 'tester');
        // A bad Bearer token is not rescued by a good cookie.
        assertError(await srv.api('GET', '/api/session', { headers: { Authorization: 'Bearer nope', Cookie: `sg_session=${s.cookie}` } }),
            401, 'invalid_token');
    });

    /* ---- API tokens ---- */

    test('API tokens from the CLI: work as Bearer, listed without secrets, revoked → 401 invalid_token', async () => {
        const add = runCli(['token', 'create', '--db', srv.dbPath, '--username', 'ian', '--name', 'integration-x']);
        assert.equal(add.status, 0, add.stderr);
        const token = add.stdout.trim();
        assert.match(token, /^[0-9a-f]{64}$/);
        const h = { Authorization: `Bearer ${token}` };
        const me = await srv.api('GET', '/api/session', { headers: h });
        assert.equal(me.status, 200, me.text);
        assert.equal(me.json.user.username, 'ian');

        const list = runCli(['token', 'list', '--db', srv.dbPath]);
        assert.equal(list.status, 0, list.stderr);
        const tokens = JSON.parse(list.stdout);
        assert.ok(!list.stdout.includes(token), 'token list shows no secret');
        assert.ok(!list.stdout.includes(sha256(token)), 'token list shows no hash either');
        const mine = tokens.find((t) => t.name === 'integration-x');
        assert.ok(mine, list.stdout);
        assert.equal(mine.username, 'ian');
        assert.equal(mine.revoked_at, null);
        for (const t of tokens) assert.deepEqual(Object.keys(t).sort(), ['created_at', 'id', 'last_used_at', 'name', 'revoked_at', 'username']);

        // The database holds only the hash.
        const [row] = sqlite(srv.dbPath, `SELECT token_hash FROM api_token WHERE id = ${mine.id}`);
        assert.notEqual(row.token_hash, token);
        assert.equal(row.token_hash, sha256(token));
        const dump = dbDump(srv.dbPath);
        assert.ok(!dump.includes(token), 'no column anywhere contains the token');

        const rev = runCli(['token', 'revoke', '--db', srv.dbPath, '--id', String(mine.id)]);
        assert.equal(rev.status, 0, rev.stderr);
        assertError(await srv.api('GET', '/api/session', { headers: h }), 401, 'invalid_token');
        // Revoking again, or an unknown id, fails.
        assert.equal(runCli(['token', 'revoke', '--db', srv.dbPath, '--id', String(mine.id)]).status, 1);
        assert.equal(runCli(['token', 'revoke', '--db', srv.dbPath, '--id', 'abc']).status, 2);
        const list2 = JSON.parse(runCli(['token', 'list', '--db', srv.dbPath]).stdout);
        assert.ok(list2.find((t) => t.id === mine.id).revoked_at, 'listed as revoked');
    });

    test('API tokens from the admin API: create (shown once), list without secrets, revoke → 401', async () => {
        const ian = userId(srv.dbPath, 'ian');
        const c = await srv.api('POST', `/api/admin/users/${ian}/tokens`, { body: { name: 'api-made' } });
        assert.equal(c.status, 201, c.text);
        const { id, token } = c.json;
        assert.match(token, /^[0-9a-f]{64}$/);
        assert.equal(c.json.user_id, ian);
        const h = { Authorization: `Bearer ${token}` };
        const me = await srv.api('GET', '/api/session', { headers: h });
        assert.equal(me.status, 200, me.text);
        assert.equal(me.json.user.username, 'ian');

        const list = await srv.api('GET', '/api/admin/tokens');
        assert.equal(list.status, 200);
        assert.ok(!list.text.includes(token), 'the list shows no secret');
        assert.ok(!list.text.includes(sha256(token)), 'the list shows no hash');
        assert.ok(!list.text.includes(srv.token), 'not even the caller\'s own');
        assert.ok(list.json.tokens.some((t) => t.id === id && t.name === 'api-made'));
        const [row] = sqlite(srv.dbPath, `SELECT token_hash FROM api_token WHERE id = ${id}`);
        assert.equal(row.token_hash, sha256(token));
        const dump = dbDump(srv.dbPath);
        assert.ok(!dump.includes(token));
        assert.ok(!dump.includes(srv.token));

        const d = await srv.api('DELETE', `/api/admin/tokens/${id}`);
        assert.equal(d.status, 200, d.text);
        assertError(await srv.api('GET', '/api/session', { headers: h }), 401, 'invalid_token');
        assertError(await srv.api('DELETE', `/api/admin/tokens/${id}`), 404, 'not_found');
        // An administrator cannot mint a token acting as themselves.
        assertError(await srv.api('POST', `/api/admin/users/${testerId}/tokens`, { body: { name: 'self' } }), 403, 'self_administration');
    });

    test('session tokens are stored only as hashes', async () => {
        const s = await login(srv, 'cal', TEST_PASSWORD);
        const rows = sqlite(srv.dbPath, `SELECT token_hash FROM user_session WHERE token_hash = '${sha256(s.cookie)}'`);
        assert.equal(rows.length, 1);
        const dump = dbDump(srv.dbPath);
        assert.ok(!dump.includes(s.cookie), 'no column contains the session token');
    });

    /* ---- user administration (API) ---- */

    test('users API: create, weak password, partner without agency, duplicate', async () => {
        const base = { username: 'uma', display_name: 'Uma User', password: 'a-long-enough-passphrase', roles: ['investigator'], team: 'South' };
        assertError(await srv.api('POST', '/api/admin/users', { body: { ...base, password: 'short' } }), 422, 'weak_password', 'password');
        assertError(await srv.api('POST', '/api/admin/users', { body: { ...base, password: 'uma' } }), 422, 'weak_password', 'password');
        assertError(await srv.api('POST', '/api/admin/users', { body: { ...base, password: 'password1234' } }), 422, 'weak_password', 'password');
        assertError(await srv.api('POST', '/api/admin/users', { body: { ...base, roles: ['partner_agency'] } }), 422, 'missing_field', 'agency');
        assertFieldError(await srv.api('POST', '/api/admin/users', { body: { ...base, roles: ['wizard'] } }), 422, 'roles[0]');
        assertFieldError(await srv.api('POST', '/api/admin/users', { body: { ...base, roles: [] } }), 422, 'roles');
        assertError(await srv.api('POST', '/api/admin/users', { body: { ...base, username: 'Bad Name' } }), 422, 'invalid_field', 'username');
        assert.equal(sqlite(srv.dbPath, "SELECT COUNT(*) AS n FROM app_user WHERE username = 'uma'")[0].n, 0);

        const c = await srv.api('POST', '/api/admin/users', { body: base });
        assert.equal(c.status, 201, c.text);
        assert.equal(c.json.username, 'uma');
        assert.deepEqual(c.json.roles, ['investigator']);
        assert.equal(c.json.version, 1);
        assert.equal(c.json.disabled, false);
        assert.ok(!('password' in c.json) && !('password_hash' in c.json) && !c.text.includes('argon2'), 'no password or hash shown');
        assert.equal(c.headers.get('location'), `/api/admin/users/${c.json.id}`);
        assertError(await srv.api('POST', '/api/admin/users', { body: base }), 409, 'username_taken');
        const partner = await srv.api('POST', '/api/admin/users', {
            body: { ...base, username: 'pat', roles: ['partner_agency'], agency: 'Northshire Children\'s Services' },
        });
        assert.equal(partner.status, 201, partner.text);
        // The new user can sign in with the password given.
        assert.equal((await login(srv, 'uma', base.password)).status, 201);
        const list = await srv.api('GET', '/api/admin/users');
        assert.ok(list.json.users.some((u) => u.username === 'uma'));
        assert.ok(!list.text.includes('argon2'));
    });

    test('users API: PATCH roles needs the current version (stale → 409)', async () => {
        const id = userId(srv.dbPath, 'uma');
        const cur = (await srv.api('GET', `/api/admin/users/${id}`)).json;
        const r = await srv.api('PATCH', `/api/admin/users/${id}`, { body: { version: cur.version, roles: ['supervisor', 'investigator'] } });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.roles.sort(), ['investigator', 'supervisor']);
        assert.equal(r.json.version, cur.version + 1);
        assertError(await srv.api('PATCH', `/api/admin/users/${id}`, { body: { version: cur.version, roles: ['admin'] } }),
            409, 'version_conflict');
        assertError(await srv.api('PATCH', `/api/admin/users/${id}`, { body: { roles: ['admin'] } }), 422, 'missing_field', 'version');
        const after = (await srv.api('GET', `/api/admin/users/${id}`)).json;
        assert.deepEqual(after.roles.sort(), ['investigator', 'supervisor'], 'the stale change was not applied');
        // The new roles take effect for the user at once.
        const s = await login(srv, 'uma', 'a-long-enough-passphrase');
        assert.ok(s.json.user.permissions.includes('people.access_log'));
        assertError(await srv.api('PATCH', '/api/admin/users/999999', { body: { version: 1 } }), 404, 'not_found');
    });

    test('users API: disabling a user stops their tokens and sessions at once', async () => {
        const tok = makeUser(srv.dbPath, 'dora', ['call_handler']);
        const s = await login(srv, 'dora', TEST_PASSWORD);
        assert.equal(s.status, 201);
        assert.equal((await srv.api('GET', '/api/session', { headers: { Authorization: `Bearer ${tok}` } })).status, 200);
        const id = userId(srv.dbPath, 'dora');
        const cur = (await srv.api('GET', `/api/admin/users/${id}`)).json;
        const r = await srv.api('PATCH', `/api/admin/users/${id}`, { body: { version: cur.version, disabled: true } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.disabled, true);
        assertError(await srv.api('GET', '/api/session', { headers: { Authorization: `Bearer ${tok}` } }), 401, 'invalid_token');
        assertError(await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) }), 401, 'session_expired');
        // A disabled user's right password is refused like a wrong one.
        const again = await login(srv, 'dora', TEST_PASSWORD);
        const wrong = await login(srv, 'dora-not-here', TEST_PASSWORD);
        assertError(again, 401, 'invalid_credentials');
        assert.deepEqual(again.json, wrong.json);
    });

    test('users API: an administrator cannot read or change their own account (403 self_administration)', async () => {
        const before = sqlite(srv.dbPath, `SELECT version FROM app_user WHERE id = ${testerId}`)[0].version;
        assertError(await srv.api('GET', `/api/admin/users/${testerId}`), 403, 'self_administration');
        assertError(await srv.api('PATCH', `/api/admin/users/${testerId}`, { body: { version: before, roles: ['admin', 'supervisor', 'investigator'] } }),
            403, 'self_administration');
        assertError(await srv.api('PATCH', `/api/admin/users/${testerId}`, { body: { version: before, disabled: true } }),
            403, 'self_administration');
        assertError(await srv.api('POST', `/api/admin/users/${testerId}/password`, { body: { password: 'another-long-password' } }),
            403, 'self_administration');
        assert.equal(sqlite(srv.dbPath, `SELECT version FROM app_user WHERE id = ${testerId}`)[0].version, before);
    });

    test('users API: a password reset ends the user\'s sessions; the new password works, the old does not', async () => {
        makeUser(srv.dbPath, 'reba', ['investigator']);
        const id = userId(srv.dbPath, 'reba');
        const s1 = await login(srv, 'reba', TEST_PASSWORD);
        const s2 = await login(srv, 'reba', TEST_PASSWORD);
        assert.equal(s1.status, 201);
        assertError(await srv.api('POST', `/api/admin/users/${id}/password`, { body: { password: 'short' } }), 422, 'weak_password');
        assertError(await srv.api('POST', `/api/admin/users/${id}/password`, { body: { password: 'reba' } }), 422, 'weak_password');
        assert.equal((await srv.api('GET', '/api/session', { headers: withCookie(s1.cookie) })).status, 200, 'a refused reset ends nothing');
        const r = await srv.api('POST', `/api/admin/users/${id}/password`, { body: { password: 'brand-new-passphrase' } });
        assert.equal(r.status, 200, r.text);
        for (const s of [s1, s2])
            assertError(await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) }), 401, 'session_expired');
        assertError(await login(srv, 'reba', TEST_PASSWORD), 401, 'invalid_credentials');
        assert.equal((await login(srv, 'reba', 'brand-new-passphrase')).status, 201);
        const row = auditFor(srv.dbPath, r);
        assert.equal(row.action, 'password_reset');
        assert.equal(row.record_type, 'user');
        assert.equal(row.record_id, id);
        assertError(await srv.api('POST', '/api/admin/users/999999/password', { body: { password: 'brand-new-passphrase' } }), 404, 'not_found');
    });

    /* ---- CLI ---- */

    test('CLI: user add reads the password from stdin; weak → exit 1, unknown role → exit 2', async () => {
        const add = (name, roles, input, extra = []) => runCli(['user', 'add', '--db', srv.dbPath, '--username', name,
            ...roles.flatMap((r) => ['--role', r]), ...extra], { input });
        const weak = add('cliweak', ['investigator'], 'short\n');
        assert.equal(weak.status, 1, weak.stderr);
        assert.match(weak.stderr, /at least 12 characters/);
        const same = add('cliweakname1', ['investigator'], 'CliWeakName1\n');
        assert.equal(same.status, 1);
        assert.match(same.stderr, /username/);
        const none = add('clinone', ['investigator'], '');
        assert.equal(none.status, 1, 'no password on stdin');
        const role = add('clirole', ['wizard'], 'a-good-long-passphrase\n');
        assert.equal(role.status, 2, role.stderr);
        assert.match(role.stderr, /not a role/);
        assert.equal(add('clipartner', ['partner_agency'], 'a-good-long-passphrase\n').status, 2, 'partner without agency');
        assert.equal(runCli(['user', 'add', '--db', srv.dbPath, '--username', 'clinorole'], { input: 'a-good-long-passphrase\n' }).status, 2);
        assert.equal(sqlite(srv.dbPath, "SELECT COUNT(*) AS n FROM app_user WHERE username LIKE 'cli%'")[0].n, 0, 'none created');

        const ok = add('clara', ['investigator'], 'a-good-long-passphrase\n', ['--team', 'CAIU', '--name', 'Clara Cli']);
        assert.equal(ok.status, 0, ok.stderr);
        assert.match(ok.stdout, /created user 'clara'/);
        assert.ok(!ok.stdout.includes('a-good-long-passphrase'));
        assert.equal(add('clara', ['investigator'], 'a-good-long-passphrase\n').status, 1, 'duplicate');
        const s = await login(srv, 'clara', 'a-good-long-passphrase');
        assert.equal(s.status, 201, s.text);
        assert.equal(s.json.user.team, 'CAIU');
        assert.equal(s.json.user.display_name, 'Clara Cli');
        const audit = sqlite(srv.dbPath, `SELECT username, action, record_id, remote_addr FROM audit_log WHERE route = 'cli user add' ORDER BY id DESC LIMIT 1`);
        assert.deepEqual(audit[0], { username: 'cli', action: 'create', record_id: userId(srv.dbPath, 'clara'), remote_addr: 'local' });
    });

    test('CLI: user list, disable, enable, set-role, reset-password', async () => {
        const tok = runCli(['token', 'create', '--db', srv.dbPath, '--username', 'clara']).stdout.trim();
        const h = { Authorization: `Bearer ${tok}` };
        const cli = (...args) => runCli(['user', ...args, '--db', srv.dbPath]);

        let list = cli('list');
        assert.equal(list.status, 0);
        assert.match(list.stdout, /^\d+\s+clara\s+active\s+investigator$/m);
        assert.match(list.stdout, /^\d+\s+dora\s+disabled\s+call_handler$/m);
        assert.ok(!list.stdout.includes('argon2'));

        const s = await login(srv, 'clara', 'a-good-long-passphrase');
        let r = cli('disable', '--username', 'clara');
        assert.equal(r.status, 0, r.stderr);
        assert.match(cli('list').stdout, /^\d+\s+clara\s+disabled/m);
        assertError(await srv.api('GET', '/api/session', { headers: h }), 401, 'invalid_token');
        assertError(await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) }), 401, 'session_expired');
        assertError(await login(srv, 'clara', 'a-good-long-passphrase'), 401, 'invalid_credentials');

        r = cli('enable', '--username', 'clara');
        assert.equal(r.status, 0, r.stderr);
        assert.match(cli('list').stdout, /^\d+\s+clara\s+active/m);
        assert.equal((await srv.api('GET', '/api/session', { headers: h })).status, 200, 'the token works again');
        // Sessions ended by disabling stay ended.
        assertError(await srv.api('GET', '/api/session', { headers: withCookie(s.cookie) }), 401, 'session_expired');

        r = runCli(['user', 'set-role', '--db', srv.dbPath, '--username', 'clara', '--role', 'supervisor', '--role', 'offender_manager']);
        assert.equal(r.status, 0, r.stderr);
        const me = await srv.api('GET', '/api/session', { headers: h });
        assert.deepEqual(me.json.user.roles.sort(), ['offender_manager', 'supervisor']);
        assert.ok(me.json.user.permissions.includes('people.access_log'));
        // An unknown role is refused and changes nothing. (user add exits 2 for it; set-role exits 1.)
        assert.notEqual(runCli(['user', 'set-role', '--db', srv.dbPath, '--username', 'clara', '--role', 'wizard']).status, 0);
        assert.deepEqual((await srv.api('GET', '/api/session', { headers: h })).json.user.roles.sort(), ['offender_manager', 'supervisor']);
        assert.equal(runCli(['user', 'set-role', '--db', srv.dbPath, '--username', 'clara']).status, 2, '--role required');

        const s2 = await login(srv, 'clara', 'a-good-long-passphrase');
        assert.equal(s2.status, 201);
        r = runCli(['user', 'reset-password', '--db', srv.dbPath, '--username', 'clara'], { input: 'short\n' });
        assert.equal(r.status, 1, 'weak new password refused');
        assert.equal((await srv.api('GET', '/api/session', { headers: withCookie(s2.cookie) })).status, 200);
        r = runCli(['user', 'reset-password', '--db', srv.dbPath, '--username', 'clara'], { input: 'another-fine-passphrase\n' });
        assert.equal(r.status, 0, r.stderr);
        assertError(await srv.api('GET', '/api/session', { headers: withCookie(s2.cookie) }), 401, 'session_expired');
        assertError(await login(srv, 'clara', 'a-good-long-passphrase'), 401, 'invalid_credentials');
        assert.equal((await login(srv, 'clara', 'another-fine-passphrase')).status, 201);

        assert.equal(cli('disable', '--username', 'no-such-user').status, 1);
        assert.equal(cli('frobnicate').status, 2);
        assert.equal(runCli(['user', 'disable', '--db', srv.dbPath]).status, 2, '--username required');
        const actions = sqlite(srv.dbPath, "SELECT route, action FROM audit_log WHERE username = 'cli' AND record_type = 'user' AND route LIKE 'cli user %' ORDER BY id")
            .map((x) => `${x.route}:${x.action}`);
        for (const want of ['cli user disable:update', 'cli user enable:update', 'cli user set-role:update', 'cli user reset-password:password_reset'])
            assert.ok(actions.includes(want), `${want} audited: ${actions}`);
    });

    /* ---- restricted records ---- */

    describe('restricted records', () => {
        let caiu; // investigator, team CAIU
        let other; // investigator, team Other
        let om; // offender_manager, team Other
        let byTeam;
        let byRole;
        const h = (t) => ({ Authorization: `Bearer ${t}` });
        const ids = (r) => (r.json?.results || []).map((x) => x.id);

        before(async () => {
            caiu = makeUser(srv.dbPath, 'rita-caiu', ['investigator'], { team: 'CAIU' });
            other = makeUser(srv.dbPath, 'otto-other', ['investigator'], { team: 'Other' });
            om = makeUser(srv.dbPath, 'omar-om', ['offender_manager'], { team: 'Other' });
            const r1 = await srv.api('POST', '/api/people', {
                headers: h(caiu),
                body: { given_name: 'Quillon', family_name: 'Restrickby', dob: '2012-03-04', restricted_to: { teams: ['CAIU'] }, confirmed_new: true },
            });
            assert.equal(r1.status, 201, r1.text);
            byTeam = r1.json;
            assert.deepEqual(byTeam.restricted_to?.teams, ['CAIU'], r1.text);
            const r2 = await srv.api('POST', '/api/people', {
                headers: h(om),
                body: { given_name: 'Varnish', family_name: 'Rolekeeper', dob: '1980-07-08', restricted_to: { roles: ['offender_manager'] }, confirmed_new: true },
            });
            assert.equal(r2.status, 201, r2.text);
            byRole = r2.json;
        });

        test('a restricted_to {teams} person is visible to the team: GET, search, PATCH', async () => {
            const g = await srv.api('GET', `/api/people/${byTeam.id}`, { headers: h(caiu) });
            assert.equal(g.status, 200, g.text);
            assert.ok(ids(await srv.api('GET', '/api/people?q=Quillon+Restrickby', { headers: h(caiu) })).includes(byTeam.id));
            assert.ok(ids(await srv.api('GET', '/api/people?dob=2012-03-04', { headers: h(caiu) })).includes(byTeam.id));
            const p = await srv.api('PATCH', `/api/people/${byTeam.id}`, { headers: h(caiu), body: { version: g.json.version, ethnicity: 'Not stated' } });
            assert.equal(p.status, 200, p.text);
            // The team sees it as a possible duplicate.
            const dup = await srv.api('POST', '/api/people', { headers: h(caiu), body: { given_name: 'Quillon', family_name: 'Restrickby', dob: '2012-03-04' } });
            assertError(dup, 409, 'possible_duplicate');
            assert.ok(dup.json.candidates.some((c) => c.id === byTeam.id));
        });

        test('a same-role user of another team: 404 on GET and PATCH, absent from search and duplicates, audited', async () => {
            const before = auditCount(srv.dbPath);
            const g = await srv.api('GET', `/api/people/${byTeam.id}`, { headers: h(other) });
            const e = assertError(g, 404, 'not_found');
            // Answered exactly as a person that does not exist.
            const missing = await srv.api('GET', '/api/people/987654', { headers: h(other) });
            assert.equal(e.message.replace(String(byTeam.id), 'N'), missing.json.error.message.replace('987654', 'N'));
            assert.equal(g.headers.get('etag'), null);
            assertError(await srv.api('PATCH', `/api/people/${byTeam.id}`, { headers: h(other), body: { version: 2, given_name: 'Hacked' } }),
                404, 'not_found');
            assertError(await srv.api('PATCH', `/api/people/${byTeam.id}`, { headers: h(other), body: { restricted_to: null }, raw: undefined }),
                404, 'not_found');
            for (const qs of ['q=Quillon+Restrickby', 'q=Restrickby', 'dob=2012-03-04']) {
                const sr = await srv.api('GET', `/api/people?${qs}`, { headers: h(other) });
                assert.equal(sr.status, 200, sr.text);
                assert.ok(!ids(sr).includes(byTeam.id),
                    `restricted person ${byTeam.id} (teams CAIU) leaked into otto-other's search ?${qs}: ${sr.text}`);
            }
            const s = await srv.api('GET', '/api/people?q=Quillon+Restrickby', { headers: h(other) });
            assert.ok(!s.text.includes('Restrickby'), 'nothing about the record leaks into the results');
            // Not offered as a possible duplicate either: the create goes through.
            const dup = await srv.api('POST', '/api/people', { headers: h(other), body: { given_name: 'Quillon', family_name: 'Restrickby', dob: '2012-03-04' } });
            if (dup.status === 409)
                assert.ok(!dup.json.candidates.some((c) => c.id === byTeam.id),
                    `restricted person ${byTeam.id} leaked as a possible_duplicate candidate to otto-other: ${dup.text}`);
            else assert.equal(dup.status, 201, dup.text);
            assert.ok(!dup.text.includes(`"id":${byTeam.id},`) || dup.json.id !== byTeam.id);
            // Unchanged.
            const [row] = sqlite(srv.dbPath, `SELECT given_name, restricted FROM person WHERE id = ${byTeam.id}`);
            assert.equal(row.given_name, 'Quillon');
            assert.equal(row.restricted, 1);
            // The refusals are audited.
            const denied = sqlite(srv.dbPath, `SELECT * FROM audit_log WHERE id > ${before} AND action = 'denied_restricted' ORDER BY id`);
            assert.equal(denied.length, 3, JSON.stringify(denied));
            for (const d of denied) {
                assert.equal(d.username, 'otto-other');
                assert.equal(d.record_type, 'person');
                assert.equal(d.record_id, byTeam.id);
            }
            assert.deepEqual(denied.map((d) => d.route), ['GET /api/people/{id}', 'PATCH /api/people/{id}', 'PATCH /api/people/{id}']);
            // The tester (supervisor + admin, no team) does not see it either.
            assertError(await srv.api('GET', `/api/people/${byTeam.id}`), 404, 'not_found');
            assertError(await srv.api('GET', `/api/people/${byTeam.id}/access-log`), 404, 'not_found');
        });

        test('restricted_to {roles}: visible to the role, hidden from others of any team', async () => {
            assert.equal((await srv.api('GET', `/api/people/${byRole.id}`, { headers: h(om) })).status, 200);
            assert.ok(ids(await srv.api('GET', '/api/people?q=Varnish+Rolekeeper', { headers: h(om) })).includes(byRole.id));
            for (const t of [caiu, other]) {
                assertError(await srv.api('GET', `/api/people/${byRole.id}`, { headers: h(t) }), 404, 'not_found');
                const sr = await srv.api('GET', '/api/people?q=Varnish+Rolekeeper', { headers: h(t) });
                assert.ok(!ids(sr).includes(byRole.id),
                    `restricted person ${byRole.id} (roles offender_manager) leaked into an investigator's search: ${sr.text}`);
                const dup = await srv.api('POST', '/api/people', { headers: h(t), body: { given_name: 'Varnish', family_name: 'Rolekeeper', dob: '1980-07-08' } });
                if (dup.status === 409)
                    assert.ok(!dup.json.candidates.some((c) => c.id === byRole.id),
                        `restricted person ${byRole.id} leaked as a possible_duplicate candidate: ${dup.text}`);
            }
            const dupOm = await srv.api('POST', '/api/people', { headers: h(om), body: { given_name: 'Varnish', family_name: 'Rolekeeper', dob: '1980-07-08' } });
            assertError(dupOm, 409, 'possible_duplicate');
            assert.ok(dupOm.json.candidates.some((c) => c.id === byRole.id));
            const denied = sqlite(srv.dbPath, `SELECT username FROM audit_log WHERE action = 'denied_restricted' AND record_id = ${byRole.id}`);
            assert.deepEqual(denied.map((d) => d.username).sort(), ['otto-other', 'rita-caiu']);
        });

        test('lifting the restriction (restricted_to: null) makes the record visible again', async () => {
            const g = await srv.api('GET', `/api/people/${byRole.id}`, { headers: h(om) });
            const p = await srv.api('PATCH', `/api/people/${byRole.id}`, { headers: h(om), body: { version: g.json.version, restricted_to: null } });
            assert.equal(p.status, 200, p.text);
            assert.equal(p.json.restricted_to, null);
            assert.equal((await srv.api('GET', `/api/people/${byRole.id}`, { headers: h(other) })).status, 200);
        });
    });

    /* ---- audit trail ---- */

    test('audit: sign-in, failed sign-in, sign-out, denial and person create/read/update/search are recorded', async () => {
        const samId = userId(srv.dbPath, 'sam');
        const ian = makeUser(srv.dbPath, 'ivy', ['investigator']);
        const ivyId = userId(srv.dbPath, 'ivy');

        const li = await login(srv, 'sam', TEST_PASSWORD);
        let row = auditFor(srv.dbPath, li);
        assert.equal(row.action, 'login');
        assert.equal(row.user_id, samId);
        assert.equal(row.username, 'sam');
        assert.equal(row.roles, 'supervisor');
        assert.equal(row.route, 'POST /api/session');
        assert.equal(row.record_type, 'session');
        const [sess] = sqlite(srv.dbPath, `SELECT id FROM user_session WHERE token_hash = '${sha256(li.cookie)}'`);
        assert.equal(row.record_id, sess.id);
        assert.equal(row.remote_addr, '127.0.0.1');
        assert.equal(row.at, '2026-06-01T12:00:00Z', 'the injected clock');

        const bad = await login(srv, 'Sam', 'wrong-password-here');
        row = auditFor(srv.dbPath, bad);
        assert.equal(row.action, 'login_failed');
        assert.equal(row.username, 'sam');
        assert.equal(row.user_id, samId);
        assert.equal(row.remote_addr, '127.0.0.1');
        assert.equal(row.route, 'POST /api/session');

        const deniedRes = await srv.api('GET', '/api/admin/users', { headers: { Authorization: `Bearer ${ian}` } });
        assertError(deniedRes, 403, 'forbidden');
        row = auditFor(srv.dbPath, deniedRes);
        assert.equal(row.action, 'denied');
        assert.equal(row.user_id, ivyId);
        assert.equal(row.username, 'ivy');
        assert.equal(row.route, 'GET /api/admin/users');
        assert.equal(JSON.parse(row.detail).permission, 'users.admin');
        assert.equal(row.remote_addr, '127.0.0.1');

        const c = await srv.api('POST', '/api/people', { headers: withCookie(li.cookie, { 'X-CSRF-Token': li.csrf }),
            body: { given_name: 'Audra', family_name: 'Trailwright', confirmed_new: true } });
        assert.equal(c.status, 201, c.text);
        row = auditFor(srv.dbPath, c);
        assert.deepEqual({ action: row.action, user_id: row.user_id, username: row.username, route: row.route, record_type: row.record_type, record_id: row.record_id },
            { action: 'create', user_id: samId, username: 'sam', route: 'POST /api/people', record_type: 'person', record_id: c.json.id });

        const rd = await srv.api('GET', `/api/people/${c.json.id}`, { headers: { Authorization: `Bearer ${ian}` } });
        assert.equal(rd.status, 200);
        row = auditFor(srv.dbPath, rd);
        assert.deepEqual({ action: row.action, username: row.username, route: row.route, record_type: row.record_type, record_id: row.record_id, remote_addr: row.remote_addr },
            { action: 'read', username: 'ivy', route: 'GET /api/people/{id}', record_type: 'person', record_id: c.json.id, remote_addr: '127.0.0.1' });

        const up = await srv.api('PATCH', `/api/people/${c.json.id}`, { headers: { Authorization: `Bearer ${ian}` }, body: { version: rd.json.version, gender: 'female' } });
        assert.equal(up.status, 200, up.text);
        row = auditFor(srv.dbPath, up);
        assert.deepEqual({ action: row.action, username: row.username, route: row.route, record_type: row.record_type, record_id: row.record_id },
            { action: 'update', username: 'ivy', route: 'PATCH /api/people/{id}', record_type: 'person', record_id: c.json.id });

        const sr = await srv.api('GET', '/api/people?q=Audra+Trailwright', { headers: { Authorization: `Bearer ${ian}` } });
        assert.equal(sr.status, 200);
        row = auditFor(srv.dbPath, sr);
        assert.equal(row.action, 'search');
        assert.equal(row.username, 'ivy');
        assert.equal(row.route, 'GET /api/people');
        const detail = JSON.parse(row.detail);
        assert.equal(detail.q, 'Audra Trailwright');
        assert.ok(detail.shown.includes(c.json.id), row.detail);

        const out = await srv.api('DELETE', '/api/session', { headers: withCookie(li.cookie, { 'X-CSRF-Token': li.csrf }) });
        assert.equal(out.status, 200);
        row = auditFor(srv.dbPath, out);
        assert.equal(row.action, 'logout');
        assert.equal(row.username, 'sam');
        assert.equal(row.route, 'DELETE /api/session');
        assert.equal(row.record_type, 'session');
        assert.equal(row.record_id, sess.id);

        // Requests that are not audited leave no row: /healthz and /api/session.
        const n = auditCount(srv.dbPath);
        await srv.api('GET', '/healthz');
        await srv.api('GET', '/api/session');
        assert.equal(auditCount(srv.dbPath), n);
    });

    test('audit: a write and its audit entry commit together; a failed write leaves both unchanged', async () => {
        const people = countRows(srv.dbPath);
        let n = auditCount(srv.dbPath);
        // Validation failures (422), refused duplicates (409), stale versions (409), missing version (428).
        const p = await createPerson(srv, { given_name: 'Atomic', family_name: 'Commitson', dob: '2010-01-01', confirmed_new: true });
        assert.equal(auditCount(srv.dbPath), n + 1, 'one audit row for one create');
        const afterCreate = countRows(srv.dbPath);
        assert.equal(afterCreate.person, people.person + 1);
        n = auditCount(srv.dbPath);
        const failing = [
            ['POST', '/api/people', { given_name: 'X' }],
            ['POST', '/api/people', { given_name: 'Y', family_name: 'Z', dob: '2999-01-01' }],
            ['POST', '/api/people', { given_name: 'Atomic', family_name: 'Commitson', dob: '2010-01-01' }],
            ['PATCH', `/api/people/${p.id}`, { version: p.version + 5, given_name: 'Stale' }],
            ['PATCH', `/api/people/${p.id}`, { given_name: 'NoVersion' }],
            ['PATCH', `/api/people/${p.id}`, { version: p.version, dob: 'not-a-date' }],
            ['PATCH', '/api/people/999999', { version: 1, given_name: 'Ghost' }],
        ];
        for (const [m, path, body] of failing) {
            const r = await srv.api(m, path, { body });
            assert.ok(r.status >= 400 && r.status < 500 && r.status !== 403, `${m} ${path}: ${r.status} ${r.text}`);
            assert.equal(auditCount(srv.dbPath), n, `${m} ${path} (${r.status}) wrote no audit row`);
        }
        assert.deepEqual(countRows(srv.dbPath), afterCreate, 'the failed writes changed no person rows');
        const [row] = sqlite(srv.dbPath, `SELECT version, given_name FROM person WHERE id = ${p.id}`);
        assert.deepEqual(row, { version: p.version, given_name: 'Atomic' });
    });

    test('audit: the database refuses UPDATE and DELETE on audit_log', () => {
        const n = auditCount(srv.dbPath);
        const up = sqliteTry(srv.dbPath, "UPDATE audit_log SET username = 'mallory' WHERE id = 1");
        assert.notEqual(up.status, 0, 'UPDATE refused');
        assert.match(up.stderr, /append-only/);
        const del = sqliteTry(srv.dbPath, 'DELETE FROM audit_log WHERE id = 1');
        assert.notEqual(del.status, 0, 'DELETE refused');
        assert.match(del.stderr, /append-only/);
        const delAll = sqliteTry(srv.dbPath, 'DELETE FROM audit_log');
        assert.notEqual(delAll.status, 0);
        assert.equal(auditCount(srv.dbPath), n);
        assert.equal(sqlite(srv.dbPath, 'SELECT username FROM audit_log WHERE id = 1')[0].username, 'cli');
    });

    test('audit: `safeguard audit verify` reports an intact chain with its entry count', () => {
        const r = runCli(['audit', 'verify', '--db', srv.dbPath]);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        const n = auditCount(srv.dbPath);
        assert.match(r.stdout, new RegExp(`intact: ${n} entries, head [0-9a-f]{64}`));
        const [{ hash }] = sqlite(srv.dbPath, 'SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1');
        assert.ok(r.stdout.includes(hash), 'the head is the last entry\'s hash');
    });

    test('audit: tampering (altered row, deleted middle row) is found and named, by the CLI and the API', async () => {
        const dir = tempDir();
        try {
            const n = auditCount(srv.dbPath);
            assert.ok(n > 20);
            const mid = Math.floor(n / 2);
            const copy = (name) => dbCopy(srv.dbPath, dir, name);
            // An altered username.
            const altered = copy('altered.db');
            assert.equal(runCli(['audit', 'verify', '--db', altered]).status, 0, 'the copy verifies');
            sqlite(altered, `${dropTriggerSql(altered, 'audit_log_no_update', 'audit_log')}; UPDATE audit_log SET username = 'mallory' WHERE id = ${mid}`);
            let r = runCli(['audit', 'verify', '--db', altered]);
            assert.equal(r.status, 1, r.stdout + r.stderr);
            assert.match(r.stdout, new RegExp(`BROKEN at entry ${mid}\\b`));
            assert.match(r.stdout, /altered/);
            // An altered detail, recomputing nothing: also found.
            const altered2 = copy('altered2.db');
            sqlite(altered2, `${dropTriggerSql(altered2, 'audit_log_no_update', 'audit_log')}; UPDATE audit_log SET at = '2020-01-01T00:00:00Z' WHERE id = ${n}`);
            r = runCli(['audit', 'verify', '--db', altered2]);
            assert.equal(r.status, 1);
            assert.match(r.stdout, new RegExp(`BROKEN at entry ${n}\\b`), 'the last entry is covered too');
            // A deleted middle row.
            const deleted = copy('deleted.db');
            sqlite(deleted, `${dropTriggerSql(deleted, 'audit_log_no_delete', 'audit_log')}; DELETE FROM audit_log WHERE id = ${mid}`);
            r = runCli(['audit', 'verify', '--db', deleted]);
            assert.equal(r.status, 1, r.stdout + r.stderr);
            assert.match(r.stdout, new RegExp(`BROKEN at entry ${mid}\\b`));
            assert.match(r.stdout, /missing/);
            // A rewritten hash that no longer links.
            const relinked = copy('relinked.db');
            sqlite(relinked, `${dropTriggerSql(relinked, 'audit_log_no_update', 'audit_log')}; UPDATE audit_log SET prev_hash = '${'0'.repeat(64)}' WHERE id = ${mid}`);
            r = runCli(['audit', 'verify', '--db', relinked]);
            assert.equal(r.status, 1);
            assert.match(r.stdout, new RegExp(`BROKEN at entry ${mid}\\b`));
            // Verifying changed nothing (read-only), and the live chain is intact.
            assert.equal(runCli(['audit', 'verify', '--db', srv.dbPath]).status, 0);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });

    test('audit: GET /api/audit/verify reports intact, then intact:false with first_bad_entry after tampering', async () => {
        // Runs last in this block: it breaks the live server's chain.
        const ok = await srv.api('GET', '/api/audit/verify');
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.json.intact, true);
        assert.equal(ok.json.entries, auditCount(srv.dbPath));
        assert.match(ok.json.head_hash, /^[0-9a-f]{64}$/);
        const target = 5;
        sqlite(srv.dbPath, `${dropTriggerSql(srv.dbPath, 'audit_log_no_update', 'audit_log')}; UPDATE audit_log SET username = 'mallory' WHERE id = ${target}`);
        const bad = await srv.api('GET', '/api/audit/verify');
        assert.equal(bad.status, 200, bad.text);
        assert.equal(bad.json.intact, false);
        assert.equal(bad.json.first_bad_entry, target);
        assert.match(bad.json.reason, /altered/);
        const cliRes = runCli(['audit', 'verify', '--db', srv.dbPath]);
        assert.equal(cliRes.status, 1);
        assert.match(cliRes.stdout, new RegExp(`BROKEN at entry ${target}\\b`));
    });
});

/* ---- access log ---------------------------------------------------------- */

describe('access log', () => {
    let srv;
    before(async () => (srv = await startServer()));
    after(() => srv?.stop());

    test('a supervisor sees who read and changed a person, newest first; an investigator is refused', async () => {
        const sup = makeUser(srv.dbPath, 'susan', ['supervisor']);
        const inv = makeUser(srv.dbPath, 'victor', ['investigator']);
        const ch = makeUser(srv.dbPath, 'chloe', ['call_handler']);
        const p = await createPerson(srv, { given_name: 'Logan', family_name: 'Accesslog', confirmed_new: true });
        const other = await createPerson(srv, { given_name: 'Other', family_name: 'Personne', confirmed_new: true });
        const r1 = await srv.api('GET', `/api/people/${p.id}`, { headers: { Authorization: `Bearer ${inv}` } });
        assert.equal(r1.status, 200);
        await srv.api('GET', `/api/people/${other.id}`, { headers: { Authorization: `Bearer ${inv}` } });
        const r2 = await srv.api('PATCH', `/api/people/${p.id}`, { headers: { Authorization: `Bearer ${ch}` }, body: { version: r1.json.version, gender: 'male' } });
        assert.equal(r2.status, 200, r2.text);
        await srv.api('GET', `/api/people/${p.id}`, { headers: { Authorization: `Bearer ${ch}` } });

        assertError(await srv.api('GET', `/api/people/${p.id}/access-log`, { headers: { Authorization: `Bearer ${inv}` } }), 403, 'forbidden');
        const log = await srv.api('GET', `/api/people/${p.id}/access-log`, { headers: { Authorization: `Bearer ${sup}` } });
        assert.equal(log.status, 200, log.text);
        assert.equal(log.json.person_id, p.id);
        const seq = log.json.entries.map((e) => `${e.username}:${e.action}`);
        assert.deepEqual(seq, ['chloe:read', 'chloe:update', 'victor:read', 'tester:create'], 'newest first, only this person');
        const idsDesc = log.json.entries.map((e) => e.id);
        assert.deepEqual(idsDesc, [...idsDesc].sort((a, b) => b - a));
        for (const e of log.json.entries) {
            assert.equal(e.remote_addr, '127.0.0.1');
            assert.match(e.request_id, /^[0-9a-f]+$/);
            assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
            assert.ok(Number.isInteger(e.user_id));
        }
        assert.equal(log.json.entries[0].route, 'GET /api/people/{id}');
        assert.equal(log.json.entries[1].route, 'PATCH /api/people/{id}');
        // Reading the access log is itself audited, and shows next time.
        const log2 = await srv.api('GET', `/api/people/${p.id}/access-log`, { headers: { Authorization: `Bearer ${sup}` } });
        assert.equal(log2.json.entries[0].username, 'susan');
        assert.equal(log2.json.entries[0].action, 'read_access_log');
        assertError(await srv.api('GET', '/api/people/999999/access-log', { headers: { Authorization: `Bearer ${sup}` } }), 404, 'not_found');
    });
});
