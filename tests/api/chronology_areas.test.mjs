// chronology_areas.test.mjs — the areas that joined the chronology after it
// was built (custody, offender management, the disclosure scheme): a child
// booked into custody (with their own words), linked to a registered sex
// offender by a household notification, and named in a disclosure scheme
// application gives exactly those entries, newest first; the child is "in
// custody" on the board and in their risk summary; the offender is among the
// child's connections; and a reader without an area's permission sees none
// of it. The clock is a file, so every time is exact.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, describe, before, after, startServer, createPerson, makeUser, tempDir, sqlite } from './harness.mjs';

const T0 = Date.parse('2026-07-01T09:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('chronology: custody, offender management and the disclosure scheme', () => {
    let srv, clockDir, clockFile;
    const tok = {};
    const fx = {};
    const at = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: { Authorization: `Bearer ${tok[who]}` } });
    const ok = async (p, status = 200) => {
        const r = await p;
        assert.equal(r.status, status, r.text);
        return r.json;
    };

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        at(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        const mk = (name, roles, opts) => { tok[name] = makeUser(srv.dbPath, `ca${name}`, roles, opts); };
        mk('sup', ['supervisor'], { team: 'East' });
        mk('sgt', ['custody_sergeant'], { team: 'Custody' });
        mk('om', ['offender_manager'], { team: 'MOSOVO', area: 'East' });
        mk('inv', ['investigator'], { team: 'CAIT' });
        const om = sqlite(srv.dbPath, "SELECT id FROM app_user WHERE username = 'caom'")[0].id;

        fx.child = await createPerson(srv, { given_name: 'Tamsin', family_name: 'Ledger', dob: '2011-02-03', confirmed_new: true });
        fx.rso = await createPerson(srv, { given_name: 'Victor', family_name: 'Ledger', dob: '1975-06-07', confirmed_new: true });
        // Day 0: registered; day 2: notifies that he lives with the child.
        fx.off = await ok(api('om', 'POST', '/api/offenders', {
            person_id: fx.rso.id, registered_on: '2026-07-01', offender_manager_id: om, area: 'East',
            convictions: [{ offence: 'Exposure', convicted_on: '2026-05-01', disposal: 'caution' }],
        }), 201);
        at(T0 + 2 * DAY);
        await ok(api('om', 'POST', `/api/offenders/${fx.off.id}/notifications`, {
            kind: 'household_child', detail: 'Moved in with his partner and her daughter', event_on: '2026-07-03',
            child_person_id: fx.child.id,
        }));
        // Day 5: the child's mother applies under the disclosure scheme.
        at(T0 + 5 * DAY);
        fx.csod = await ok(api('om', 'POST', '/api/disclosure', {
            applicant_name: 'Mother Ledger', applicant_contact: '07700 900123', applicant_relationship: 'parent',
            children: [{ person_id: fx.child.id }], subject_person_id: fx.rso.id,
            subject_relationship: 'partner_of_parent', received_via: 'phone',
        }), 201);
        // Day 9: the child is booked into custody and speaks to the custody sergeant.
        at(T0 + 9 * DAY);
        fx.cu = await ok(api('sgt', 'POST', '/api/custody', {
            person_id: fx.child.id, suite: 'Eastgate custody suite', grounds: 'Suspected criminal damage',
            local_authority: 'Eastshire County Council', apparent_age: 15,
        }), 201);
        at(T0 + 9 * DAY + 30 * MIN);
        await ok(api('sgt', 'POST', `/api/custody/${fx.cu.id}/voice`, {
            seen: true, seen_alone: false, spoken_to: true, words: 'I only went out because I did not want to be at home',
        }));
        at(T0 + 9 * DAY + HOUR);
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    const chron = (who, q = '') => api(who, 'GET', `/api/people/${fx.child.id}/chronology${q}`);

    test('each area\'s entries, newest first, with links, risk and the child\'s own words flagged', async () => {
        const c = await ok(chron('sup'));
        const mine = c.entries.filter((e) => ['custody', 'offenders', 'disclosure'].includes(e.area));
        assert.deepEqual(mine.map((e) => [e.at, e.area, e.kind, e.risk, e.reference, e.link]), [
            ['2026-07-10T09:30:00Z', 'custody', 'voice', null, fx.cu.reference, `/custody/${fx.cu.id}`],
            ['2026-07-10T09:00:00Z', 'custody', 'booked_in', null, fx.cu.reference, `/custody/${fx.cu.id}`],
            ['2026-07-06T09:00:00Z', 'disclosure', 'received', null, fx.csod.reference, `/disclosure/${fx.csod.id}`],
            ['2026-07-03T09:00:00Z', 'offenders', 'offender_link', null, fx.off.reference, `/offenders/${fx.off.id}`],
        ]);
        assert.equal(mine[1].summary, 'Booked in at Eastgate custody suite. Grounds: Suspected criminal damage. Not placed in a cell.');
        const voice = mine.find((e) => e.kind === 'voice');
        assert.deepEqual([voice.voice, voice.words, voice.summary],
            [true, 'I only went out because I did not want to be at home', 'In custody: seen and spoken to']);
        assert.equal(mine.find((e) => e.area === 'offenders').summary,
            'Linked to a registered sex offender: notified as living in the household');
        // The area filter keeps one area only.
        const only = await ok(chron('sup', '?area=disclosure'));
        assert.deepEqual(only.entries.map((e) => e.kind), ['received']);
    });

    test('in custody now: on the board and in the child\'s risk summary; the offender among the connections', async () => {
        const board = await ok(api('sup', 'GET', '/api/children-at-risk'));
        const rows = JSON.stringify(board);
        assert.ok(rows.includes(fx.cu.reference), 'the custody record is on the board');
        const { summary, connections } = await ok(chron('sup'));
        assert.deepEqual(summary.now.map((s) => [s.state, s.reference, s.since, s.time_in_state]),
            [['custody', fx.cu.reference, '2026-07-10T09:00:00Z', '1 h 0 min']]);
        const rso = connections.find((p) => p.person_id === fx.rso.id);
        assert.ok(rso, 'the offender is a connection');
        assert.ok(rso.links.some((l) => l.how === 'registered sex offender, notified as living in the household'
            && l.link === `/offenders/${fx.off.id}`));
    });

    test('a reader without an area\'s permission sees none of that area', async () => {
        // An investigator holds chronology.read, but not custody, offender links or the board's custody.
        const c = await ok(chron('inv'));
        assert.deepEqual(c.entries.filter((e) => ['custody', 'offenders'].includes(e.area)), []);
        assert.ok(!(c.connections ?? []).some((p) => p.links.some((l) => l.how.startsWith('registered sex offender'))));
        // They may read disclosure applications (investigators hold disclosure.read).
        assert.ok(c.entries.some((e) => e.area === 'disclosure'));
    });
});
