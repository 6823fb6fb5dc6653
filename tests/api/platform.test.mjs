// platform.test.mjs — health, readiness, metrics, the OpenAPI document kept
// in step with the route table, and the command line.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, sqlite, runCli, cli, tempDir, newDatabase,
    schemaSnapshot,
} from './harness.mjs';

/** `safeguard routes` as a list of {method, path, permission, body, handler}. */
function routeTable() {
    const routes = JSON.parse(cli(['routes']).stdout);
    assert.ok(Array.isArray(routes) && routes.length > 0);
    return routes;
}

describe('platform endpoints', () => {
    let srv;
    before(async () => (srv = await startServer()));
    after(() => srv?.stop());

    test('/healthz is 200 {"status":"ok"}', async () => {
        const r = await srv.api('GET', '/healthz');
        assert.equal(r.status, 200);
        assert.deepEqual(r.json, { status: 'ok' });
    });

    test('/readyz is 200 with the current schema_version', async () => {
        const r = await srv.api('GET', '/readyz');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'ready');
        const [{ v }] = sqlite(srv.dbPath, 'SELECT MAX(version) AS v FROM schema_version');
        assert.ok(Number.isInteger(v) && v >= 1);
        assert.equal(r.json.schema_version, v);
    });

    test('/metrics is Prometheus text counting requests by route pattern', async () => {
        // Counters are per process: with several servers (PostgreSQL), ask one.
        srv.sticky = true;
        try {
            await metricsCounted();
        } finally {
            srv.sticky = false;
        }
    });

    async function metricsCounted() {
        const p = await createPerson(srv, { given_name: 'Metric', family_name: 'Counter' });
        assert.equal((await srv.api('GET', `/api/people/${p.id}`)).status, 200);
        assert.equal((await srv.api('GET', '/api/people/999999')).status, 404);
        const r = await srv.api('GET', '/metrics');
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
        const lines = r.text.split('\n').filter(Boolean);
        assert.ok(lines.includes('# TYPE safeguard_http_requests_total counter'), r.text);
        // Every sample line is `name{labels} number`.
        for (const l of lines.filter((x) => !x.startsWith('#')))
            assert.match(l, /^[a-z_]+\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\} ([0-9.e+-]+|\+Inf)$/, l);
        const sample = (labels) => {
            const l = lines.find((x) => x.startsWith(`safeguard_http_requests_total{${labels}}`));
            return l ? Number(l.split(' ').pop()) : 0;
        };
        // The route pattern, not the concrete path, labels the counter.
        assert.equal(sample('method="POST",route="/api/people",status="2xx"'), 1, r.text);
        assert.equal(sample('method="GET",route="/api/people/{id}",status="2xx"'), 1, r.text);
        assert.equal(sample('method="GET",route="/api/people/{id}",status="4xx"'), 1, r.text);
        assert.ok(!r.text.includes(`/api/people/${p.id}"`), 'no concrete ids in labels');
        assert.match(r.text, /safeguard_http_request_duration_seconds_count\{method="GET",route="\/api\/people\/\{id\}"\} 2/);
    }

    test('/api/openapi.json lists exactly the routes `safeguard routes` prints, with their permissions', async () => {
        const routes = routeTable();
        const r = await srv.api('GET', '/api/openapi.json');
        assert.equal(r.status, 200);
        const doc = r.json;
        assert.match(doc.openapi, /^3\./);
        assert.equal(typeof doc.info?.title, 'string');
        const ops = [];
        for (const [path, item] of Object.entries(doc.paths))
            for (const [method, op] of Object.entries(item)) ops.push({ method: method.toUpperCase(), path, op });
        const key = (x) => `${x.method} ${x.path}`;
        assert.deepEqual(ops.map(key).sort(), routes.map(key).sort(), 'OpenAPI and the route table list the same operations');
        for (const rt of routes) {
            const { op } = ops.find((o) => key(o) === key(rt));
            assert.equal(op['x-permission'], rt.permission, `${key(rt)} x-permission`);
            assert.equal(op.operationId, rt.handler, `${key(rt)} operationId`);
            assert.equal(Boolean(op.requestBody), rt.body, `${key(rt)} requestBody iff the route takes a body`);
            const params = (rt.path.match(/\{[^}]+\}/g) || []).map((s) => s.slice(1, -1));
            assert.deepEqual((op.parameters || []).filter((x) => x.in === 'path').map((x) => x.name), params, key(rt));
        }
        assert.equal(new Set(ops.map((o) => o.op.operationId)).size, ops.length, 'operationIds are unique');
    });

    test('the OpenAPI request schema for creating a person matches the validator', async () => {
        const doc = (await srv.api('GET', '/api/openapi.json')).json;
        const schema = doc.paths['/api/people'].post.requestBody.content['application/json'].schema;
        assert.equal(schema.additionalProperties, false);
        assert.deepEqual([...schema.required].sort(), ['family_name', 'given_name']);
        assert.equal(schema.properties.given_name.maxLength, 100);
        assert.equal(schema.properties.dob.format, 'date');
        assert.deepEqual(schema.properties.flags.items.properties.flag.enum,
            ['child_protection_plan', 'looked_after', 'child_in_need', 'exploitation_risk', 'registered_sex_offender']);
        // A field the document does not list is refused by the server.
        assertError(await srv.api('POST', '/api/people', { body: { given_name: 'A', family_name: 'B', shoe_size: 9 } }),
            422, 'unknown_field', 'shoe_size');
    });

    test('every path and method in the OpenAPI document is answered (not 404/405)', async () => {
        // Make sure {id} = 1 exists.
        const one = await srv.api('GET', '/api/people/1');
        if (one.status === 404) await createPerson(srv, { given_name: 'Id', family_name: 'One', confirmed_new: true });
        assert.equal((await srv.api('GET', '/api/people/1')).status, 200);
        const doc = (await srv.api('GET', '/api/openapi.json')).json;
        let n = 0;
        for (const [path, item] of Object.entries(doc.paths)) {
            for (const method of Object.keys(item)) {
                const r = await srv.api(method.toUpperCase(), path.replace(/\{[^}]+\}/g, '1'));
                assert.ok(![404, 405].includes(r.status), `${method.toUpperCase()} ${path} -> ${r.status} ${r.text}`);
                assert.ok(r.status < 500, `${method.toUpperCase()} ${path} -> ${r.status} ${r.text}`);
                n++;
            }
        }
        assert.equal(n, routeTable().length);
    });
});

describe('command line', () => {
    let dir;
    before(() => (dir = tempDir()));
    after(() => rmSync(dir, { recursive: true, force: true }));

    test('version exits 0 and prints the version', () => {
        const r = cli(['version']);
        assert.match(r.stdout, /^safeguard \d+\.\d+\.\d+/);
        assert.equal(cli(['--version']).stdout, r.stdout);
    });

    test('an unknown command exits 2 with one line on stderr', () => {
        const r = runCli(['frobnicate']);
        assert.equal(r.status, 2);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, /frobnicate/);
        assert.equal(r.stdout, '');
    });

    test('usage errors exit 2 with one line naming the problem', () => {
        const cases = [
            [['serve', '--listen', 'nonsense'], /nonsense/],
            [['serve', '--db', join(dir, 'u.db'), '--clock', 'not-a-time'], /clock|not-a-time/],
            [['init', '--no-such-option'], /no-such-option/],
            [['init', 'extra-arg'], /extra-arg/],
            [['seed', '--people', '-5'], /people/],
            [['seed', '--people', 'lots'], /lots/],
            [['version', 'extra'], /extra/],
            [['init', '--db'], /db/],
        ];
        for (const [args, re] of cases) {
            const r = runCli(args);
            assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
            assert.equal(r.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${r.stderr}`);
            assert.match(r.stderr, re, args.join(' '));
        }
    });

    test('init on a database that cannot be created exits 1 with a message', () => {
        const r = runCli(['init', '--db', '/nonexistent-dir/x.db']);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /nonexistent-dir\/x\.db/);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });

    test('init twice is a no-op', () => {
        const db = newDatabase(dir, 'twice.db');
        cli(['init', '--db', db]);
        const before = sqlite(db, 'SELECT * FROM schema_version ORDER BY version');
        const tables = schemaSnapshot(db);
        assert.ok(before.length >= 1);
        assert.ok(tables.length > 100, `the schema: ${tables.length} rows`);
        const r = cli(['init', '--db', db]);
        assert.match(r.stdout, /schema version/);
        assert.deepEqual(sqlite(db, 'SELECT * FROM schema_version ORDER BY version'), before);
        assert.deepEqual(schemaSnapshot(db), tables);
    });

    test('--help on every subcommand exits 0 with usage on stdout', () => {
        const names = ['init', 'serve', 'seed', 'routes', 'version', 'help'];
        for (const c of names) {
            const r = runCli([c, '--help']);
            assert.equal(r.status, 0, `${c} --help: ${r.stderr}`);
            assert.match(r.stdout, new RegExp(`usage: safeguard ${c === 'help' ? '' : c}`), c);
            assert.equal(r.stderr, '', c);
        }
        const all = cli(['help']);
        for (const c of names) assert.match(all.stdout, new RegExp(`^  ${c} `, 'm'), `help lists ${c}`);
    });

    test('seed is deterministic: the same --seed gives identical person tables', () => {
        const dump = (db) => ({
            person: sqlite(db, 'SELECT * FROM person ORDER BY id'),
            alias: sqlite(db, 'SELECT * FROM person_alias ORDER BY id'),
            address: sqlite(db, 'SELECT * FROM person_address ORDER BY id'),
            flag: sqlite(db, 'SELECT * FROM person_flag ORDER BY id'),
        });
        const dbs = ['seed-a.db', 'seed-b.db', 'seed-c.db'].map((f) => join(dir, f));
        for (const [i, db] of dbs.entries()) {
            cli(['init', '--db', db]);
            cli(['seed', '--db', db, '--people', '50', '--seed', i === 2 ? '8' : '7', '--clock', '2026-06-01T12:00:00Z']);
        }
        const [a, b, c] = dbs.map(dump);
        assert.equal(a.person.length, 50);
        assert.deepEqual(a, b);
        assert.notDeepEqual(a.person, c.person, 'a different --seed gives different people');
    });
});
