// seed_scale.test.mjs — `safeguard seed --scale`: the force-scale dataset
// (issue 16) at its tiny scale (0.1% of large): the counts its plan names,
// every foreign key resolving, the audit chain intact, the areas' rules
// holding, the same data from the same seed and clock, and a server that
// answers a misspelt search and a supervisor's My work from it.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, cli, runCli, tempDir, sqlite, dbDump, newDatabase, foreignKeyViolations,
    integrityCheck, CLOCK,
} from './harness.mjs';

const ARGS = ['--scale', 'tiny', '--seed', '5', '--clock', CLOCK];
const one = (db, sql) => Object.values(sqlite(db, sql)[0])[0];

describe('seed --scale', () => {
    let srv;
    let dir;
    let out;
    before(async () => {
        srv = await startServer({ roles: ['supervisor'] });
        out = cli(['seed', '--db', srv.dbPath, ...ARGS]).stdout;
        dir = tempDir();
    });
    after(async () => {
        await srv?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('writes what the tiny plan names, and says so', () => {
        const db = srv.dbPath;
        const counts = Object.fromEntries(sqlite(db, `SELECT
            (SELECT COUNT(*) FROM person) AS person, (SELECT COUNT(*) FROM incident) AS incident,
            (SELECT COUNT(*) FROM missing_episode) AS missing, (SELECT COUNT(*) FROM referral) AS referral,
            (SELECT COUNT(*) FROM investigation) AS investigation, (SELECT COUNT(*) FROM offender) AS offender,
            (SELECT COUNT(*) FROM custody_record) AS custody,
            (SELECT COUNT(*) FROM police_protection) AS protection`).flatMap((r) => Object.entries(r)));
        assert.deepEqual({ ...counts, protection: undefined, custody: undefined },
            { person: 1000, incident: 1500, missing: 60, referral: 150, investigation: 100, offender: 3,
              protection: undefined, custody: undefined });
        // Cases are skipped only when no event fits (too recent, no child of custody age).
        assert.ok(counts.protection >= 3 && counts.protection <= 5, String(counts.protection));
        assert.ok(counts.custody >= 35 && counts.custody <= 40, String(counts.custody));
        assert.match(out, /seeded the tiny force-scale dataset/);
        assert.match(out, /1000 people/);
        assert.match(out, /1500 incidents/);
        // Children and repeats: a realistic share of incidents involve a child,
        // and some children are in several.
        const childShare = one(db, `SELECT 100.0 * COUNT(DISTINCT incident_id) / (SELECT COUNT(*) FROM incident)
            FROM incident_person WHERE is_child = 1`);
        assert.ok(childShare > 20 && childShare < 50, String(childShare));
        assert.ok(one(db, `SELECT COUNT(*) FROM (SELECT person_id FROM incident_person WHERE is_child = 1
            GROUP BY person_id HAVING COUNT(*) >= 3) AS repeats`) > 0);
        assert.ok(one(db, `SELECT COUNT(*) FROM task WHERE status = 'open'`) > 0);
    });

    test('every foreign key resolves, the file is sound and the audit chain verifies', () => {
        assert.deepEqual(foreignKeyViolations(srv.dbPath), []);
        assert.equal(integrityCheck(srv.dbPath), 'ok');
        assert.match(cli(['audit', 'verify', '--db', srv.dbPath]).stdout, /intact/);
        assert.ok(one(srv.dbPath, 'SELECT COUNT(*) FROM audit_log') > 2000);
    });

    test("the areas' rules hold in the data", () => {
        const db = srv.dbPath;
        // A designated officer is never the initiating officer.
        assert.equal(one(db, `SELECT COUNT(*) FROM police_protection
            WHERE designated_officer_id = initiating_officer_id`), 0);
        // Police protection ends within its 72 hours.
        assert.equal(one(db, `SELECT COUNT(*) FROM police_protection WHERE released_at > expires_at`), 0);
        // A child is a child on the day of the incident; custody children are 10 to 17.
        // (The nth birthday as text, "YYYY-MM-DD", compared with the day.)
        const birthday = (n) => `(CAST(substr(p.dob, 1, 4) AS INTEGER) + ${n}) || substr(p.dob, 5, 6)`;
        assert.equal(one(db, `SELECT COUNT(*) FROM incident_person ip JOIN incident i ON i.id = ip.incident_id
            JOIN person p ON p.id = ip.person_id WHERE ip.is_child = 1
            AND ${birthday(18)} <= substr(i.received_at, 1, 10)`), 0);
        assert.equal(one(db, `SELECT COUNT(*) FROM custody_record c JOIN person p ON p.id = c.person_id
            WHERE ${birthday(10)} > substr(c.arrived_at, 1, 10) OR ${birthday(18)} <= substr(c.arrived_at, 1, 10)`), 0);
        // A closed record holds no open task; every task names a rule of its record type.
        assert.equal(one(db, `SELECT COUNT(*) FROM task t JOIN incident i ON i.id = t.record_id
            WHERE t.record_type = 'incident' AND t.status = 'open' AND i.status = 'closed'`), 0);
        const areas = ['incident', 'missing', 'referral', 'investigation', 'protection', 'offender', 'custody'];
        for (const { rule } of sqlite(db, 'SELECT DISTINCT rule FROM task'))
            assert.ok(areas.includes(rule.slice(0, rule.indexOf('.'))), rule);
        // Every incident's references run in time order within each year.
        assert.equal(one(db, `SELECT COUNT(*) FROM incident a JOIN incident b ON b.id = a.id + 1
            WHERE b.received_at < a.received_at`), 0);
    });

    test('the same seed and clock give the same data; another seed does not', () => {
        const tables = ['person', 'incident', 'incident_person', 'missing_episode', 'referral',
            'investigation', 'police_protection', 'offender', 'custody_record', 'task', 'audit_log'];
        const dump = (name, seed) => {
            const db = newDatabase(dir, `${name}.db`);
            cli(['init', '--db', db]);
            cli(['seed', '--db', db, '--scale', 'tiny', '--seed', seed, '--clock', CLOCK]);
            return dbDump(db, tables);
        };
        const a = dump('a', '5');
        assert.match(a, /INSERT INTO (public\.)?"?incident"? /);
        assert.equal(dump('b', '5'), a);
        assert.notEqual(dump('c', '6'), a);
    });

    test('the server answers a misspelt search, a person record and a busy supervisor\'s My work', async () => {
        const [{ family_name: name }] = sqlite(srv.dbPath, `SELECT family_name FROM person
            GROUP BY family_name ORDER BY COUNT(*) DESC, family_name LIMIT 1`);
        const misspelt = name.slice(0, -2) + name.slice(-1) + name.slice(-2, -1); // last two swapped
        const found = await srv.api('GET', `/api/people?q=${encodeURIComponent(misspelt)}`);
        assert.equal(found.status, 200, found.text);
        assert.ok(JSON.stringify(found.json).includes(`"family_name":"${name}"`), `${misspelt}: ${found.text.slice(0, 300)}`);
        const person = await srv.api('GET', '/api/people/1');
        assert.equal(person.status, 200, person.text);
        // The demo supervisor of "Demo team", signed in with the demo password.
        const signIn = await srv.api('POST', '/api/session', { headers: { Authorization: null },
            body: { username: 'supervisor', password: 'safeguard-demo-2026' } });
        assert.equal(signIn.status, 201, signIn.text);
        const cookie = signIn.headers.get('set-cookie').split(';')[0];
        const work = await srv.api('GET', '/api/work', { headers: { cookie, Authorization: null } });
        assert.equal(work.status, 200, work.text);
        assert.ok(work.json.tasks.length > 0, work.text.slice(0, 300));
    });

    test('refuses a database that already holds records, and an unknown scale', () => {
        const again = runCli(['seed', '--db', srv.dbPath, ...ARGS]);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /needs a new, empty database/);
        const bad = runCli(['seed', '--db', join(dir, 'x.db'), '--scale', 'huge']);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--scale must be tiny, small, medium or large, not 'huge'/);
        const mixed = runCli(['seed', '--db', join(dir, 'y.db'), '--scale', 'tiny', '--people', '5']);
        assert.equal(mixed.status, 2);
        assert.match(mixed.stderr, /--scale sets every count itself/);
    });
});
