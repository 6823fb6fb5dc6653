// protection_pages.test.mjs — what the police protection pages read from
// the API (docs/protection-pages.md): every clock of a case with its due and
// done times and state, the list's designated officer, place, time in
// protection and overdue tasks, the record form's data (the child from
// ?person_id, ?incident_id or ?q, the officers who may be designated), and
// the child's cases on their person record for those who may read them
// (left out for people never in protection).
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's time.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-07-01T09:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('police protection: the data the pages show', () => {
    let srv, clockDir, clockFile;
    const tok = {};
    const uid = {};
    const setClock = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: { Authorization: `Bearer ${tok[who]}` } });

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        for (const [name, roles] of [['resp', ['response_officer']], ['sup', ['supervisor']], ['insp', ['inspector']],
            ['inv', ['investigator']], ['off', ['response_officer']]]) {
            tok[name] = makeUser(srv.dbPath, `ppp${name}`, roles, { team: 'East' });
            uid[name] = sqlite(srv.dbPath, `SELECT id FROM app_user WHERE username = 'ppp${name}'`)[0].id;
        }
        sqlite(srv.dbPath, `UPDATE app_user SET disabled = 1 WHERE id = ${uid.off}`);
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('every clock: due from the use of the power, done, late, overdue, not done before release', async () => {
        const c = await createPerson(srv, { given_name: 'Clara', family_name: 'Clockwell', dob: '2018-01-01', confirmed_new: true });
        let r = await api('sup', 'POST', '/api/police-protection', {
            person_id: c.id, power: 'removed', circumstances: 'x', grounds: 'y', place_kind: 'relative', place_detail: 'Aunt',
        });
        assert.equal(r.status, 201, r.text);
        const id = r.json.id;
        const state = (c2) => Object.fromEntries(c2.clocks.map((k) => [k.rule.replace('protection.', ''), k.state]));
        assert.deepEqual(r.json.clocks.map((k) => [k.rule, k.due_at]), [
            ['protection.designate', iso(T0 + HOUR)], ['protection.inform_la', iso(T0 + HOUR)],
            ['protection.inform_parents', iso(T0 + 2 * HOUR)], ['protection.inform_child', iso(T0 + 2 * HOUR)],
            ['protection.inquiry', iso(T0 + 24 * HOUR)], ['protection.release_or_epo', iso(T0 + 66 * HOUR)],
            ['protection.expiry', iso(T0 + 72 * HOUR)],
        ]);
        assert.ok(r.json.clocks.every((k) => k.state === 'due' && k.done_at === null && k.overdue_for === null));
        setClock(T0 + 30 * MIN);
        r = await api('resp', 'POST', `/api/police-protection/${id}/notifications`, { whom: 'la' });
        assert.equal(r.status, 200, r.text);
        setClock(T0 + 90 * MIN);
        r = await api('resp', 'GET', `/api/police-protection/${id}`);
        const la = r.json.clocks.find((k) => k.rule === 'protection.inform_la');
        assert.deepEqual([la.state, la.done_at], ['done', iso(T0 + 30 * MIN)]);
        const dg = r.json.clocks.find((k) => k.rule === 'protection.designate');
        assert.deepEqual([dg.state, dg.overdue_for], ['overdue', '30 min']);
        // The officers who may be designated: active holders of protection.designate.
        // (The harness's own supervisor is one too.)
        const officers = new Map(r.json.officers.map((o) => [o.id, o.used_power]));
        assert.deepEqual([officers.get(uid.sup), officers.get(uid.insp)], [true, false]);
        for (const no of [uid.resp, uid.inv, uid.off]) assert.equal(officers.has(no), false);
        r = await api('resp', 'POST', `/api/police-protection/${id}/designate`, { designated_officer_id: uid.insp });
        assert.equal(state(r.json).designate, 'late');
        // The list: who is designated, the place, the time, what is overdue.
        setClock(T0 + 3 * HOUR);
        const list = (await api('resp', 'GET', '/api/police-protection')).json.cases.find((x) => x.id === id);
        assert.deepEqual([list.designated_officer_name, list.place_kind, list.place_detail, list.in_protection_for, list.remaining],
            ['pppinsp', 'relative', 'Aunt', '3 h 0 min', '2 days 21 h']);
        assert.deepEqual(list.overdue.sort(), ['Inform the parents and those with parental responsibility (or record why not)',
            'Tell the child what is happening and record their views']);
        r = await api('resp', 'POST', `/api/police-protection/${id}/release`, { released_to: 'Aunt' });
        assert.deepEqual(state(r.json), {
            designate: 'late', inform_la: 'done', inform_parents: 'overdue', inform_child: 'overdue',
            inquiry: 'not_done', release_or_epo: 'done', expiry: 'done',
        });
        const rel = (await api('resp', 'GET', '/api/police-protection?status=released')).json.cases.find((x) => x.id === id);
        assert.deepEqual([rel.in_protection_for, rel.remaining], ['3 h 0 min', null]);
    });

    test('the record form: the child from a record, an incident or a search; bad queries refused', async () => {
        const kid = await createPerson(srv, { given_name: 'Fern', family_name: 'Formby', dob: '2017-05-05', confirmed_new: true });
        const dad = await createPerson(srv, { given_name: 'Gus', family_name: 'Formby', dob: '1985-05-05', confirmed_new: true });
        let r = await api('resp', 'GET', '/api/police-protection/new');
        assert.equal(r.status, 200, r.text);
        assert.deepEqual([r.json.powers, r.json.person, r.json.incident, r.json.results], [['removed', 'prevented_removal'], null, null, null]);
        assert.ok(r.json.place_kinds.includes('police_station'));
        const ids = r.json.officers.map((o) => o.id);
        assert.ok(ids.includes(uid.sup) && ids.includes(uid.insp) && !ids.includes(uid.off) && !ids.includes(uid.resp));
        r = await api('resp', 'GET', `/api/police-protection/new?person_id=${kid.id}`);
        assert.deepEqual([r.json.person_id, r.json.person.given_name, r.json.person.is_child], [kid.id, 'Fern', true]);
        const inc = await api('resp', 'POST', '/api/incidents', {
            location: '3 Form Street', nature: 'child_concern',
            persons: [{ person_id: kid.id, role: 'child_present' }, { person_id: dad.id, role: 'subject' }],
        });
        assert.equal(inc.status, 201, inc.text);
        r = await api('resp', 'GET', `/api/police-protection/new?incident_id=${inc.json.id}`);
        assert.deepEqual([r.json.incident_id, r.json.incident.reference], [inc.json.id, inc.json.reference]);
        assert.deepEqual(r.json.incident.children.map((x) => [x.person_id, x.selected]), [[kid.id, true]]);
        r = await api('resp', 'GET', '/api/police-protection/new?q=Formby');
        assert.deepEqual(r.json.results.map((x) => x.id).sort(), [kid.id, dad.id].sort());
        assertError(await api('resp', 'GET', '/api/police-protection/new?person_id=x'), 422, 'invalid_field', 'person_id');
        assertError(await api('resp', 'GET', '/api/police-protection/new?person_id=999999'), 404, 'not_found', 'person_id');
        assertError(await api('resp', 'GET', '/api/police-protection/new?incident_id=999999'), 404, 'not_found', 'incident_id');
        assertError(await api('resp', 'GET', '/api/police-protection/new?status=x'), 422, 'unknown_query_parameter', 'status');
        assertError(await api('inv', 'GET', '/api/police-protection/new'), 403, 'forbidden');
        const audit = sqlite(srv.dbPath, `SELECT action, record_type FROM audit_log WHERE record_type = 'person' AND record_id = ${kid.id} AND route LIKE '%police-protection/new%'`);
        assert.ok(audit.length >= 1, 'the child read for the form is audited');
    });

    test('the person record carries the child\'s cases for those who may read them', async () => {
        const kid = await createPerson(srv, { given_name: 'Hal', family_name: 'Homeward', dob: '2019-09-09', confirmed_new: true });
        const pp = await api('resp', 'POST', '/api/police-protection', { person_id: kid.id, power: 'removed', circumstances: 'x', grounds: 'y' });
        assert.equal(pp.status, 201, pp.text);
        const seen = (await api('resp', 'GET', `/api/people/${kid.id}`)).json.police_protection;
        assert.deepEqual(seen.map((x) => [x.id, x.reference, x.status]), [[pp.json.id, pp.json.reference, 'in_protection']]);
        const inv = await api('inv', 'GET', `/api/people/${kid.id}`);
        assert.equal(inv.status, 200, inv.text);
        assert.equal('police_protection' in inv.json, false);
        // Never in protection: the record reads as it always has.
        const other = await createPerson(srv, { given_name: 'Ida', family_name: 'Homeward', dob: '2019-09-09', confirmed_new: true });
        assert.equal('police_protection' in (await api('resp', 'GET', `/api/people/${other.id}`)).json, false);
    });
});
