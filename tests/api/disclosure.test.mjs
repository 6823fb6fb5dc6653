// disclosure.test.mjs — the Child Sex Offender Disclosure Scheme (CSOD,
// DOMAIN.md R7) through the API: an application with its reference and
// clocks; the stages in order (409 out of order or twice), times never in
// the future nor before the stage before; the 24-hour, 10-working-day and
// 45-day clocks moving with the file clock into "My work" and overdue; an
// immediate risk making a supervisor's one-hour task and an urgent referral
// for the child; nothing disclosed without a signed undertaking; validation
// naming the field with nothing saved; 403 for roles without the
// permission; the registered sex offender flag read at the checks; every
// read and write audited; and the R7 measures with known answers.
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time. It only moves forward; each test uses its own people.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-07-01T09:00:00Z'); // a Wednesday (BST)
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('disclosure scheme: applications through their stages, each on its clock', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    const uid = {};
    let seq = 0;
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const advance = (ms) => setClock(now + ms);
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    const clock = (a, stage) => a.clocks.find((c) => c.stage === stage);
    const rules = (a) => a.tasks.map((t) => t.rule).sort();
    const work = async (who) => (await api(who, 'GET', '/api/work')).json.tasks;

    async function people(extra = {}) {
        seq++;
        const child = await createPerson(srv, {
            given_name: `Kit${seq}`, family_name: `Lantern${seq}`, dob: '2017-03-04', confirmed_new: true,
        });
        const subject = await createPerson(srv, {
            given_name: `Silas${seq}`, family_name: `Marlow${seq}`, dob: '1979-08-09', confirmed_new: true, ...extra,
        });
        return { child, subject };
    }
    async function apply(extra = {}, who = 'om') {
        const { child, subject } = await people();
        const r = await api(who, 'POST', '/api/disclosure', {
            applicant_name: 'Jo Applicant', applicant_contact: '07700 900001', applicant_relationship: 'parent',
            children: [{ person_id: child.id }], subject_person_id: subject.id,
            subject_relationship: 'partner_of_parent', received_via: 'phone', ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    const post = async (who, id, what, body, status = 200) => {
        const r = await api(who, 'POST', `/api/disclosure/${id}/${what}`, body);
        assert.equal(r.status, status, r.text);
        return r.json;
    };
    const contact = (id, extra = {}) => post('om', id, 'initial-contact', { note: 'Phoned the applicant', immediate_risk: false, ...extra });
    const meeting = (id, extra = {}) => post('om', id, 'face-to-face', { note: 'Met at the station', identity_verified: true, ...extra });
    const checks = (id, extra = {}) => post('om', id, 'checks', {
        checks: [{ kind: 'pnc', result: 'Convictions recorded' }, { kind: 'visor', result: 'Registered' }],
        convictions: 'yes', ...extra,
    });
    const decide = (id, decision = 'disclose') => post('sup', id, 'decision', {
        decision, reason: 'Convictions for offences against children', attendees: [
            { name: 'DS Chair', role: 'Chair, public protection' }, { name: 'A Social Worker', role: "Children's social care" }],
    });

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        const mk = (name, roles, opts) => {
            tok[name] = makeUser(srv.dbPath, `ds${name}`, roles, opts);
            uid[name] = sqlite(srv.dbPath, `SELECT id FROM app_user WHERE username = 'ds${name}'`)[0].id;
        };
        mk('om', ['offender_manager'], { team: 'PPU', area: 'East' });
        mk('sup', ['supervisor'], { team: 'PPU', area: 'East' });
        mk('insp', ['inspector'], { team: 'PPU' });
        mk('inv', ['investigator'], { team: 'PPU' });
        mk('resp', ['response_officer'], { team: 'East' });
        mk('board', ['assurance_board']);
        mk('partner', ['partner_agency'], { agency: 'Test LA' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('an application: reference, the three clocks from receipt, its tasks in My work, audited', async () => {
        const a = await apply({ received_at: iso(now - HOUR) });
        const t = now - HOUR;
        assert.match(a.reference, /^CSOD-2026-\d{6}$/);
        assert.deepEqual([a.status, a.stage, a.officer_id, a.applicant.name, a.children.length],
            ['open', 'initial_contact', uid.om, 'Jo Applicant', 1]);
        assert.equal(clock(a, 'initial_contact').due_at, iso(t + 24 * HOUR));
        // Wednesday 1 July 09:00 BST + 10 working days: Wednesday 15 July.
        assert.equal(clock(a, 'face_to_face').due_at, '2026-07-15T08:00:00Z');
        assert.equal(clock(a, 'face_to_face').working_days, true);
        assert.equal(clock(a, 'complete').due_at, iso(t + 45 * DAY));
        assert.deepEqual(a.clocks.map((c) => c.state), ['due', 'due', 'due', 'due', 'due', 'due']);
        assert.deepEqual(rules(a), ['disclosure.complete', 'disclosure.initial_contact']);
        const mine = (await work('om')).filter((x) => x.record_id === a.id);
        assert.deepEqual(mine.map((x) => [x.rule, x.why, x.href]).sort(), [
            ['disclosure.complete', 'yours', `/disclosure/${a.id}`],
            ['disclosure.initial_contact', 'yours', `/disclosure/${a.id}`]]);
        const list = await api('om', 'GET', '/api/disclosure');
        assert.equal(list.status, 200, list.text);
        assert.ok(list.json.applications.some((x) => x.id === a.id && x.clocks.length === 6));
        await api('om', 'GET', `/api/disclosure/${a.id}`);
        const audit = sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'disclosure_application' AND record_id = ${a.id} ORDER BY id`);
        assert.deepEqual(audit.map((x) => x.action), ['create', 'read']);
    });

    test('validation names the field and saves nothing', async () => {
        const { child, subject } = await people();
        const adult = await createPerson(srv, { given_name: 'Grown', family_name: 'Up', dob: '1990-01-01', confirmed_new: true });
        const good = {
            applicant_name: 'Jo', applicant_relationship: 'parent', children: [{ person_id: child.id }],
            subject_person_id: subject.id, subject_relationship: 'neighbour', received_via: 'online',
        };
        const before = sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM disclosure_application')[0].n;
        const bad = async (body, code, field) => assertError(await api('om', 'POST', '/api/disclosure', body), 422, code, field);
        await bad({ ...good, children: [] }, 'missing_field', 'children');
        await bad({ ...good, children: [{ person_id: adult.id }] }, 'invalid_field', 'children[0].person_id');
        await bad({ ...good, children: [{ person_id: child.id }, { person_id: 999999 }] }, 'invalid_field', 'children[1].person_id');
        await bad({ ...good, applicant_name: undefined }, 'missing_field', 'applicant_name');
        await bad({ ...good, subject_person_id: undefined }, 'missing_field', 'subject_person_id');
        await bad({ ...good, subject_person_id: child.id }, 'invalid_field', 'children[0].person_id');
        await bad({ ...good, received_via: 'pigeon' }, 'invalid_field', 'received_via');
        await bad({ ...good, received_at: iso(now + HOUR) }, 'invalid_field', 'received_at');
        await bad({ ...good, colour: 'red' }, 'unknown_field', 'colour');
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM disclosure_application')[0].n, before);
        // Stage bodies too.
        const a = await apply();
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x' }), 422, 'missing_field', 'immediate_risk');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x', immediate_risk: true }), 422, 'missing_field', 'risk_detail');
        await contact(a.id);
        await meeting(a.id);
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/checks`, { checks: [], convictions: 'no' }), 422, 'missing_field', 'checks');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/checks`, { checks: [{ kind: 'tarot', result: 'x' }], convictions: 'no' }), 422, 'invalid_field', 'checks[0].kind');
        assertError(await api('sup', 'POST', `/api/disclosure/${a.id}/checks`, { checks: [{ kind: 'pnc', result: 'x' }] }), 422, 'missing_field', 'convictions');
    });

    test('stages go in order, once each, at times never in the future nor before the stage before', async () => {
        const a = await apply({ received_at: iso(now - 2 * HOUR) });
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/face-to-face`, { note: 'x', identity_verified: true }),
            409, 'stage_out_of_order');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/disclose`, { content: 'x' }), 409, 'stage_out_of_order');
        assertError(await api('sup', 'POST', `/api/disclosure/${a.id}/decision`, {
            decision: 'disclose', reason: 'x', attendees: [{ name: 'a', role: 'b' }] }), 409, 'stage_out_of_order');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x', immediate_risk: false, at: iso(now - 3 * HOUR) }),
            422, 'invalid_field', 'at');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x', immediate_risk: false, at: iso(now + MIN) }),
            422, 'invalid_field', 'at');
        const c = await contact(a.id, { at: iso(now - HOUR) });
        assert.equal(c.stage, 'face_to_face');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x', immediate_risk: false }), 409, 'stage_already_recorded');
        // The meeting is never before the contact.
        const r = await api('om', 'POST', `/api/disclosure/${a.id}/face-to-face`, { note: 'x', identity_verified: true, at: iso(now - 90 * MIN) });
        assertError(r, 422, 'invalid_field', 'at');
        assert.match(r.json.error.message, /initial contact/);
        const m = await meeting(a.id);
        assert.deepEqual(rules(m), ['disclosure.checks', 'disclosure.complete']);
        assert.deepEqual(m.timeline.map((e) => e.kind), ['received', 'initial_contact', 'face_to_face']);
    });

    test('the 24-hour clock: due, then overdue in My work, then done late; the supervisor sees it escalate', async () => {
        const a = await apply();
        assert.equal(clock(a, 'initial_contact').state, 'due');
        advance(25 * HOUR);
        const g = (await api('om', 'GET', `/api/disclosure/${a.id}`)).json;
        assert.equal(clock(g, 'initial_contact').state, 'overdue');
        const t = (await work('om')).find((x) => x.record_id === a.id && x.rule === 'disclosure.initial_contact');
        assert.ok(t && t.overdue, 'overdue in the officer\'s My work');
        const s = (await work('sup')).find((x) => x.record_id === a.id && x.rule === 'disclosure.initial_contact');
        assert.equal(s?.why, 'overdue in your team');
        const list = (await api('om', 'GET', '/api/disclosure')).json.applications.find((x) => x.id === a.id);
        assert.equal(list.overdue, true);
        const c = await contact(a.id);
        assert.equal(clock(c, 'initial_contact').state, 'done_late');
        assert.equal(clock(c, 'initial_contact').done_at, iso(now));
    });

    test('the 10-working-day clock skips the weekend and moves with the file clock', async () => {
        // Received Friday 26 June 16:00 BST: 10 working days end Friday 10 July 16:00 BST.
        const a = await apply({ received_at: '2026-06-26T15:00:00Z' });
        assert.equal(clock(a, 'face_to_face').due_at, '2026-07-10T15:00:00Z');
        await contact(a.id);
        const c = (await api('om', 'GET', `/api/disclosure/${a.id}`)).json;
        assert.equal(c.tasks.find((x) => x.rule === 'disclosure.face_to_face').due_at, '2026-07-10T15:00:00Z');
        setClock(Math.max(now, Date.parse('2026-07-10T14:59:00Z')));
        let g = (await api('om', 'GET', `/api/disclosure/${a.id}`)).json;
        assert.equal(clock(g, 'face_to_face').state, 'due');
        setClock(Date.parse('2026-07-10T15:01:00Z'));
        g = (await api('om', 'GET', `/api/disclosure/${a.id}`)).json;
        assert.equal(clock(g, 'face_to_face').state, 'overdue');
        assert.ok((await work('om')).find((x) => x.record_id === a.id && x.rule === 'disclosure.face_to_face').overdue);
        g = await meeting(a.id);
        assert.equal(clock(g, 'face_to_face').state, 'done_late');
    });

    test('immediate risk: recorded, an urgent referral for the child, a supervisor\'s task due within the hour', async () => {
        const a = await apply();
        const c = await contact(a.id, { immediate_risk: true, risk_detail: 'The subject is staying at the home tonight' });
        assert.equal(c.immediate_risks.length, 1);
        assert.equal(c.immediate_risk_open, true);
        assert.equal(c.referrals.length, 1);
        const ref = (await api('sup', 'GET', `/api/referrals/${c.referrals[0].id}`)).json;
        assert.deepEqual([ref.urgency, ref.person_id, ref.status], ['immediate', c.children[0].person_id, 'draft']);
        assert.match(ref.summary, new RegExp(a.reference));
        const task = c.tasks.find((x) => x.rule === 'disclosure.immediate_risk');
        assert.equal(task.due_at, iso(now + HOUR));
        const sw = (await work('sup')).find((x) => x.record_id === a.id && x.rule === 'disclosure.immediate_risk');
        assert.equal(sw?.why, 'your role');
        // At a later stage, for one named child, after the meeting.
        await meeting(a.id);
        const r = await post('om', a.id, 'immediate-risk', { detail: 'Seen with the child again', child_person_id: c.children[0].person_id }, 201);
        assert.equal(r.immediate_risks.length, 2);
        assert.equal(r.immediate_risks[1].stage, 'checks');
        assert.equal(r.referrals.length, 2);
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/immediate-risk`, { detail: 'x', child_person_id: 1 }),
            422, 'invalid_field', 'child_person_id');
        // Only a supervisor records the safeguarding action; the task stays
        // open until every risk has one.
        const risk1 = r.immediate_risks[0].id, risk2 = r.immediate_risks[1].id;
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/immediate-risk/${risk1}/action`, { action: 'x' }), 403, 'forbidden');
        advance(90 * MIN);
        let g = (await api('sup', 'GET', `/api/disclosure/${a.id}`)).json;
        assert.equal(g.tasks.find((x) => x.rule === 'disclosure.immediate_risk').overdue, true);
        g = await post('sup', a.id, `immediate-risk/${risk1}/action`, { action: 'Officers attended; the subject left the home' });
        assert.ok(g.tasks.some((x) => x.rule === 'disclosure.immediate_risk'), 'the second risk is still open');
        g = await post('sup', a.id, `immediate-risk/${risk2}/action`, { action: 'Safety plan agreed with the mother' });
        assert.equal(g.tasks.some((x) => x.rule === 'disclosure.immediate_risk'), false);
        assert.equal(g.immediate_risk_open, false);
        assertError(await api('sup', 'POST', `/api/disclosure/${a.id}/immediate-risk/${risk2}/action`, { action: 'again' }), 409, 'action_already_recorded');
        assertError(await api('sup', 'POST', `/api/disclosure/${a.id}/immediate-risk/999/action`, { action: 'x' }), 404, 'not_found');
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM disclosure_risk'), /append-only/);
        assert.throws(() => sqlite(srv.dbPath, 'UPDATE disclosure_event SET text = 1'), /append-only/);
    });

    test('nothing is disclosed without a signed undertaking; a refusal blocks it; the outcome must match', async () => {
        const rso = await people({ flags: [{ flag: 'registered_sex_offender', valid_from: '2015-01-01' }] });
        const r = await api('om', 'POST', '/api/disclosure', {
            applicant_name: 'Mum', applicant_relationship: 'parent', children: [{ person_id: rso.child.id }],
            subject_person_id: rso.subject.id, subject_relationship: 'partner_of_parent', received_via: 'in_person',
        });
        const a = r.json;
        assert.equal(a.subject.registered_sex_offender, true);
        await contact(a.id);
        await meeting(a.id);
        const ck = await checks(a.id);
        assert.deepEqual([ck.convictions, ck.registered_offender_at_checks, ck.checks.length], ['yes', true, 2]);
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/decision`, {
            decision: 'disclose', reason: 'x', attendees: [{ name: 'a', role: 'b' }] }), 403, 'forbidden');
        assertError(await api('sup', 'POST', `/api/disclosure/${a.id}/decision`, { decision: 'disclose', reason: 'x', attendees: [] }),
            422, 'missing_field', 'attendees');
        const d = await decide(a.id);
        assert.deepEqual([d.decision, d.attendees.length, d.stage], ['disclose', 2, 'undertaking']);
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/disclose`, { content: 'Told her' }), 409, 'undertaking_required');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/undertaking`, {
            recipient_name: 'Mum', recipient_relationship: 'Mother', signed: false }), 422, 'missing_field', 'note');
        const u = await post('om', a.id, 'undertaking', { recipient_name: 'Mum', recipient_relationship: 'Mother', signed: false, note: 'Would not agree to keep it confidential' });
        assert.deepEqual([u.undertaking, u.stage, clock(u, 'disclosure').state], ['refused', 'outcome', 'not_needed']);
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/disclose`, { content: 'Told her' }), 409, 'undertaking_refused');
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/close`, { outcome: 'disclosed' }), 409, 'outcome_not_reached', 'outcome');
        assert.equal(sqlite(srv.dbPath, `SELECT disclosed_at FROM disclosure_application WHERE id = ${a.id}`)[0].disclosed_at, null);
        const closed = await post('om', a.id, 'close', { outcome: 'undertaking_refused' });
        assert.deepEqual([closed.status, closed.tasks.length, clock(closed, 'complete').state], ['closed', 0, 'done']);
        assertError(await api('om', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x', immediate_risk: false }), 409, 'application_closed');

        // The whole way: signed, disclosed, closed.
        const b = await apply({}, 'inv');
        await post('inv', b.id, 'initial-contact', { note: 'x', immediate_risk: false });
        await post('inv', b.id, 'face-to-face', { note: 'x', identity_verified: true });
        await post('inv', b.id, 'checks', { checks: [{ kind: 'pnc', result: 'No trace' }], convictions: 'no' });
        assertError(await api('inv', 'POST', `/api/disclosure/${b.id}/decision`, { decision: 'disclose', reason: 'x', attendees: [{ name: 'a', role: 'b' }] }), 403, 'forbidden');
        await decide(b.id);
        await post('inv', b.id, 'undertaking', { recipient_name: 'Gran', recipient_relationship: 'Grandmother, the child lives with her', signed: true });
        const dis = await post('inv', b.id, 'disclose', { content: 'Told her of the convictions and how to keep the child safe' });
        assert.equal(dis.disclosed_at, iso(now));
        const done = await post('inv', b.id, 'close', { outcome: 'disclosed', outcome_note: 'Safety plan in place' });
        assert.deepEqual(done.clocks.map((c) => c.state), ['done', 'done', 'done', 'done', 'done', 'done']);
        // A decision not to disclose leaves only the outcome.
        const c = await apply();
        await contact(c.id); await meeting(c.id); await checks(c.id, { convictions: 'no' });
        const nd = await decide(c.id, 'not_disclose');
        assert.equal(nd.stage, 'outcome');
        assertError(await api('om', 'POST', `/api/disclosure/${c.id}/undertaking`, { recipient_name: 'x', recipient_relationship: 'y', signed: true }),
            409, 'decided_not_to_disclose');
        await post('om', c.id, 'close', { outcome: 'not_disclosed' });
    });

    test('permissions: read, write and decide; the board and partners see nothing', async () => {
        const a = await apply();
        assertError(await api('board', 'GET', '/api/disclosure'), 403, 'forbidden');
        assertError(await api('partner', 'GET', `/api/disclosure/${a.id}`), 403, 'forbidden');
        assertError(await api('resp', 'GET', `/api/disclosure/${a.id}`), 403, 'forbidden');
        assertError(await api('resp', 'POST', `/api/disclosure/${a.id}/initial-contact`, { note: 'x', immediate_risk: false }), 403, 'forbidden');
        assertError(await api('om', 'GET', '/api/disclosure?status=maybe'), 422, 'invalid_enum', 'status');
        assert.equal((await api('insp', 'GET', `/api/disclosure/${a.id}`)).status, 200);
        assertError(await api('om', 'GET', '/api/disclosure/999999'), 404, 'not_found');
    });

    test('measures for recommendation 7: known answers for one area', async () => {
        tok.west = makeUser(srv.dbPath, 'dswest', ['offender_manager'], { team: 'West PPU', area: 'West' });
        const start = now - 60 * DAY;
        const at = (ms) => ({ at: iso(ms) });
        // A: contact in 2 h, meeting in 3 days, withdrawn at 40 days: all in time.
        const ra = now - 50 * DAY;
        const a = await apply({ received_at: iso(ra) }, 'west');
        await post('west', a.id, 'initial-contact', { note: 'x', immediate_risk: false, ...at(ra + 2 * HOUR) });
        await post('west', a.id, 'face-to-face', { note: 'x', identity_verified: true, ...at(ra + 3 * DAY) });
        await post('west', a.id, 'close', { outcome: 'withdrawn', closed_at: iso(ra + 40 * DAY) });
        // B: contact at 30 h, meeting at 20 days, still open after 50 days: all late.
        const b = await apply({ received_at: iso(ra) }, 'west');
        await post('west', b.id, 'initial-contact', { note: 'x', immediate_risk: false, ...at(ra + 30 * HOUR) });
        await post('west', b.id, 'face-to-face', { note: 'x', identity_verified: true, ...at(ra + 20 * DAY) });
        // C: received 2 hours ago: nothing due yet, nothing counted.
        await apply({ received_at: iso(now - 2 * HOUR) }, 'west');
        // D: received 30 hours ago, no contact: late; its meeting not yet due.
        await apply({ received_at: iso(now - 30 * HOUR) }, 'west');
        // An East application is not West's.
        await apply({ received_at: iso(now - 30 * HOUR) });
        const q = `?area=West&from=${iso(start).slice(0, 10)}&to=${iso(now).slice(0, 10)}`;
        const r = await api('sup', 'GET', `/api/assurance${q}`);
        assert.equal(r.status, 200, r.text);
        const r7 = r.json.recommendations.find((x) => x.number === 7);
        const m = (k) => { const x = r7.measures.find((y) => y.key === k); assert.ok(x, k); return [x.numerator, x.denominator]; };
        assert.deepEqual(m('r7_csod_completed_in_time'), [1, 2], 'A closed in time; B past 45 days');
        assert.deepEqual(m('r7_csod_contact_in_time'), [1, 3], 'A in 2 h; B in 30 h; D not yet');
        assert.deepEqual(m('r7_csod_meeting_in_time'), [1, 2], 'A in 3 days; B in 20 days; D not yet due');
        const board = await api('board', 'GET', `/api/assurance${q}`);
        assert.doesNotMatch(board.text, /Silas\d|CSOD-20/);
    });
});
