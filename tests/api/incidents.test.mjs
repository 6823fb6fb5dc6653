// incidents.test.mjs — the control room (DOMAIN.md R1, R2) through the API:
// the risk-to-grade floor, below-floor grading and its authorisation,
// scheduling a child incident, repeat and escalating incidents, re-reviews,
// the voice of the child, closure, bad input, audit and the measures.
//
// Time-dependent rules run against a server whose clock is a file
// (--clock file:PATH): rewriting the file moves the server's time. Time only
// ever moves forward in this file, and each test uses its own people and
// locations so the 28-day windows of different tests never meet.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;
const DAY = 24 * 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const THRIVE = {
    threat: 'Caller reports shouting and a threat to kill',
    harm: 'Risk of physical harm to the mother and children',
    risk: 'High: history of violence at the address',
    investigation: 'Offences of common assault and threats likely',
    vulnerability: 'Two children under 12 in the house',
    engagement: 'Mother engaging; children not yet spoken to',
};
const FACTORS = ['child_immediate_risk', 'domestic_abuse_child_present', 'child_reported_in_danger',
    'child_victim_violence_or_sexual'];

describe('control room: incidents, THRIVE, grading, voice of the child', () => {
    let srv;
    let clockDir;
    let clockFile;
    let now = T0;
    const tok = {};
    let personSeq = 0;
    let placeSeq = 0;

    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const advance = (ms) => setClock(now + ms);
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });

    /** A new child (10 years old) or adult, unique to the caller. */
    async function person(kind = 'child', names = {}) {
        personSeq++;
        const dob = kind === 'child' ? '2016-01-15' : '1985-05-20';
        return createPerson(srv, {
            given_name: names.given_name ?? `Kid${String.fromCharCode(65 + (personSeq % 26))}${personSeq}`,
            family_name: names.family_name ?? `Testfamily${personSeq}`,
            dob, confirmed_new: true,
        });
    }

    /** Creates an incident as the call handler; persons [{person, role}]. */
    async function incident(persons = [], extra = {}) {
        placeSeq++;
        const r = await api('ch', 'POST', '/api/incidents', {
            location: `${placeSeq} Test Street`,
            nature: 'domestic_abuse',
            caller_name: 'A Caller',
            persons: persons.map((p) => ({ person_id: p.person.id, role: p.role })),
            ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }

    const get = async (id, who = 'ch') => {
        const r = await api(who, 'GET', `/api/incidents/${id}`);
        assert.equal(r.status, 200, r.text);
        return r.json;
    };
    const work = async (who) => {
        const r = await api(who, 'GET', '/api/work');
        assert.equal(r.status, 200, r.text);
        return r.json.tasks;
    };
    const openTask = (inc, rule) => inc.tasks.find((t) => t.rule === rule);

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}` });
        tok.ch = makeUser(srv.dbPath, 'cath', ['call_handler'], { team: 'North' });
        tok.ro = makeUser(srv.dbPath, 'rory', ['response_officer'], { team: 'North' });
        tok.sup = makeUser(srv.dbPath, 'sam', ['supervisor'], { team: 'North' });
        tok.inv = makeUser(srv.dbPath, 'ivan', ['investigator'], { team: 'North' });
        tok.board = makeUser(srv.dbPath, 'bea', ['assurance_board']);
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('create: a reference, persons with is_child on the incident date, no history, an audit entry', async () => {
        const child = await person('child');
        const adult = await person('adult');
        const r = await api('ch', 'POST', '/api/incidents', {
            location: '1 Create Road', postcode: 'ls1 4ab', nature: 'domestic_abuse', caller_phone: '07700 900123',
            persons: [{ person_id: child.id, role: 'child_present' }, { person_id: adult.id, role: 'suspect' }],
        });
        assert.equal(r.status, 201, r.text);
        const inc = r.json;
        assert.match(inc.reference, /^INC-2026-\d{6}$/);
        assert.equal(r.headers.get('location'), `/api/incidents/${inc.id}`);
        assert.equal(inc.status, 'open');
        assert.equal(inc.grade, null);
        assert.equal(inc.received_at, iso(now));
        assert.equal(inc.involves_child, true);
        assert.equal(inc.team, 'North');
        assert.deepEqual(inc.persons.map((p) => [p.person_id, p.role, p.is_child]),
            [[child.id, 'child_present', true], [adult.id, 'suspect', false]]);
        assert.deepEqual(inc.children.map((c) => [c.person_id, c.voice]), [[child.id, null]]);
        assert.deepEqual(inc.history.same_child, []);
        assert.deepEqual(inc.history.same_address, []);
        assert.equal(inc.history.window_days, 28);
        assert.ok(inc.log.length >= 3, 'creation and both links are logged');
        const audit = sqlite(srv.dbPath,
            `SELECT action, route FROM audit_log WHERE record_type = 'incident' AND record_id = ${inc.id}`);
        assert.deepEqual(audit.map((a) => a.action), ['create']);
        // The list: open first, searchable by reference.
        const list = await api('inv', 'GET', `/api/incidents?q=${inc.reference.slice(-6)}`);
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.json.incidents.map((i) => i.id), [inc.id]);
        // Typed in lower case, the reference still finds it (on either database).
        const lower = await api('inv', 'GET', `/api/incidents?q=${inc.reference.toLowerCase()}`);
        assert.deepEqual(lower.json.incidents.map((i) => i.id), [inc.id], lower.text);
        assertError(await api('inv', 'GET', '/api/incidents?status=pending'), 422, 'invalid_enum', 'status');
        assertError(await api('inv', 'GET', '/api/incidents?colour=red'), 422, 'unknown_query_parameter');
        // Reading is audited; an investigator may read but not write.
        await get(inc.id, 'inv');
        assertError(await api('inv', 'POST', `/api/incidents/${inc.id}/log`, { entry: 'x' }), 403, 'forbidden');
        assert.ok(sqlite(srv.dbPath,
            `SELECT 1 FROM audit_log WHERE record_type = 'incident' AND record_id = ${inc.id} AND action = 'read'`).length);
    });

    test('the grade floor, factor by factor: each THRIVE risk factor sets the grade the risk supports', async () => {
        const expected = {
            child_immediate_risk: 'emergency',
            domestic_abuse_child_present: 'priority',
            child_reported_in_danger: 'priority',
            child_victim_violence_or_sexual: 'priority',
        };
        for (const f of FACTORS) {
            const inc = await incident([{ person: await person('child'), role: 'victim' }]);
            const r = await api('ch', 'POST', `/api/incidents/${inc.id}/thrive`, { ...THRIVE, [f]: true });
            assert.equal(r.status, 200, r.text);
            assert.equal(r.json.risk_grade, expected[f], f);
            assert.deepEqual(r.json.thrive.risk_factors.map((x) => x.factor), [f]);
        }
        // No factor: no floor. Immediate risk wins over any lesser factor.
        const none = await incident([{ person: await person('child'), role: 'witness' }]);
        const r0 = await api('ch', 'POST', `/api/incidents/${none.id}/thrive`, THRIVE);
        assert.equal(r0.json.risk_grade, null);
        const all = await incident([{ person: await person('child'), role: 'victim' }]);
        const body = { ...THRIVE };
        for (const f of FACTORS) body[f] = true;
        const r1 = await api('ch', 'POST', `/api/incidents/${all.id}/thrive`, body);
        assert.equal(r1.json.risk_grade, 'emergency');
        // At or above the floor: nothing to authorise.
        const g = await api('ch', 'POST', `/api/incidents/${all.id}/grade`, { grade: 'emergency' });
        assert.equal(g.status, 200, g.text);
        assert.equal(g.json.below_risk_grade, false);
        assert.equal(openTask(g.json, 'incident.authorise_grade'), undefined);
        assert.ok(openTask(g.json, 'incident.attend_emergency'), 'an emergency attendance task');
        assert.equal(g.json.attendance.target_minutes, 15);
    });

    test('below the floor: a reason is required, a supervisor authorises, a call handler cannot', async () => {
        const inc = await incident([{ person: await person('child'), role: 'victim' }]);
        await api('ch', 'POST', `/api/incidents/${inc.id}/thrive`, { ...THRIVE, child_immediate_risk: true });
        const before = sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM incident_grade_history WHERE incident_id = ${inc.id}`)[0].n;
        const e = assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'priority' }),
            422, 'missing_field', 'grade_reason');
        assert.match(e.message, /emergency/);
        assert.equal((await get(inc.id)).grade, null, 'nothing changed');
        assert.equal(sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM incident_grade_history WHERE incident_id = ${inc.id}`)[0].n, before);

        const g = await api('ch', 'POST', `/api/incidents/${inc.id}/grade`,
            { grade: 'priority', grade_reason: 'Suspect has left; officers nearby' });
        assert.equal(g.status, 200, g.text);
        // The call handler is stopped: the grade the risk supports stays in
        // effect, and theirs waits for a supervisor.
        assert.equal(g.json.grade, 'emergency');
        assert.equal(g.json.grade_requested, 'priority');
        assert.ok(openTask(g.json, 'incident.attend_emergency'), 'attendance is chased at the emergency target');
        assert.equal(g.json.risk_grade, 'emergency');
        assert.equal(g.json.below_risk_grade, true);
        assert.equal(g.json.grade_warning, true);
        assert.equal(g.json.grade_authorised_by_name, null);
        const task = openTask(g.json, 'incident.authorise_grade');
        assert.ok(task, 'an authorise-grade task is open');
        const supTasks = await work('sup');
        assert.ok(supTasks.some((t) => t.rule === 'incident.authorise_grade' && t.record_id === inc.id),
            'the supervisor sees it in My work');

        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/authorise-grade`, { reason: 'fine' }), 403, 'forbidden');
        assertError(await api('sup', 'POST', `/api/incidents/${inc.id}/authorise-grade`, {}), 422, 'missing_field', 'reason');
        const a = await api('sup', 'POST', `/api/incidents/${inc.id}/authorise-grade`,
            { reason: 'Agreed: unit two minutes away, suspect arrested' });
        assert.equal(a.status, 200, a.text);
        assert.equal(a.json.grade_authorised_by_name, 'sam');
        assert.equal(a.json.grade, 'priority', 'authorised: the grade asked for takes effect');
        assert.equal(a.json.grade_requested, null);
        assert.equal(a.json.grade_warning, false);
        assert.equal(openTask(a.json, 'incident.authorise_grade'), undefined, 'the task is closed');
        assert.ok(!(await work('sup')).some((t) => t.rule === 'incident.authorise_grade' && t.record_id === inc.id));
        assert.deepEqual(a.json.grade_history.map((h) => h.event), ['graded', 'authorised']);
        assertError(await api('sup', 'POST', `/api/incidents/${inc.id}/authorise-grade`, { reason: 'again' }),
            409, 'already_authorised');
    });

    test('scheduling a child incident needs a fresh THRIVE, a supervisor rationale, interim risk and a time', async () => {
        const inc = await incident([{ person: await person('child'), role: 'child_present' }]);
        const url = `/api/incidents/${inc.id}/grade`;
        const full = {
            grade: 'scheduled',
            supervisor_rationale: 'Children safe with grandmother; suspect in custody',
            interim_risk: 'Low while the suspect is in custody; grandmother to call 999 if he returns',
            scheduled_for: iso(now + DAY),
        };
        assertError(await api('ch', 'POST', url, full), 422, 'missing_field', 'thrive');
        await api('ch', 'POST', `/api/incidents/${inc.id}/thrive`, THRIVE);
        for (const f of ['supervisor_rationale', 'interim_risk', 'scheduled_for']) {
            const body = { ...full };
            delete body[f];
            assertError(await api('ch', 'POST', url, body), 422, 'missing_field', f);
        }
        assertError(await api('ch', 'POST', url, { ...full, scheduled_for: iso(now - MIN) }), 422, 'invalid_field', 'scheduled_for');
        assert.equal((await get(inc.id)).grade, null, 'refusals changed nothing');
        const ok = await api('ch', 'POST', url, full);
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.json.grade, 'scheduled');
        assert.equal(ok.json.interim_risk, full.interim_risk);
        assert.equal(ok.json.scheduled_for, full.scheduled_for);
        assert.ok(openTask(ok.json, 'incident.rereview_scheduled'), 'scheduled child incidents are re-reviewed');
        // Re-scheduling later needs a new THRIVE: the old one predates the last grading.
        advance(5 * MIN);
        assertError(await api('ch', 'POST', url, { ...full, scheduled_for: iso(now + DAY) }), 422, 'missing_field', 'thrive');
        // One sent with the grade is fresh by definition.
        const inline = await api('ch', 'POST', url, { ...full, scheduled_for: iso(now + DAY), thrive: THRIVE });
        assert.equal(inline.status, 200, inline.text);
        assert.equal(inline.json.thrive_history.length, 2);
        // An adult-only incident may be scheduled with just a time.
        const adultInc = await incident([{ person: await person('adult'), role: 'victim' }]);
        const a = await api('ch', 'POST', `/api/incidents/${adultInc.id}/grade`, { grade: 'scheduled', scheduled_for: iso(now + DAY) });
        assert.equal(a.status, 200, a.text);
    });

    test('re-review: an un-resourced priority child incident is due a re-review 30 minutes after receipt', async () => {
        const inc = await incident([{ person: await person('child'), role: 'child_present' }]);
        const g = await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'priority' });
        assert.equal(g.status, 200, g.text);
        const t = openTask(g.json, 'incident.rereview_priority');
        assert.ok(t, 're-review task open');
        assert.equal(t.due_at, iso(Date.parse(inc.received_at) + 30 * MIN));
        assert.equal(t.overdue, false);
        assert.ok(openTask(g.json, 'incident.attend_priority'), 'priority attendance task');

        advance(31 * MIN);
        const mine = await work('ch');
        const i = mine.findIndex((x) => x.rule === 'incident.rereview_priority' && x.record_id === inc.id);
        assert.ok(i >= 0, 'the call handler sees the re-review');
        assert.equal(mine[i].overdue, true);
        assert.equal(mine[i].overdue_minutes, 1);
        assert.equal(mine[0].overdue, true, 'overdue tasks are listed first');
        const firstDue = mine.findIndex((x) => !x.overdue);
        assert.ok(firstDue === -1 || i < firstDue, 'listed before anything merely due');
        const sup = (await work('sup')).find((x) => x.rule === 'incident.rereview_priority' && x.record_id === inc.id);
        assert.ok(sup, 'the supervisor sees the overdue re-review');
        assert.equal(sup.why, 'overdue in your team');
        assert.equal(sup.overdue, true);

        const r = await api('ch', 'POST', `/api/incidents/${inc.id}/review`, { note: 'No units free; caller re-contacted, safe' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.last_reviewed_at, iso(now));
        const next = openTask(r.json, 'incident.rereview_priority');
        assert.ok(next, 'the next re-review is open');
        assert.equal(next.due_at, iso(now + 30 * MIN));
        assert.equal(next.overdue, false);
        assert.ok(!(await work('ch')).some((x) => x.rule === 'incident.rereview_priority' && x.record_id === inc.id && x.overdue));

        // Attendance ends re-reviews and is measured against the target.
        const at = await api('ro', 'POST', `/api/incidents/${inc.id}/attend`, {});
        assert.equal(at.status, 200, at.text);
        assert.equal(at.json.status, 'attended');
        assert.equal(at.json.officer_name, 'rory');
        assert.equal(at.json.attendance.within_target, true);
        assert.equal(at.json.attendance.minutes_taken, 31);
        assert.equal(openTask(at.json, 'incident.rereview_priority'), undefined);
        assert.equal(openTask(at.json, 'incident.attend_priority'), undefined);
        const voice = openTask(at.json, 'incident.voice_of_child');
        assert.ok(voice, 'the attending officer owes the voice of the child');
        assert.ok((await work('ro')).some((x) => x.rule === 'incident.voice_of_child' && x.record_id === inc.id && x.why === 'yours'));
        assertError(await api('ro', 'POST', `/api/incidents/${inc.id}/attend`, {}), 409, 'already_attended');
    });

    test('escalation: the third incident for a child within 28 days requires re-assessment', async () => {
        const child = await person('child');
        const adult = await person('adult');
        const first = await incident([{ person: child, role: 'victim' }, { person: adult, role: 'suspect' }]);
        assert.equal(first.reassessment_required, false);
        advance(2 * DAY);
        const second = await incident([{ person: child, role: 'victim' }]);
        assert.equal(second.reassessment_required, false);
        assert.deepEqual(second.history.same_child.map((h) => h.reference), [first.reference]);
        assert.deepEqual(Object.keys(second.history.same_child[0]).sort(),
            ['grade', 'id', 'nature', 'person_id', 'person_name', 'received_at', 'reference']);
        advance(2 * DAY);
        // Linked later: the check runs when a person is linked, too.
        const third = await incident([]);
        assert.equal(third.reassessment_required, false);
        const l = await api('ch', 'POST', `/api/incidents/${third.id}/persons`, { person_id: child.id, role: 'child_present' });
        assert.equal(l.status, 200, l.text);
        assert.equal(l.json.reassessment_required, true);
        assert.match(l.json.escalation_reason, /3 incidents in 28 days/);
        assert.deepEqual(l.json.history.same_child.map((h) => h.reference), [second.reference, first.reference]);
        assert.ok(openTask(l.json, 'incident.reassess'), 'a re-assessment task');
        assertError(await api('ch', 'POST', `/api/incidents/${third.id}/persons`, { person_id: child.id, role: 'child_present' }),
            409, 'already_linked');
        // Same adult: history for the adult.
        const l2 = await api('ch', 'POST', `/api/incidents/${third.id}/persons`, { person_id: adult.id, role: 'suspect' });
        assert.deepEqual(l2.json.history.same_adults.map((h) => h.reference), [first.reference]);
        // A new THRIVE answers the re-assessment.
        const t = await api('ch', 'POST', `/api/incidents/${third.id}/thrive`, THRIVE);
        assert.equal(t.json.reassessment_required, false);
        assert.equal(openTask(t.json, 'incident.reassess'), undefined);
    });

    test('escalation: the 28-day window runs on the injected clock; the same address counts too', async () => {
        const child = await person('child');
        const a = await incident([{ person: child, role: 'victim' }]);
        advance(29 * DAY);
        const b = await incident([{ person: child, role: 'victim' }]);
        assert.deepEqual(b.history.same_child, [], 'the first is outside the window');
        advance(DAY);
        const c = await incident([{ person: child, role: 'victim' }]);
        assert.equal(c.reassessment_required, false, 'only two within 28 days');
        assert.deepEqual(c.history.same_child.map((h) => h.id), [b.id]);
        assert.ok(a.id < b.id);
        // The address: location (case and spacing aside) and postcode.
        const at = (loc, pc) => api('ch', 'POST', '/api/incidents', { location: loc, postcode: pc, nature: 'antisocial' });
        const x1 = await at('Flat 3, 9 Canal Wharf', 'LS11 5QR');
        assert.equal(x1.status, 201, x1.text);
        await at('flat 3  9 canal wharf', 'ls115qr');
        const x3 = await at('FLAT 3, 9 CANAL WHARF', 'LS11 5QR');
        assert.equal(x3.json.history.same_address.length, 2);
        assert.equal(x3.json.reassessment_required, true);
        assert.match(x3.json.escalation_reason, /at this address/);
    });

    test('the voice of the child: validation names the field; only a linked child; replaces on save', async () => {
        const child = await person('child', { given_name: 'Amelia', family_name: 'Smith' });
        const adult = await person('adult');
        const inc = await incident([{ person: child, role: 'child_present' }, { person: adult, role: 'victim' }]);
        const url = `/api/incidents/${inc.id}/voice/${child.id}`;
        const cases = [
            [{ seen: true, spoken_to: false }, 'missing_field', 'not_spoken_reason'],
            [{ seen: true, spoken_to: true }, 'missing_field', 'words'],
            [{ seen: true, spoken_to: false, not_spoken_reason: 'other' }, 'missing_field', 'not_spoken_detail'],
            [{ seen: false, seen_alone: true, spoken_to: false, not_spoken_reason: 'asleep' }, 'invalid_field', 'seen_alone'],
            [{ seen: true, spoken_to: false, not_spoken_reason: 'shy' }, 'invalid_field', 'not_spoken_reason'],
            [{ seen: true, spoken_to: true, words: 'hi', behaviour: ['sulky'] }, 'invalid_field', 'behaviour[0]'],
            [{ seen: true, spoken_to: true, words: 'hi', mood: 'ok' }, 'unknown_field', 'mood'],
            [{ spoken_to: true, words: 'hi' }, 'missing_field', 'seen'],
            [{ seen: 'yes', spoken_to: true, words: 'hi' }, 'invalid_type', 'seen'],
        ];
        for (const [body, code, field] of cases)
            assertError(await api('ro', 'PUT', url, body), 422, code, field);
        assert.equal(sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM voice_of_child WHERE incident_id = ${inc.id}`)[0].n, 0);
        assertError(await api('ro', 'PUT', `/api/incidents/${inc.id}/voice/${adult.id}`,
            { seen: true, spoken_to: false, not_spoken_reason: 'refused' }), 422, 'not_a_child', 'person_id');
        assertError(await api('ro', 'PUT', `/api/incidents/${inc.id}/voice/999999`,
            { seen: true, spoken_to: false, not_spoken_reason: 'refused' }), 404, 'not_found');

        const r = await api('ro', 'PUT', url, {
            seen: true, seen_alone: true, spoken_to: true,
            words: 'Daddy shouts and I hide under the bed with my sister',
            views_wishes: 'Wants to stay with mum', behaviour: ['fearful', 'withdrawn'], demeanour: 'Quiet, holding her sister\'s hand',
        });
        assert.equal(r.status, 200, r.text);
        const c = r.json.children.find((x) => x.person_id === child.id);
        assert.equal(c.voice.words, 'Daddy shouts and I hide under the bed with my sister');
        assert.deepEqual(c.voice.behaviour, ['fearful', 'withdrawn']);
        assert.equal(c.voice.recorded_by_name, 'rory');
        assert.equal(r.json.voice_missing, false);
        const again = await api('ro', 'POST', url, { seen: false, spoken_to: false, not_spoken_reason: 'asleep' });
        assert.equal(again.status, 200, again.text);
        const v = (await api('ro', 'GET', url)).json.voice;
        assert.equal(v.spoken_to, false);
        assert.equal(v.words, null);
        assert.equal(v.not_spoken_reason, 'asleep');
        assert.equal(sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM voice_of_child WHERE incident_id = ${inc.id}`)[0].n, 1);
    });

    test('closing: refused ungraded, refused naming each child without a voice, then closed for good', async () => {
        const amelia = await person('child', { given_name: 'Amelia', family_name: 'Smith' });
        // Amelia's recorded date of birth for the message.
        await api('sup', 'PATCH', `/api/people/${amelia.id}`, { version: amelia.version, dob: '2014-03-09' });
        const inc = await incident([{ person: amelia, role: 'victim' }]);
        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/close`, {}), 422, 'not_graded', 'grade');
        await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'priority' });
        const e = assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/close`, {}), 422, 'voice_of_child_missing', 'voice');
        assert.equal(e.message, 'Record the voice of the child for Amelia Smith (born 9 March 2014) before closing');
        assert.equal((await get(inc.id)).status, 'open');
        await api('ro', 'PUT', `/api/incidents/${inc.id}/voice/${amelia.id}`, { seen: true, spoken_to: false, not_spoken_reason: 'refused' });
        const c = await api('ch', 'POST', `/api/incidents/${inc.id}/close`, { note: 'Referred to MASH' });
        assert.equal(c.status, 200, c.text);
        assert.equal(c.json.status, 'closed');
        // Closing ends every control-room task; the duty to refer (domestic
        // abuse with a child present) outlives the incident until it is sent.
        assert.deepEqual(c.json.tasks.map((t) => t.rule), ['incident.referral'],
            'only the mandatory referral outlives the incident');
        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'emergency' }), 409, 'incident_closed');
        // The log still takes late information.
        assert.equal((await api('ch', 'POST', `/api/incidents/${inc.id}/log`, { entry: 'Late call from school' })).status, 200);
    });

    test('bad input is refused with 422 naming the field, and nothing is saved', async () => {
        const count = () => sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM incident')[0].n;
        const n = count();
        const base = { location: '5 Bad Input Lane', nature: 'assault' };
        const cases = [
            [{ ...base, colour: 'red' }, 'unknown_field', 'colour'],
            [{ ...base, nature: 'burglary' }, 'invalid_field', 'nature'],
            [{ nature: 'assault' }, 'missing_field', 'location'],
            [{ ...base, received_at: '2026-06-01 12:00' }, 'invalid_timestamp', 'received_at'],
            [{ ...base, received_at: '2099-01-01T00:00:00Z' }, 'invalid_field', 'received_at'],
            [{ ...base, persons: [{ person_id: 999999, role: 'victim' }] }, 'invalid_field', 'persons[0].person_id'],
            [{ ...base, persons: [{ person_id: 1, role: 'bystander' }] }, 'invalid_field', 'persons[0].role'],
        ];
        for (const [body, code, field] of cases)
            assertError(await api('ch', 'POST', '/api/incidents', body), 422, code, field);
        assert.equal(count(), n, 'no incident was created');
        const inc = await incident([]);
        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'urgent' }), 422, 'invalid_field', 'grade');
        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/thrive`, { ...THRIVE, harm: undefined }), 422, 'missing_field', 'harm');
        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/attend`, { attended_at: iso(now + MIN) }), 422, 'invalid_field', 'attended_at');
        assertError(await api('ch', 'POST', `/api/incidents/${inc.id}/log`, { entry: '' }), 422, 'invalid_field', 'entry');
        assertError(await api('ch', 'POST', '/api/incidents/999999/grade', { grade: 'priority' }), 404, 'not_found');
        const after = await get(inc.id);
        assert.equal(after.version, inc.version, 'the incident did not change');
        assert.equal(after.thrive, null);
    });

    test('every incident write is audited with the incident named', async () => {
        const inc = await incident([{ person: await person('child'), role: 'victim' }]);
        await api('ch', 'POST', `/api/incidents/${inc.id}/log`, { entry: 'Caller rang back' });
        await api('ch', 'POST', `/api/incidents/${inc.id}/thrive`, THRIVE);
        await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'emergency' });
        await api('ch', 'POST', `/api/incidents/${inc.id}/review`, {});
        await api('ro', 'POST', `/api/incidents/${inc.id}/attend`, {});
        const rows = sqlite(srv.dbPath,
            `SELECT action, username FROM audit_log WHERE record_type = 'incident' AND record_id = ${inc.id} ORDER BY id`);
        assert.deepEqual(rows.map((r) => r.action), ['create', 'log', 'thrive', 'grade', 'review', 'attend']);
        assert.equal(rows.at(-1).username, 'rory');
    });

    test('the log, THRIVE history and grade history are append-only in the database', async () => {
        const inc = await incident([]);
        await api('ch', 'POST', `/api/incidents/${inc.id}/thrive`, THRIVE);
        await api('ch', 'POST', `/api/incidents/${inc.id}/grade`, { grade: 'priority' });
        for (const sql of [
            `UPDATE incident_log SET entry = 'changed' WHERE incident_id = ${inc.id}`,
            `DELETE FROM incident_log WHERE incident_id = ${inc.id}`,
            `UPDATE thrive SET harm = 'none' WHERE incident_id = ${inc.id}`,
            `DELETE FROM incident_grade_history WHERE incident_id = ${inc.id}`,
        ]) {
            assert.throws(() => sqlite(srv.dbPath, sql), /append-only/, sql);
        }
        const log = (await get(inc.id)).log;
        assert.ok(log.every((l) => l.entry !== 'changed'));
    });
});

describe('control-room measures (aggregates only)', () => {
    let srv;
    const tok = {};
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: { Authorization: `Bearer ${tok[who]}` } });
    const NOW = Date.parse('2026-06-01T12:00:00Z');

    before(async () => {
        srv = await startServer();
        tok.ch = makeUser(srv.dbPath, 'cath', ['call_handler'], { team: 'North' });
        tok.ro = makeUser(srv.dbPath, 'rory', ['response_officer'], { team: 'North' });
        tok.sup = makeUser(srv.dbPath, 'sam', ['supervisor'], { team: 'North' });
        tok.board = makeUser(srv.dbPath, 'bea', ['assurance_board']);
    });
    after(() => srv?.stop());

    test('counts match the incidents recorded, and name nobody', async () => {
        const a = await createPerson(srv, { given_name: 'Measure', family_name: 'Childa', dob: '2015-02-02', confirmed_new: true });
        const b = await createPerson(srv, { given_name: 'Measure', family_name: 'Childb', dob: '2017-02-02', confirmed_new: true });
        const c = await createPerson(srv, { given_name: 'Measure', family_name: 'Childc', dob: '2018-02-02', confirmed_new: true });
        const adult = await createPerson(srv, { given_name: 'Measure', family_name: 'Adult', dob: '1980-02-02', confirmed_new: true });
        const mk = async (persons, minsAgo) => {
            const r = await api('ch', 'POST', '/api/incidents', {
                location: `${minsAgo} Measure Road`, nature: 'domestic_abuse', received_at: iso(NOW - minsAgo * MIN),
                persons: persons.map(([p, role]) => ({ person_id: p.id, role })),
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const ok = (r) => assert.ok(r.status === 200, r.text);
        // I1: child A, immediate risk, graded priority by a call handler: below and
        // unauthorised, so the emergency floor stays in effect (no re-review: not priority).
        const i1 = await mk([[a, 'victim']], 70);
        ok(await api('ch', 'POST', `/api/incidents/${i1.id}/thrive`, { ...THRIVE, child_immediate_risk: true }));
        ok(await api('ch', 'POST', `/api/incidents/${i1.id}/grade`, { grade: 'priority', grade_reason: 'No units' }));
        // I2: child A, priority floor, resolved without deployment by a supervisor: below, authorised.
        const i2 = await mk([[a, 'child_present']], 30);
        ok(await api('sup', 'POST', `/api/incidents/${i2.id}/thrive`, { ...THRIVE, domestic_abuse_child_present: true }));
        ok(await api('sup', 'POST', `/api/incidents/${i2.id}/grade`, { grade: 'resolved_without_deployment', grade_reason: 'Father left; safety plan agreed' }));
        // I3: children A and B, emergency attended in 8 minutes, both voices recorded.
        const i3 = await mk([[a, 'victim'], [b, 'child_present']], 20);
        ok(await api('ch', 'POST', `/api/incidents/${i3.id}/grade`, { grade: 'emergency' }));
        ok(await api('ro', 'POST', `/api/incidents/${i3.id}/attend`, { attended_at: iso(NOW - 12 * MIN) }));
        for (const c of [a, b])
            ok(await api('ro', 'PUT', `/api/incidents/${i3.id}/voice/${c.id}`, { seen: true, spoken_to: true, words: 'I am OK' }));
        assert.equal((await api('ch', 'GET', `/api/incidents/${i3.id}`)).json.reassessment_required, true, 'A\'s third');
        // I5: child C, no risk factors, priority by a call handler 70 minutes ago, never
        // attended: its 30-minute re-review is overdue.
        const i5 = await mk([[c, 'child_present']], 70);
        ok(await api('ch', 'POST', `/api/incidents/${i5.id}/grade`, { grade: 'priority' }));
        // I4: adult only, priority attended after 70 minutes.
        const i4 = await mk([[adult, 'victim']], 70);
        ok(await api('ch', 'POST', `/api/incidents/${i4.id}/grade`, { grade: 'priority' }));
        ok(await api('ro', 'POST', `/api/incidents/${i4.id}/attend`, {}));

        assertError(await api('ch', 'GET', '/api/measures/control-room'), 403, 'forbidden');
        const r = await api('board', 'GET', '/api/measures/control-room');
        assert.equal(r.status, 200, r.text);
        const m = r.json;
        assert.deepEqual(m.incidents, { total: 5, open: 3 });
        assert.deepEqual(m.voice_of_child, { child_incidents: 4, all_children_voice_recorded: 1, percent: 25 });
        assert.deepEqual(m.below_risk_grade, { total: 2, authorised: 1, not_authorised: 1 });
        assert.deepEqual(m.attendance, [
            { grade: 'emergency', target_minutes: 15, attended: 1, within_target: 1, percent: 100 },
            { grade: 'priority', target_minutes: 60, attended: 1, within_target: 0, percent: 0 },
        ]);
        assert.deepEqual(m.repeat_children, { window_days: 28, two_or_more: 1, three_or_more: 1 });
        assert.equal(m.overdue_rereviews, 1);
        for (const name of ['Measure', 'Childa', 'Adult', 'Road']) assert.ok(!r.text.includes(name), `no '${name}' in measures`);
        assert.equal((await api('sup', 'GET', '/api/measures/control-room')).status, 200);
    });
});
