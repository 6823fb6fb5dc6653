// matrix.test.mjs — the authorisation matrix, generated from the route table.
//
// `safeguard routes` names every route's permission and `safeguard roles`
// names every role's permissions. For every route × every role this file
// sends a request as a user holding only that role and asserts:
//   role lacks the permission  → 403 forbidden
//   role holds it              → neither 401 nor 403 (nor a 5xx)
// plus: every non-public route refuses requests without credentials and with
// a garbage token (401), and the whole table was covered. Hard-coded policy
// assertions at the end guard the policy itself, so that a change to roles.c
// which widens access fails here even though the generated matrix still
// "agrees" with the new table.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, cli, sqlite,
} from './harness.mjs';

/** `safeguard routes`: [{method, path, permission, body, handler}]. */
function routeTable() {
    const routes = JSON.parse(cli(['routes']).stdout);
    assert.ok(Array.isArray(routes) && routes.length > 0);
    return routes;
}

/** `safeguard roles`: Map role → Set of permissions. */
function roleTable() {
    const roles = JSON.parse(cli(['roles']).stdout);
    assert.ok(Array.isArray(roles) && roles.length > 0);
    return new Map(roles.map((r) => [r.role, new Set(r.permissions)]));
}

const key = (rt) => `${rt.method} ${rt.path}`;

/**
 * The policy: the only routes anyone may use without signing in (health,
 * readiness, and signing in: the sign-in form's data and the sign-in itself). A new public
 * route must be added here deliberately (and reviewed as such); the route
 * table alone cannot widen this list.
 */
const PUBLIC_ROUTES = ['GET /healthz', 'GET /readyz', 'POST /api/session', 'GET /api/sign-in'];

describe('authorisation matrix (route table × role table)', () => {
    let srv;
    let routes;
    let roles;
    const tokens = new Map(); // role → API token of a user holding only that role
    const userIds = new Map(); // role → that user's id
    let personId;
    let testerId;
    const covered = new Set(); // "role|METHOD path" pairs actually sent

    before(async () => {
        routes = routeTable();
        roles = roleTable();
        srv = await startServer();
        for (const role of roles.keys()) {
            const opts = role === 'partner_agency' ? { agency: 'Test Children\'s Services' } : {};
            tokens.set(role, makeUser(srv.dbPath, `m-${role.replace(/_/g, '-')}`, [role], opts));
        }
        for (const r of sqlite(srv.dbPath, 'SELECT id, username FROM app_user')) {
            if (r.username === 'tester') testerId = r.id;
            for (const role of roles.keys())
                if (r.username === `m-${role.replace(/_/g, '-')}`) userIds.set(role, r.id);
        }
        assert.ok(testerId, 'the harness tester exists');
        personId = (await createPerson(srv, { given_name: 'Matrix', family_name: 'Subject', confirmed_new: true })).id;
    });
    after(() => srv?.stop());

    /**
     * The concrete request for a route: {id} params become an existing id
     * that is never the caller's own account (self_administration).
     */
    function concrete(rt) {
        let path = rt.path;
        path = path.replace(/\{[^}]+\}/g, () => {
            if (rt.path.startsWith('/api/admin/users/')) return String(testerId);
            if (rt.path.startsWith('/api/admin/tokens/')) return '999999'; // never revoke a live token
            return String(personId);
        });
        if (rt.method === 'GET' && rt.path === '/api/people') path += '?q=Subject';
        return { method: rt.method, path, body: rt.body ? {} : undefined };
    }

    test('the role table holds the 15 roles and every route names a known permission', () => {
        assert.equal(roles.size, 15, [...roles.keys()].join(','));
        const perms = new Set([...roles.values()].flatMap((s) => [...s]));
        perms.add('public');
        for (const rt of routes) {
            assert.ok(perms.has(rt.permission) || rt.permission === 'public',
                `${key(rt)} names permission '${rt.permission}' which no role holds`);
            assert.notEqual(rt.permission, 'none', `${key(rt)} must not name 'none'`);
        }
        for (const [role, set] of roles) {
            assert.ok(set.has('authenticated'), `${role} holds 'authenticated'`);
        }
    });

    test('every route × every role: 403 forbidden without the permission, never 401/403 with it', async () => {
        const failures = [];
        for (const rt of routes) {
            const req = concrete(rt);
            for (const [role, perms] of roles) {
                const r = await srv.api(req.method, req.path, {
                    body: req.body,
                    headers: { Authorization: `Bearer ${tokens.get(role)}` },
                });
                covered.add(`${role}|${key(rt)}`);
                const has = rt.permission === 'public' || perms.has(rt.permission);
                const where = `${role} → ${req.method} ${req.path} (needs ${rt.permission}): ${r.status} ${r.text.slice(0, 200)}`;
                if (has) {
                    if (r.status === 401 || r.status === 403 || r.status >= 500)
                        failures.push(`allowed but refused/failed: ${where}`);
                } else {
                    try {
                        assertError(r, 403, 'forbidden');
                    } catch {
                        failures.push(`should be 403 forbidden: ${where}`);
                    }
                }
            }
        }
        assert.deepEqual(failures, []);
    });

    test('every denial in the matrix was audited as "denied" with the permission', () => {
        let denials = 0;
        for (const rt of routes)
            for (const [, perms] of roles)
                if (!(rt.permission === 'public' || perms.has(rt.permission))) denials++;
        const rows = sqlite(srv.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'denied' AND detail LIKE '%\"code\":\"forbidden\"%'");
        assert.ok(rows[0].n >= denials, `expected at least ${denials} denied entries, found ${rows[0].n}`);
    });

    test('every non-public route refuses a request without credentials (401 unauthenticated)', async () => {
        const failures = [];
        for (const rt of routes) {
            const req = concrete(rt);
            const r = await srv.api(req.method, req.path, { body: req.body, headers: { Authorization: null } });
            covered.add(`none|${key(rt)}`);
            if (rt.permission === 'public') {
                if (r.status === 401 || r.status === 403) failures.push(`public ${key(rt)} refused: ${r.status}`);
                continue;
            }
            try {
                assertError(r, 401, 'unauthenticated');
            } catch {
                failures.push(`${key(rt)} without credentials: ${r.status} ${r.text.slice(0, 200)}`);
            }
        }
        assert.deepEqual(failures, []);
    });

    test('every non-public route refuses a garbage or malformed token (401)', async () => {
        const garbage = [
            'Bearer not-a-token',
            `Bearer ${'0'.repeat(64)}`, // right shape, unknown
            `Bearer ${tokens.get('admin')}x`, // a real token with a byte more
            `Bearer ${tokens.get('admin').slice(0, 63)}`, // and a byte less
        ];
        const failures = [];
        for (const rt of routes) {
            const req = concrete(rt);
            for (const auth of garbage) {
                const r = await srv.api(req.method, req.path, { body: req.body, headers: { Authorization: auth } });
                if (rt.permission === 'public') continue;
                try {
                    assertError(r, 401, 'invalid_token');
                } catch {
                    failures.push(`${key(rt)} with '${auth.slice(0, 20)}…': ${r.status} ${r.text.slice(0, 200)}`);
                }
            }
            // A non-Bearer scheme is refused too.
            const basic = await srv.api(req.method, req.path, { body: req.body, headers: { Authorization: 'Basic dGVzdGVyOng=' } });
            if (rt.permission !== 'public' && basic.status !== 401)
                failures.push(`${key(rt)} with Basic auth: ${basic.status}`);
        }
        assert.deepEqual(failures, []);
    });

    test('the matrix covered 100% of routes × roles', () => {
        const expected = routes.length * roles.size;
        const sent = [...covered].filter((c) => !c.startsWith('none|')).length;
        assert.equal(sent, expected, `covered ${sent} of ${routes.length} routes × ${roles.size} roles`);
        for (const rt of routes) assert.ok(covered.has(`none|${key(rt)}`), `${key(rt)} tested without credentials`);
    });

    /* ---- hard-coded policy: these fail when roles.c widens access ---------- */

    test('policy: only /healthz, /readyz and POST /api/session are public', () => {
        const pub = routes.filter((rt) => rt.permission === 'public').map(key).sort();
        assert.deepEqual(pub, [...PUBLIC_ROUTES].sort());
    });

    test('policy: only /healthz, /readyz and POST /api/session answer without credentials', async () => {
        const answered = [];
        for (const rt of routes) {
            const req = concrete(rt);
            const r = await srv.api(req.method, req.path, { body: req.body, headers: { Authorization: null } });
            if (r.status !== 401) answered.push(key(rt));
        }
        assert.deepEqual(answered.sort(), [...PUBLIC_ROUTES].sort());
    });

    test('policy: partner_agency, assurance_board and admin cannot read or search people', async () => {
        for (const role of ['partner_agency', 'assurance_board', 'admin']) {
            const h = { Authorization: `Bearer ${tokens.get(role)}` };
            assertError(await srv.api('GET', `/api/people/${personId}`, { headers: h }), 403, 'forbidden');
            assertError(await srv.api('GET', '/api/people?q=x', { headers: h }), 403, 'forbidden');
            assertError(await srv.api('POST', '/api/people', { headers: h, body: { given_name: 'A', family_name: 'B' } }), 403, 'forbidden');
            assert.ok(!roles.get(role).has('people.read'), `${role} must not hold people.read`);
            assert.ok(!roles.get(role).has('people.write'), `${role} must not hold people.write`);
        }
    });

    test('policy: only supervisors and inspectors can read the access log', async () => {
        const readers = ['supervisor', 'inspector'];
        for (const role of roles.keys()) {
            const r = await srv.api('GET', `/api/people/${personId}/access-log`, {
                headers: { Authorization: `Bearer ${tokens.get(role)}` },
            });
            if (readers.includes(role)) assert.equal(r.status, 200, r.text);
            else assertError(r, 403, 'forbidden');
        }
        const holders = [...roles].filter(([, p]) => p.has('people.access_log')).map(([r]) => r);
        assert.deepEqual(holders.sort(), [...readers].sort());
    });

    test('policy: only admin can use /api/admin/*, /api/audit/verify and /metrics', async () => {
        const adminOnly = routes.filter((rt) => rt.path.startsWith('/api/admin/') || rt.path === '/metrics'
            || rt.path === '/api/audit/verify');
        assert.ok(adminOnly.length >= 9, 'the admin routes exist');
        for (const rt of adminOnly) {
            const req = concrete(rt);
            for (const role of roles.keys()) {
                const r = await srv.api(req.method, req.path, {
                    body: req.body,
                    headers: { Authorization: `Bearer ${tokens.get(role)}` },
                });
                if (role === 'admin') assert.ok(r.status !== 401 && r.status !== 403, `admin ${key(rt)}: ${r.status} ${r.text}`);
                else assertError(r, 403, 'forbidden');
            }
        }
        for (const perm of ['users.admin', 'metrics.read', 'audit.verify']) {
            const holders = [...roles].filter(([, p]) => p.has(perm)).map(([r]) => r);
            assert.deepEqual(holders, ['admin'], `${perm} holders`);
        }
    });

    test('policy: the operational roles read and write people; nobody else does', () => {
        const casework = ['call_handler', 'response_officer', 'supervisor', 'inspector', 'investigator', 'ocse_analyst', 'missing_coordinator',
            'custody_officer', 'custody_sergeant', 'offender_manager', 'safeguarding_hub'];
        for (const perm of ['people.read', 'people.write']) {
            const holders = [...roles].filter(([, p]) => p.has(perm)).map(([r]) => r).sort();
            assert.deepEqual(holders, [...casework].sort(), `${perm} holders`);
        }
    });

    test('policy: case audits (they name records) are for supervisors, inspectors and the audit team; never the board', async () => {
        const holders = (perm) => [...roles].filter(([, p]) => p.has(perm)).map(([r]) => r).sort();
        assert.deepEqual(holders('case_audits.conduct'), ['auditor', 'inspector', 'supervisor']);
        assert.deepEqual(holders('case_audits.manage'), ['auditor']);
        const board = { Authorization: `Bearer ${tokens.get('assurance_board')}` };
        for (const rt of routes.filter((r) => r.path.startsWith('/api/case-audits'))) {
            const req = concrete(rt);
            assertError(await srv.api(req.method, req.path, { body: req.body, headers: board }), 403, 'forbidden');
        }
        // The audit team reads the cases it audits and changes none.
        for (const perm of ['incidents.write', 'people.read', 'people.write', 'assurance.write'])
            assert.ok(!roles.get('auditor').has(perm), `auditor must not hold ${perm}`);
    });

    test('an admin is refused their own account (403 self_administration), not another\'s', async () => {
        const h = { Authorization: `Bearer ${tokens.get('admin')}` };
        const self = userIds.get('admin');
        assertError(await srv.api('GET', `/api/admin/users/${self}`, { headers: h }), 403, 'self_administration');
        assertError(await srv.api('PATCH', `/api/admin/users/${self}`, { headers: h, body: { version: 1, roles: ['admin', 'supervisor'] } }),
            403, 'self_administration');
        assert.equal((await srv.api('GET', `/api/admin/users/${testerId}`, { headers: h })).status, 200);
    });
});
