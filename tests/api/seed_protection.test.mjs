// seed_protection.test.mjs — `safeguard seed --police-protection N`: demo
// police protection cases for synthetic children at every point on the
// 72-hour clock, acted out through the domain by the demo officers, that obey
// the rules of the area (designated officer never the one who used the
// power, a police station only with a reason, released within 72 hours),
// feed the recommendation 6 measures, and are the same for the same clock.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, cli, runCli, sqlite, makeUser, tempDir, dbDump, newDatabase, CLOCK,
} from './harness.mjs';

const SEED_ARGS = ['--people', '0', '--users', '--police-protection', '12', '--clock', CLOCK];
const TABLES = ['police_protection', 'protection_event', 'protection_referral', 'protection_decision',
    'voice_of_child', 'thrive'];
const NOW = Date.parse(CLOCK);
const HOUR = 3600 * 1000;

describe('seed --police-protection', () => {
    let srv, dir;
    const cases = [];
    before(async () => {
        srv = await startServer({ roles: ['supervisor'] });
        cli(['seed', '--db', srv.dbPath, ...SEED_ARGS]);
        dir = tempDir();
        const list = await srv.api('GET', '/api/police-protection?status=all');
        assert.equal(list.status, 200, list.text);
        for (const c of list.json.cases) {
            const g = await srv.api('GET', `/api/police-protection/${c.id}`);
            assert.equal(g.status, 200, g.text);
            cases.push(g.json);
        }
    });
    after(async () => {
        await srv?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('twelve cases for synthetic children, acted out by two different officers, within the rules', () => {
        assert.equal(cases.length, 12);
        const active = cases.filter((c) => c.status === 'in_protection');
        const released = cases.filter((c) => c.status === 'released');
        assert.deepEqual([active.length, released.length], [6, 6]);
        for (const c of cases) {
            assert.match(c.person.family_name, /^[A-Z][a-z]+$/, 'a synthetic child, named');
            assert.ok(c.person.age_at_the_time < 18, `${c.reference}: a child`);
            assert.notEqual(c.designated_officer_id, c.initiating_officer_id, `${c.reference}: designated = initiating`);
            assert.equal(c.expires_at, new Date(Date.parse(c.initiated_at) + 72 * HOUR).toISOString().replace('.000', ''));
            assert.ok(Date.parse(c.initiated_at) <= NOW, `${c.reference} begins in the past`);
            if (c.place_kind === 'police_station') assert.ok(c.place_reason, `${c.reference}: a police station without a reason`);
            assert.equal(c.timeline[0].kind, 'initiated');
            for (const e of c.timeline) assert.ok(Date.parse(e.at) >= Date.parse(c.initiated_at) && Date.parse(e.at) <= NOW, `${c.reference}: ${e.kind} at ${e.at}`);
        }
        for (const c of released) assert.equal(c.clock.released_within_limit, true, `${c.reference} released within 72 h`);
        // Nothing in the database breaks the rules either.
        assert.deepEqual(sqlite(srv.dbPath, `SELECT id FROM police_protection WHERE designated_officer_id = initiating_officer_id
            OR (place_kind = 'police_station' AND (place_reason IS NULL OR place_reason = ''))`), []);
    });

    test('active cases at various points on the clock: not designated, a notification overdue, near 72 hours, an EPO', () => {
        const active = cases.filter((c) => c.status === 'in_protection');
        const overdue = (c, rule) => c.tasks.some((t) => t.rule === rule && Date.parse(t.due_at) < NOW);
        assert.ok(active.some((c) => c.designated_officer_id === null && c.tasks.some((t) => t.rule === 'protection.designate')),
            'one not yet designated');
        assert.ok(active.some((c) => overdue(c, 'protection.inform_parents')), 'one with an overdue notification');
        const near = active.filter((c) => c.clock.remaining_minutes > 0 && c.clock.remaining_minutes <= 6 * 60);
        assert.equal(near.length, 1, 'one near 72 hours');
        assert.ok(overdue(near[0], 'protection.release_or_epo') && near[0].tasks.some((t) => t.rule === 'protection.expiry'));
        assert.ok(active.some((c) => c.epo_sought && c.decision === 'epo_applied'), 'one with an EPO applied for');
        assert.ok(active.some((c) => c.designated_officer_id && !c.inquiry_at && c.tasks.some((t) => t.rule === 'protection.inquiry')),
            'one awaiting the inquiry');
    });

    test('released cases: a police station with its reason, an EPO, referrals drafted', () => {
        const released = cases.filter((c) => c.status === 'released');
        const station = released.filter((c) => c.place_kind === 'police_station');
        assert.equal(station.length, 1);
        assert.match(station[0].place_reason, /\w/);
        assert.ok(station[0].timeline.some((e) => e.kind === 'placed' && /Why a police station/.test(e.text)));
        assert.ok(released.some((c) => c.epo_sought && /emergency protection order/.test(c.released_to)));
        const drafted = cases.flatMap((c) => c.referrals);
        assert.ok(drafted.length >= 3, JSON.stringify(drafted));
        assert.ok(drafted.every((r) => r.status === 'draft' && r.sent_at === null));
    });

    test('incidents: one child at immediate risk awaits the supervisor\'s decision; the case at an incident gave the child\'s voice', async () => {
        // A supervisor of the demo officers' team sees the task in My work.
        const tok = makeUser(srv.dbPath, 'pp-demo-sup', ['supervisor'], { team: 'Demo team', area: 'North' });
        const work = (await srv.api('GET', '/api/work', { headers: { Authorization: `Bearer ${tok}` } })).json.tasks;
        const waiting = work.filter((t) => t.rule === 'incident.protection_decision');
        assert.equal(waiting.length, 1, JSON.stringify(waiting));
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM protection_decision')[0].n, 1);
        const atIncident = cases.find((c) => c.incident_id);
        assert.ok(atIncident);
        const inc = (await srv.api('GET', `/api/incidents/${atIncident.incident_id}`)).json;
        assert.equal(inc.tasks.some((t) => t.rule === 'incident.protection_decision'), false, 'the case answers it');
        const child = inc.children.find((c) => c.person_id === atIncident.person_id);
        assert.equal(child.voice.words, atIncident.notifications.child.views);
        assert.deepEqual(inc.police_protection.map((p) => p.id), [atIncident.id]);
    });

    test('the recommendation 6 measures compute over the seeded cases', async () => {
        const r = await srv.api('GET', `/api/assurance?from=2026-04-01&to=${CLOCK.slice(0, 10)}`);
        assert.equal(r.status, 200, r.text);
        const r6 = r.json.recommendations.find((x) => x.number === 6);
        const m = (k) => { const x = r6.measures.find((y) => y.key === k); assert.ok(x, k); return [x.numerator, x.denominator]; };
        // Notified: all in time but two just begun (not yet due) and two late.
        assert.deepEqual(m('r6_notified_on_time'), [8, 10]);
        assert.deepEqual(m('r6_within_72h'), [6, 6], 'every release within 72 hours; none past');
        assert.deepEqual(m('r6_police_station'), [1, 12]);
        assert.deepEqual(m('r6_opportunities_reviewed'), [2, 2],
            'one decided on time, one answered by the case at it; the one waiting is not yet due');
    });

    test('the same clock gives identical cases; a second run adds nothing; a bad count is refused', () => {
        const dump = (name) => {
            const db = newDatabase(dir, `${name}.db`);
            cli(['init', '--db', db]);
            cli(['seed', '--db', db, ...SEED_ARGS]);
            return [db, dbDump(db, TABLES)];
        };
        const [db, a] = dump('a');
        assert.match(a, /INSERT INTO (public\.)?"?police_protection"? /);
        assert.equal(dump('b')[1], a);
        cli(['seed', '--db', db, ...SEED_ARGS]);
        assert.equal(sqlite(db, 'SELECT COUNT(*) AS n FROM police_protection')[0].n, 12);
        const bad = runCli(['seed', '--db', db, '--people', '0', '--police-protection', 'lots']);
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /--police-protection must be a whole number/);
    });
});
