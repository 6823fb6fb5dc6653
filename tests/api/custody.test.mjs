// custody.test.mjs — children in custody (DOMAIN.md R8, PACE Code C and
// s38(6)) through the API: the age-dispute rule and its history, a cell only
// with a reason, detention reviews at 6 hours then every 9, welfare visits,
// the appropriate adult's clock with its two escalations and the delay
// attributed, barred appropriate adults, interviews refused without the AA
// unless urgent, the mandatory referral overdue until sent, the s38(6)
// transfer request in one step with the outcome, the authority's answer, the
// transfer, the s38(7) certificate (refused for the serious-harm ground under
// 12) and its PDF, held_overnight across UK midnight in BST and GMT,
// validation errors naming the field, 403s, audit, and the R8 measures with
// known answers per local authority.
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time. It only moves forward; the overnight and measures tests record their
// steps with explicit past times instead.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('children in custody: the record, its clocks and s38(6)', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    let seq = 0;
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const advance = (ms) => setClock(now + ms);
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });

    async function child(extra = {}) {
        seq++;
        return createPerson(srv, {
            given_name: `Cal${seq}`, family_name: `Keeper${seq}`, dob: '2011-03-04', confirmed_new: true, ...extra,
        });
    }
    async function book(personId, extra = {}, who = 'co') {
        const r = await api(who, 'POST', '/api/custody', {
            person_id: personId, suite: 'Eastgate custody suite', grounds: 'Suspected robbery; detention to question',
            local_authority: 'Eastshire County Council', apparent_age: 15, ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    const post = async (who, id, what, body, status = 200) => {
        const r = await api(who, 'POST', `/api/custody/${id}/${what}`, body);
        assert.equal(r.status, status, r.text);
        return r.json;
    };
    const rules = (c) => c.tasks.map((t) => t.rule).sort();
    const task = (c, rule) => c.tasks.find((t) => t.rule === rule);
    const work = async (who) => (await api(who, 'GET', '/api/work')).json.tasks;
    const count = (table) => sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM ${table}`)[0].n;

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        const mk = (name, roles, opts) => { tok[name] = makeUser(srv.dbPath, `cu${name}`, roles, opts); };
        mk('co', ['custody_officer'], { team: 'East', area: 'East' });
        mk('sgt', ['custody_sergeant'], { team: 'East', area: 'East' });
        mk('insp', ['inspector'], { team: 'East', area: 'East' });
        mk('sup', ['supervisor'], { team: 'East', area: 'East' });
        mk('resp', ['response_officer'], { team: 'East' });
        mk('board', ['assurance_board']);
        mk('admin', ['admin']);
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('booked in: reference, the child\'s clocks, timeline and audit', async () => {
        const c = await child();
        const r = await book(c.id, { arrived_at: iso(now - 10 * MIN) });
        const t0 = now - 10 * MIN;
        assert.match(r.reference, /^CU-2026-\d{6}$/);
        assert.deepEqual([r.status, r.treated_as_child, r.age.status, r.person.age_by_dob, r.held_overnight],
            ['in_custody', true, 'child', 15, false]);
        assert.deepEqual(rules(r), ['custody.inform_responsible_adult', 'custody.request_aa', 'custody.review_first',
            'custody.visit_child', 'custody.welfare_needs']);
        assert.equal(task(r, 'custody.review_first').due_at, iso(t0 + 6 * HOUR));
        assert.equal(task(r, 'custody.visit_child').due_at, iso(t0 + 30 * MIN));
        assert.equal(task(r, 'custody.request_aa').due_at, iso(t0 + HOUR));
        assert.equal(task(r, 'custody.review_first').href, `/custody/${r.id}`);
        assert.deepEqual(r.timeline.map((e) => e.kind), ['booked_in']);
        await api('co', 'GET', `/api/custody/${r.id}`);
        const audit = sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'custody_record' AND record_id = ${r.id} ORDER BY id`);
        assert.deepEqual(audit.map((a) => a.action), ['create', 'read']);
        assertError(await api('co', 'POST', '/api/custody', { person_id: c.id, suite: 'x', grounds: 'y', apparent_age: 15 }),
            409, 'already_in_custody', 'person_id');
        const list = (await api('co', 'GET', '/api/custody')).json.records;
        assert.ok(list.some((x) => x.id === r.id && x.name === `${c.given_name} ${c.family_name}`));
    });

    test('the age-dispute rule: a child until a verification of 18 or over, kept in the history', async () => {
        // Everything known says adult: not a child's record.
        const adult = await child({ dob: null });
        assertError(await api('co', 'POST', '/api/custody', { person_id: adult.id, suite: 's', grounds: 'g', apparent_age: 19, stated_age: 19 }),
            422, 'invalid_field', 'apparent_age');
        // Nothing known: a child.
        const unknown = await book(adult.id, { apparent_age: null });
        assert.deepEqual([unknown.treated_as_child, unknown.age.status], [true, 'unknown']);
        // Looks 19, says 16: disputed, a child.
        const d = await child({ dob: null });
        let r = await book(d.id, { apparent_age: 19, stated_age: 16 });
        assert.deepEqual([r.treated_as_child, r.age.status], [true, 'disputed']);
        // The date of birth says 25 but they appear 17: still a child until verified.
        const older = await child({ dob: '2001-01-01' });
        const o = await book(older.id, { apparent_age: 17 });
        assert.deepEqual([o.treated_as_child, o.age.status], [true, 'disputed']);
        // Verification: the basis is required; 'other' needs its detail.
        assertError(await api('co', 'POST', `/api/custody/${r.id}/age`, { verified_age: 19 }), 422, 'missing_field', 'basis');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/age`, { verified_age: 19, basis: 'other' }), 422, 'missing_field', 'detail');
        r = await post('co', r.id, 'age', { verified_age: 19, basis: 'passport', detail: 'UK passport seen' });
        assert.deepEqual([r.treated_as_child, r.age.status], [false, 'verified_adult']);
        assert.deepEqual(r.age.history.map((h) => [h.kind, h.verified_age, h.basis, h.treated_as_child]),
            [['booked', null, null, true], ['verified', 19, 'passport', false]]);
        // The child's clocks give way to an adult's.
        assert.deepEqual(rules(r), ['custody.review_first', 'custody.visit_adult']);
        assert.equal(task(r, 'custody.visit_adult').due_at, iso(Date.parse(r.arrived_at) + HOUR));
        assert.throws(() => sqlite(srv.dbPath, 'UPDATE custody_age_event SET verified_age = 1'), /append-only/);
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM custody_age_event'), /append-only/);
    });

    test('a cell for a child only with the reason; a refused request changes nothing', async () => {
        const c = await child();
        const before = [count('custody_record'), count('custody_event'), count('task')];
        assertError(await api('co', 'POST', '/api/custody', {
            person_id: c.id, suite: 's', grounds: 'g', apparent_age: 14, cell_used: true,
        }), 422, 'missing_field', 'cell_reason');
        assert.deepEqual([count('custody_record'), count('custody_event'), count('task')], before);
        const r = await book(c.id, { cell_used: true, cell_reason: 'The juvenile detention room is out of use (flooded)' });
        assert.deepEqual([r.cell_used, r.cell_reason], [true, 'The juvenile detention room is out of use (flooded)']);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/accommodation`, { cell_used: true, cell_reason: null }),
            422, 'missing_field', 'cell_reason');
        const m = await post('co', r.id, 'accommodation', { cell_used: false });
        assert.deepEqual([m.cell_used, m.cell_reason], [false, null]);
    });

    test('detention reviews at 6 hours, then every 9; welfare visits every 30 minutes for a child', async () => {
        const c = await child();
        const r = await book(c.id);
        const t0 = Date.parse(r.arrived_at);
        advance(20 * MIN);
        let g = await post('co', r.id, 'visits', { condition: 'Awake and calm' });
        assert.equal(task(g, 'custody.visit_child').due_at, iso(t0 + 50 * MIN));
        advance(5 * HOUR);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/reviews`, { note: 'x' }), 422, 'missing_field', 'decision');
        g = await post('insp', r.id, 'reviews', { decision: 'continue', note: 'Interview awaited' });
        assert.equal(task(g, 'custody.review_first'), undefined);
        assert.equal(task(g, 'custody.review_next').due_at, iso(now + 9 * HOUR));
        advance(9 * HOUR - 30 * MIN);
        g = await post('insp', r.id, 'reviews', { decision: 'continue', note: 'Charging advice awaited' });
        assert.equal(task(g, 'custody.review_next').due_at, iso(now + 9 * HOUR));
        assert.deepEqual(g.reviews.map((x) => x.decision), ['continue', 'continue']);
        // The visit task went overdue long ago: the custody officers' role sees it.
        const mine = (await work('co')).filter((t) => t.record_id === r.id && t.record_type === 'custody_record');
        assert.ok(mine.some((t) => t.rule === 'custody.visit_child' && t.overdue && t.why === 'your role'), JSON.stringify(mine));
        await post('co', r.id, 'release', { released_to: 'Mother' });
    });

    test('the appropriate adult: barred roles, the clock, two escalations, the delay attributed', async () => {
        const c = await child();
        const r = await book(c.id);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult/arrival`, {}), 409, 'aa_not_requested');
        for (const role of ['solicitor', 'police_officer_or_staff', 'involved_in_offence', 'received_admission'])
            assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult`,
                { source: 'other', name: 'A Person', declared_role: role }), 422, 'invalid_field', 'declared_role');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult`,
            { source: 'neighbour', name: 'A', declared_role: 'parent' }), 422, 'invalid_field', 'source');
        advance(10 * MIN);
        let g = await post('co', r.id, 'appropriate-adult', { source: 'scheme', name: 'Duty AA', declared_role: 'aa_scheme_volunteer' });
        const req = now;
        assert.equal(task(g, 'custody.aa_arrival_sergeant').due_at, iso(req + 2 * HOUR));
        assert.equal(task(g, 'custody.aa_arrival_inspector').due_at, iso(req + 4 * HOUR));
        assert.deepEqual([g.appropriate_adult.waiting, g.appropriate_adult.minutes, g.appropriate_adult.escalated_to],
            [true, 0, null]);
        advance(150 * MIN);
        g = (await api('co', 'GET', `/api/custody/${r.id}`)).json;
        assert.deepEqual([g.appropriate_adult.minutes, g.appropriate_adult.escalated_to], [150, 'custody_sergeant']);
        const sgt = (await work('sgt')).filter((t) => t.record_id === r.id && t.record_type === 'custody_record');
        assert.ok(sgt.some((t) => t.rule === 'custody.aa_arrival_sergeant' && t.overdue && t.why === 'your role'), JSON.stringify(sgt));
        let insp = (await work('insp')).filter((t) => t.record_id === r.id && t.record_type === 'custody_record');
        assert.ok(insp.some((t) => t.rule === 'custody.aa_arrival_inspector' && !t.overdue));
        assert.ok(insp.some((t) => t.rule === 'custody.aa_arrival_sergeant' && t.why === 'overdue in your team'));
        advance(100 * MIN);
        g = (await api('co', 'GET', `/api/custody/${r.id}`)).json;
        assert.equal(g.appropriate_adult.escalated_to, 'inspector');
        insp = (await work('insp')).filter((t) => t.record_id === r.id && t.record_type === 'custody_record');
        assert.ok(insp.some((t) => t.rule === 'custody.aa_arrival_inspector' && t.overdue));
        // Arrived after 4 h 10 min: the delay must be attributed, with a reason.
        assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult/arrival`, {}), 422, 'missing_field', 'delay_cause');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult/arrival`, { delay_cause: 'scheme' }),
            422, 'missing_field', 'delay_reason');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult/arrival`, { at: iso(req - MIN) }),
            422, 'invalid_field', 'at');
        g = await post('co', r.id, 'appropriate-adult/arrival', { delay_cause: 'scheme', delay_reason: 'No volunteer on the rota' });
        assert.deepEqual([g.appropriate_adult.arrived_at, g.appropriate_adult.minutes, g.appropriate_adult.delay_cause, g.appropriate_adult.waiting],
            [iso(now), 250, 'scheme', false]);
        assert.equal(rules(g).some((x) => x.startsWith('custody.aa_arrival')), false);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/appropriate-adult/arrival`, {}), 409, 'aa_arrived');
        await post('co', r.id, 'release', { released_to: 'Father' });
    });

    test('interviews: refused without the appropriate adult unless urgent, with the reason', async () => {
        const c = await child();
        const r = await book(c.id);
        const before = count('custody_interview');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/interviews`, {}), 409, 'appropriate_adult_absent', 'urgent');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/interviews`, { urgent: true }), 422, 'missing_field', 'urgent_reason');
        assert.equal(count('custody_interview'), before);
        let g = await post('co', r.id, 'interviews', { urgent: true, urgent_reason: 'A firearm may still be hidden near a school' });
        assert.deepEqual(g.interviews.map((i) => [i.aa_present, i.urgent]), [[false, true]]);
        advance(5 * MIN);
        await post('co', r.id, 'appropriate-adult', { source: 'family', name: 'Mother', declared_role: 'parent' });
        advance(30 * MIN);
        await post('co', r.id, 'appropriate-adult/arrival', {});
        advance(10 * MIN);
        g = await post('co', r.id, 'interviews', { note: 'Full interview' });
        assert.deepEqual(g.interviews.map((i) => i.aa_present), [false, true]);
        await post('co', r.id, 'legal-advice', { status: 'given', detail: 'Duty solicitor by phone' });
        const v = await post('co', r.id, 'voice', { seen: true, spoken_to: true, words: 'I want my mum', behaviour: ['upset'] });
        assert.deepEqual([v.voice.words, v.voice.behaviour, v.legal_advice], ['I want my mum', ['upset'], 'given']);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/voice`, { seen: true, spoken_to: false }), 422, 'missing_field', 'not_spoken_reason');
        await post('co', r.id, 'release', { released_to: 'Mother' });
        assertError(await api('co', 'POST', `/api/custody/${r.id}/interviews`, {}), 409, 'released');
    });

    test('welfare: an exploitation concern makes the referral mandatory, overdue until it is sent', async () => {
        const ag = await api('admin', 'POST', '/api/agencies', { name: 'Eastshire Children\'s Services', kind: 'childrens_social_care' });
        assert.equal(ag.status, 201, ag.text);
        const agency = ag.json.agencies.find((a) => a.name === 'Eastshire Children\'s Services').id;
        const c = await child();
        const r = await book(c.id);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/welfare`, { exploitation_concern: true, welfare_concern: false }),
            422, 'missing_field', 'concern_detail');
        let g = await post('co', r.id, 'welfare', {
            health: 'None', exploitation_concern: true, welfare_concern: false,
            concern_detail: 'Three phones and cash; far from home: possible county lines',
        });
        const concern = now;
        assert.equal(task(g, 'custody.referral').due_at, iso(concern + 24 * HOUR));
        assert.equal(task(g, 'custody.welfare_needs'), undefined);
        await post('co', r.id, 'voice', { seen: true, spoken_to: true, words: 'They make me carry it' });
        advance(25 * HOUR);
        await post('co', r.id, 'release', { released_to: 'Grandmother' });
        g = (await api('co', 'GET', `/api/custody/${r.id}`)).json;
        assert.equal(task(g, 'custody.referral').overdue, true, 'still owed after release');
        const raised = await api('co', 'POST', `/api/custody/${r.id}/referrals`, {});
        assert.equal(raised.status, 201, raised.text);
        let ref = (await api('co', 'GET', `/api/referrals/${raised.json.referral_id}`)).json;
        assert.deepEqual([ref.person_id, ref.child_voice, ref.risk_view, ref.categories],
            [c.id, 'They make me carry it', 'Three phones and cash; far from home: possible county lines', ['child_criminal_exploitation']]);
        assert.match(ref.summary, new RegExp(r.reference));
        assert.ok(task(raised.json, 'custody.referral'), 'a draft is not a sent referral');
        ref = (await api('co', 'PATCH', `/api/referrals/${ref.id}`, {
            version: ref.version, consent: 'not_sought', consent_reason: 'Protects the child from significant harm',
            agencies: [{ id: agency }], submit: true,
        })).json;
        const sent = await api('sup', 'POST', `/api/referrals/${ref.id}/review`, { version: ref.version, decision: 'approve' });
        assert.equal(sent.status, 200, sent.text);
        g = (await api('co', 'GET', `/api/custody/${r.id}`)).json;
        assert.equal(task(g, 'custody.referral'), undefined);
        assert.deepEqual(g.referrals.map((x) => x.status), ['sent']);
        assert.ok(g.timeline.some((e) => e.kind === 'referral_sent'));
    });

    test('s38(6): charged and refused bail, the transfer requested in the same step, answered, achieved', async () => {
        const c = await child();
        const r = await book(c.id);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/transfer-request`, { accommodation: 'secure', local_authority: 'X' }),
            409, 'not_charged_refused_bail');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/outcome`, { outcome: 'charged_refused_bail', transfer_la: 'Eastshire' }),
            422, 'missing_field', 'transfer_accommodation');
        advance(2 * HOUR);
        let g = await post('sgt', r.id, 'outcome', {
            outcome: 'charged_refused_bail', transfer_accommodation: 'non_secure', transfer_la: 'Eastshire County Council',
            transfer_contact: 'Emergency duty team',
        });
        assert.deepEqual([g.status, g.charged_at, g.transfer_requested_at, g.transfer_la, g.transfer_accommodation],
            ['in_custody', iso(now), iso(now), 'Eastshire County Council', 'non_secure']);
        assert.ok(task(g, 'custody.s38_transfer'));
        assert.equal(task(g, 'custody.transfer_request'), undefined, 'requested in the same step');
        assertError(await api('sgt', 'POST', `/api/custody/${r.id}/outcome`, { outcome: 'charged' }), 409, 'outcome_recorded', 'outcome');
        advance(30 * MIN);
        g = await post('sgt', r.id, 'transfer-answer', { answer: 'accepted', detail: 'Foster placement in Eastville' });
        advance(90 * MIN);
        g = await post('sgt', r.id, 'transferred', {});
        assert.deepEqual([g.status, g.transferred_at, g.released_to, g.held_overnight],
            ['released', iso(now), 'Local authority accommodation (Eastshire County Council)', false]);
        assert.deepEqual(g.tasks.filter((t) => t.rule !== 'custody.referral'), []);
        // Bail after charge is not a transfer.
        const b = await book((await child()).id);
        assertError(await api('sgt', 'POST', `/api/custody/${b.id}/outcome`, { outcome: 'charged', transfer_accommodation: 'secure', transfer_la: 'X' }),
            422, 'invalid_field', 'transfer_accommodation');
        const bailed = await post('sgt', b.id, 'outcome', { outcome: 'charged' });
        assert.deepEqual([bailed.status, bailed.released_to], ['released', 'Charged and released on bail']);
    });

    test('s38(7): the certificate (not for the serious-harm ground under 12), refused transfer, the PDF for court', async () => {
        const young = await child({ dob: '2015-02-01' }); // 11
        const r = await book(young.id, { apparent_age: 11 });
        await post('sgt', r.id, 'outcome', { outcome: 'charged_refused_bail', transfer_accommodation: 'secure', transfer_la: 'Eastshire County Council' });
        advance(20 * MIN);
        await post('sgt', r.id, 'transfer-answer', { answer: 'refused', detail: 'No secure bed in the region' });
        assertError(await api('sgt', 'POST', `/api/custody/${r.id}/transferred`, {}), 409, 'la_refused');
        assertError(await api('co', 'GET', `/api/custody/${r.id}/certificate.pdf`), 409, 'no_certificate');
        assertError(await api('co', 'POST', `/api/custody/${r.id}/certificate`, { reason: 'impracticable', detail: 'x' }), 403, 'forbidden');
        assertError(await api('sgt', 'POST', `/api/custody/${r.id}/certificate`, { reason: 'no_secure_serious_harm', detail: 'Risk to the public' }),
            422, 'invalid_field', 'reason');
        assertError(await api('sgt', 'POST', `/api/custody/${r.id}/certificate`, { reason: 'impracticable' }), 422, 'missing_field', 'detail');
        const g = await post('sgt', r.id, 'certificate', {
            reason: 'impracticable', detail: 'The authority has no accommodation tonight and no relative can take the child',
        });
        assert.deepEqual([g.certificate_reason, g.certified_by_name, g.certified_at], ['impracticable', 'cusgt', iso(now)]);
        assert.equal(task(g, 'custody.s38_transfer'), undefined);
        assertError(await api('sgt', 'POST', `/api/custody/${r.id}/certificate`, { reason: 'impracticable', detail: 'again' }), 409, 'already_certified');
        const pdf = await api('co', 'GET', `/api/custody/${r.id}/certificate.pdf`);
        assert.equal(pdf.status, 200);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        assert.match(pdf.text.slice(0, 8), /^%PDF-/);
        assert.equal((pdf.text.match(/\/Type\s*\/Page[^s]/g) || []).length, 1);
        const printed = sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'custody_record' AND record_id = ${r.id} AND action = 'print'`);
        assert.equal(printed.length, 1);
        // A 15-year-old: the serious-harm ground is open.
        const teen = await book((await child()).id);
        await post('sgt', teen.id, 'outcome', { outcome: 'charged_refused_bail' });
        const t = await post('sgt', teen.id, 'certificate', { reason: 'no_secure_serious_harm', detail: 'No secure place; serious violence' });
        assert.ok(task(t, 'custody.transfer_request') === undefined && task(t, 'custody.s38_transfer') === undefined);
        assert.equal((await api('insp', 'POST', `/api/custody/${r.id}/release`, { released_to: 'Youth court' })).status, 200);
    });

    test('held overnight: past the first UK midnight after charge, in BST and in GMT', async () => {
        const run = async (arrived, charged, released) => {
            const r = await book((await child()).id, { arrived_at: arrived });
            await post('sgt', r.id, 'outcome', { outcome: 'charged_refused_bail', at: charged });
            return post('sgt', r.id, 'release', { released_to: 'Youth court', at: released });
        };
        // BST: midnight is 23:00 UTC.
        assert.equal((await run('2026-07-10T18:00:00Z', '2026-07-10T21:30:00Z', '2026-07-10T22:59:00Z')).held_overnight, false);
        assert.equal((await run('2026-07-11T18:00:00Z', '2026-07-11T21:30:00Z', '2026-07-11T23:01:00Z')).held_overnight, true);
        // Charged at 00:30 BST (23:30 UTC the day before): the next midnight is almost a day on.
        assert.equal((await run('2026-07-12T20:00:00Z', '2026-07-12T23:30:00Z', '2026-07-13T21:00:00Z')).held_overnight, false);
        // GMT: midnight is 00:00 UTC.
        assert.equal((await run('2026-11-20T18:00:00Z', '2026-11-20T21:30:00Z', '2026-11-20T23:30:00Z')).held_overnight, false);
        assert.equal((await run('2026-11-21T18:00:00Z', '2026-11-21T21:30:00Z', '2026-11-22T00:05:00Z')).held_overnight, true);
        // Still held: the clock decides.
        const r = await book((await child()).id);
        const g = await post('sgt', r.id, 'outcome', { outcome: 'charged_refused_bail' });
        assert.equal(g.held_overnight, false);
        const midnight = Date.parse(`${iso(now).slice(0, 10)}T00:00:00Z`) + 24 * HOUR; // GMT in December
        setClock(midnight + MIN);
        const later = (await api('co', 'GET', `/api/custody/${r.id}`)).json;
        assert.equal(later.held_overnight, true);
        assert.ok((await api('co', 'GET', '/api/custody')).json.records.some((x) => x.id === r.id && x.held_overnight));
        await post('sgt', r.id, 'release', { released_to: 'Youth court' });
    });

    test('validation names the field; times are checked; unknown fields refused; nothing saved', async () => {
        const c = await child();
        const base = { person_id: c.id, suite: 's', grounds: 'g', apparent_age: 15 };
        const before = count('custody_record');
        assertError(await api('co', 'POST', '/api/custody', { ...base, suite: undefined }), 422, 'missing_field', 'suite');
        assertError(await api('co', 'POST', '/api/custody', { ...base, apparent_age: 200 }), 422, 'invalid_field', 'apparent_age');
        assertError(await api('co', 'POST', '/api/custody', { ...base, arrived_at: iso(now + HOUR) }), 422, 'invalid_field', 'arrived_at');
        assertError(await api('co', 'POST', '/api/custody', { ...base, person_id: 999999 }), 422, 'invalid_field', 'person_id');
        assertError(await api('co', 'POST', '/api/custody', { ...base, cell: true }), 422, 'unknown_field', 'cell');
        assert.equal(count('custody_record'), before);
        const r = await book(c.id);
        assertError(await api('co', 'POST', `/api/custody/${r.id}/visits`, { condition: 'ok', at: iso(Date.parse(r.arrived_at) - MIN) }),
            422, 'invalid_field', 'at');
        assertError(await api('co', 'GET', '/api/custody?status=gone'), 422, 'invalid_enum', 'status');
        assertError(await api('co', 'GET', '/api/custody/999999'), 404, 'not_found');
        await post('co', r.id, 'release', { released_to: 'Mother' });
    });

    test('permissions: custody staff and supervisors only; the board sees aggregates', async () => {
        assertError(await api('resp', 'GET', '/api/custody'), 403, 'forbidden');
        assertError(await api('resp', 'POST', '/api/custody', { person_id: 1, suite: 's', grounds: 'g' }), 403, 'forbidden');
        assertError(await api('board', 'GET', '/api/custody/1'), 403, 'forbidden');
        assertError(await api('sup', 'POST', '/api/custody/1/certificate', { reason: 'impracticable', detail: 'x' }), 403, 'forbidden');
        assert.equal((await api('sup', 'GET', '/api/custody')).status, 200);
        const m = await api('board', 'GET', '/api/custody/measures');
        assert.equal(m.status, 200, m.text);
        assert.equal(m.json.aggregate_only, true);
        assert.doesNotMatch(m.text, /Cal\d|CU-20/);
    });

    test('measures for recommendation 8: known answers per local authority', async () => {
        tok.west = makeUser(srv.dbPath, 'cuwest', ['custody_sergeant'], { team: 'West', area: 'West' });
        const N = Date.parse('2026-11-03T10:00:00Z');
        const at = (ms) => iso(ms);
        const mk = async (la, arrived) => {
            const r = await api('west', 'POST', '/api/custody', {
                person_id: (await child()).id, suite: 'Westgate', grounds: 'g', apparent_age: 15, local_authority: la, arrived_at: at(arrived),
            });
            assert.equal(r.status, 201, r.text);
            return r.json.id;
        };
        const w = (id, what, body) => post('west', id, what, body);
        // Alpha 1: AA in 60 min; charged, refused bail, transfer requested in one step, moved that evening.
        const a1 = await mk('Alpha Council', N);
        await w(a1, 'appropriate-adult', { source: 'family', name: 'Mother', declared_role: 'parent', at: at(N + 10 * MIN) });
        await w(a1, 'appropriate-adult/arrival', { at: at(N + 70 * MIN) });
        await w(a1, 'outcome', { outcome: 'charged_refused_bail', transfer_accommodation: 'non_secure', transfer_la: 'Alpha Council', at: at(N + 6 * HOUR) });
        await w(a1, 'transferred', { at: at(N + 8 * HOUR) });
        // Alpha 2: AA after 3 h (the scheme); charged, no transfer requested, held until the morning.
        const a2 = await mk('Alpha Council', N + DAY());
        await w(a2, 'appropriate-adult', { source: 'scheme', name: 'Duty AA', declared_role: 'aa_scheme_volunteer', at: at(N + DAY() + 10 * MIN) });
        await w(a2, 'appropriate-adult/arrival', { at: at(N + DAY() + 190 * MIN), delay_cause: 'scheme', delay_reason: 'Rota gap' });
        await w(a2, 'outcome', { outcome: 'charged_refused_bail', at: at(N + DAY() + 8 * HOUR) });
        await w(a2, 'release', { released_to: 'Youth court', at: at(N + 2 * DAY() - HOUR) });
        // Beta 1: AA never came; an exploitation concern never referred.
        const b1 = await mk('Beta Council', N + 2 * DAY());
        await w(b1, 'appropriate-adult', { source: 'local_authority', name: 'EDT', declared_role: 'social_worker', at: at(N + 2 * DAY() + 10 * MIN) });
        await w(b1, 'welfare', { exploitation_concern: true, welfare_concern: false, concern_detail: 'County lines', at: at(N + 2 * DAY() + 20 * MIN) });
        // Beta 2: charged, transfer asked for and refused, certified, held overnight.
        const b2 = await mk('Beta Council', N + 3 * DAY());
        await w(b2, 'outcome', { outcome: 'charged_refused_bail', transfer_accommodation: 'secure', transfer_la: 'Beta Council', at: at(N + 3 * DAY() + 5 * HOUR) });
        await w(b2, 'transfer-answer', { answer: 'refused', at: at(N + 3 * DAY() + 6 * HOUR) });
        await w(b2, 'certificate', { reason: 'impracticable', detail: 'No accommodation', at: at(N + 3 * DAY() + 7 * HOUR) });
        await w(b2, 'release', { released_to: 'Youth court', at: at(N + 4 * DAY()) });

        const q = '?area=West&from=2026-11-01&to=2026-11-30';
        const r = await api('sup', 'GET', `/api/assurance${q}`);
        assert.equal(r.status, 200, r.text);
        const r8 = r.json.recommendations.find((x) => x.number === 8);
        const m = (k) => { const x = r8.measures.find((y) => y.key === k); assert.ok(x, k); return [x.numerator, x.denominator]; };
        assert.deepEqual(m('r8_aa_within_2h'), [1, 3], 'A1 in time; A2 late; B1 never came');
        assert.deepEqual(m('r8_held_overnight'), [2, 3], 'A2 and B2 of A1, A2, B2');
        assert.deepEqual(m('r8_transfers_requested'), [2, 3], 'A1 and B2');
        assert.deepEqual(m('r8_transfers_achieved'), [1, 2], 'A1 of A1 and B2');
        assert.deepEqual(m('r8_referred_from_custody'), [0, 1], 'B1 never referred');
        assert.equal(r8.measures.find((y) => y.key === 'r8_held_overnight').rag, 'red', 'lower is better');

        const by = (await api('sup', 'GET', '/api/custody/measures?from=2026-11-01&to=2026-11-30')).json;
        const la = (name) => by.local_authorities.find((x) => x.local_authority === name);
        const alpha = la('Alpha Council'), beta = la('Beta Council');
        assert.deepEqual([alpha.children, alpha.aa_requested, alpha.aa_arrived, alpha.aa_within_threshold, alpha.aa_median_minutes],
            [2, 2, 2, 1, 180]);
        assert.deepEqual(alpha.aa_delays, { family: 0, scheme: 1, local_authority: 0, other: 0 });
        assert.deepEqual([alpha.charged_refused_bail, alpha.transfers_requested, alpha.transfers_achieved, alpha.held_overnight],
            [2, 1, 1, 1]);
        assert.equal(alpha.overnight_reasons.no_transfer_requested, 1);
        assert.deepEqual([beta.children, beta.aa_requested, beta.aa_arrived, beta.aa_median_minutes, beta.concerns, beta.referrals_sent],
            [2, 1, 0, null, 1, 0]);
        assert.deepEqual([beta.charged_refused_bail, beta.transfers_requested, beta.transfers_achieved, beta.held_overnight,
            beta.overnight_reasons.certified_impracticable], [1, 1, 0, 1, 1]);
        assert.equal(by.aa_threshold_minutes, 120);
        // The board: the same figures, small counts hidden.
        const board = (await api('board', 'GET', '/api/custody/measures?from=2026-11-01&to=2026-11-30')).json;
        const ba = board.local_authorities.find((x) => x.local_authority === 'Alpha Council');
        assert.deepEqual([ba.children, ba.aa_median_minutes], ['fewer than 5', null]);
    });
});

function DAY() {
    return 24 * HOUR;
}
