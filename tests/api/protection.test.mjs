// protection.test.mjs — police protection (DOMAIN.md R6, Children Act 1989
// s46) through the API: recording the use of the power with the 72-hour
// clock, the designated officer never the initiating one, a police station
// only with a reason, notifications and their overdue tasks, the designated
// officer's inquiry, EPO and release, the expiry alarm in an inspector's My
// work, the child's record and incidents at the same address showing the
// case, the one-page PDF, the referral drafted from a case (and, once sent,
// on the case's timeline), the child's views as their voice of the child on
// the incident, the incident protection decision, append-only tables and the
// R6 measures.
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time. It only moves forward; each test uses its own children and places.

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

const THRIVE = {
    threat: 'Child found alone with an intoxicated adult', harm: 'Risk of serious neglect',
    risk: 'High', investigation: 'Neglect offences possible', vulnerability: 'Child aged 4',
    engagement: 'Adult unable to engage',
};

describe('police protection: every s46 case complete and readily accessible', () => {
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

    async function child(extra = {}) {
        seq++;
        return createPerson(srv, {
            given_name: `Pia${seq}`, family_name: `Shelter${seq}`, dob: '2021-05-06', confirmed_new: true, ...extra,
        });
    }
    async function open(personId, extra = {}, who = 'resp') {
        const r = await api(who, 'POST', '/api/police-protection', {
            person_id: personId, power: 'removed', circumstances: 'Found alone at night in a flat',
            grounds: 'Likely to suffer significant harm if left', ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    const post = async (who, id, what, body, status = 200) => {
        const r = await api(who, 'POST', `/api/police-protection/${id}/${what}`, body);
        assert.equal(r.status, status, r.text);
        return r.json;
    };
    const rules = (c) => c.tasks.map((t) => t.rule).sort();
    const task = (c, rule) => c.tasks.find((t) => t.rule === rule);
    const work = async (who) => (await api(who, 'GET', '/api/work')).json.tasks;

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        const mk = (name, roles, opts) => {
            tok[name] = makeUser(srv.dbPath, `pp${name}`, roles, opts);
            uid[name] = sqlite(srv.dbPath, `SELECT id FROM app_user WHERE username = 'pp${name}'`)[0].id;
        };
        mk('resp', ['response_officer'], { team: 'East', area: 'East' });
        mk('resp2', ['response_officer'], { team: 'East', area: 'East' });
        mk('sup', ['supervisor'], { team: 'East', area: 'East' });
        mk('insp', ['inspector'], { team: 'East' });
        mk('ch', ['call_handler'], { team: 'East' });
        mk('board', ['assurance_board']);
        mk('partner', ['partner_agency'], { agency: 'Test LA' });
        mk('inv', ['investigator'], { team: 'East' });
        mk('admin', ['admin']);
        mk('hub', ['safeguarding_hub'], { team: 'East' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('the power used: reference, the 72-hour clock, the tasks it starts, timeline and audit', async () => {
        const c = await child();
        const pp = await open(c.id, { initiated_at: iso(now - 10 * MIN) });
        const t0 = now - 10 * MIN;
        assert.match(pp.reference, /^PP-2026-\d{6}$/);
        assert.deepEqual([pp.status, pp.initiating_officer_id, pp.person.given_name, pp.expires_at],
            ['in_protection', uid.resp, c.given_name, iso(t0 + 72 * HOUR)]);
        assert.deepEqual([pp.clock.max_hours, pp.clock.remaining_minutes, pp.clock.expired], [72, 72 * 60 - 10, false]);
        assert.deepEqual(rules(pp), ['protection.designate', 'protection.expiry', 'protection.inform_child',
            'protection.inform_la', 'protection.inform_parents', 'protection.release_or_epo']);
        assert.equal(task(pp, 'protection.designate').due_at, iso(t0 + HOUR));
        assert.equal(task(pp, 'protection.inform_la').due_at, iso(t0 + HOUR));
        assert.equal(task(pp, 'protection.inform_parents').due_at, iso(t0 + 2 * HOUR));
        assert.equal(task(pp, 'protection.inform_child').due_at, iso(t0 + 2 * HOUR));
        assert.equal(task(pp, 'protection.release_or_epo').due_at, iso(t0 + 66 * HOUR));
        assert.equal(task(pp, 'protection.expiry').due_at, iso(t0 + 72 * HOUR));
        assert.equal(task(pp, 'protection.expiry').href, `/police-protection/${pp.id}`);
        assert.deepEqual(pp.timeline.map((e) => e.kind), ['initiated']);
        const audit = sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'police_protection' AND record_id = ${pp.id}`);
        assert.deepEqual(audit.map((a) => a.action), ['create']);
        // One case at a time for a child.
        assertError(await api('resp', 'POST', '/api/police-protection', {
            person_id: c.id, power: 'removed', circumstances: 'x', grounds: 'y',
        }), 409, 'already_in_protection', 'person_id');
    });

    test('the whole case: designation, place, notifications, inquiry, EPO, release, all with times', async () => {
        const c = await child();
        const pp = await open(c.id);
        advance(20 * MIN);
        let r = await post('resp', pp.id, 'designate', { designated_officer_id: uid.sup });
        assert.deepEqual([r.designated_officer_id, r.designated_officer_name, r.designated_at], [uid.sup, 'ppsup', iso(now)]);
        assert.equal(task(r, 'protection.inquiry').due_at, iso(now - 20 * MIN + 24 * HOUR));
        r = await post('resp', pp.id, 'place', { kind: 'foster_carer', detail: 'Emergency foster carer, Eastville' });
        r = await post('resp', pp.id, 'notifications', { whom: 'la', detail: 'Eastshire duty team, J Smith' });
        r = await post('resp', pp.id, 'notifications', { whom: 'parents', informed: false, reason: 'Mother arrested; father not known' });
        r = await post('resp', pp.id, 'notifications', { whom: 'child', views: 'Said she wants her nan' });
        assert.deepEqual(rules(r), ['protection.expiry', 'protection.inquiry', 'protection.release_or_epo']);
        assert.deepEqual(r.notifications.child, { at: iso(now), views: 'Said she wants her nan' });
        assert.equal(r.notifications.parents.not_informed_reason, 'Mother arrested; father not known');
        // Only the designated officer inquires.
        assertError(await api('insp', 'POST', `/api/police-protection/${pp.id}/inquiry`, { text: 'x', decision: 'epo_applied' }),
            409, 'not_designated_officer');
        advance(3 * HOUR);
        r = await post('sup', pp.id, 'inquiry', { text: 'Spoke to the LA and the grandmother', decision: 'epo_applied' });
        assert.deepEqual([r.decision, r.epo_sought, r.epo_sought_at, r.inquiry_at], ['epo_applied', true, iso(now), iso(now)]);
        assert.deepEqual(rules(r), ['protection.expiry']);
        assertError(await api('sup', 'POST', `/api/police-protection/${pp.id}/epo`, { note: 'again' }), 409, 'epo_already_sought');
        advance(20 * HOUR);
        r = await post('resp', pp.id, 'release', { released_to: 'Local authority under an EPO' });
        assert.deepEqual([r.status, r.released_at, r.clock.released_within_limit, r.tasks.length],
            ['released', iso(now), true, 0]);
        assert.deepEqual(r.timeline.map((e) => e.kind), ['initiated', 'designated', 'placed', 'la_informed',
            'parents_not_informed', 'child_informed', 'inquiry', 'epo_sought', 'released']);
        assertError(await api('resp', 'POST', `/api/police-protection/${pp.id}/place`, { kind: 'relative', detail: 'x' }), 409, 'case_released');
        const list = (await api('ch', 'GET', '/api/police-protection?status=released')).json;
        assert.ok(list.cases.some((x) => x.id === pp.id && x.name === `${c.given_name} ${c.family_name}`));
    });

    test('bad input: designated = initiating refused, a police station needs a reason, nothing half-written', async () => {
        const c = await child();
        const count = () => sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM police_protection')[0].n;
        const before = count();
        const base = { person_id: c.id, power: 'removed', circumstances: 'x', grounds: 'y' };
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, designated_officer_id: uid.resp }),
            422, 'invalid_field', 'designated_officer_id');
        assertError(await api('sup', 'POST', '/api/police-protection', { ...base, initiating_officer_id: uid.resp2, designated_officer_id: uid.resp2 }),
            422, 'invalid_field', 'designated_officer_id');
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, place_kind: 'police_station', place_detail: 'East station' }),
            422, 'missing_field', 'place_reason');
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, initiated_at: iso(now + HOUR) }), 422, 'invalid_field', 'initiated_at');
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, power: 'arrest' }), 422, 'invalid_field', 'power');
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, person_id: 999999 }), 422, 'invalid_field', 'person_id');
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, incident_id: 999999 }), 422, 'invalid_field', 'incident_id');
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, surprise: 1 }), 422, 'unknown_field', 'surprise');
        const adult = await createPerson(srv, { given_name: 'Ada', family_name: 'Grown', dob: '1980-01-01', confirmed_new: true });
        assertError(await api('resp', 'POST', '/api/police-protection', { ...base, person_id: adult.id }), 422, 'invalid_field', 'person_id');
        assertError(await api('partner', 'POST', '/api/police-protection', base), 403, 'forbidden');
        assertError(await api('inv', 'POST', '/api/police-protection', base), 403, 'forbidden');
        assertError(await api('resp', 'POST', '/api/police-protection/1/inquiry', { text: 'x', decision: 'epo_applied' }), 403, 'forbidden');
        assert.equal(count(), before);
        const pp = await open(c.id, { initiating_officer_id: uid.resp2 }, 'sup');
        assert.equal(pp.initiating_officer_id, uid.resp2);
        assertError(await api('resp', 'POST', `/api/police-protection/${pp.id}/designate`, { designated_officer_id: uid.resp2 }),
            422, 'invalid_field', 'designated_officer_id');
        assertError(await api('resp', 'POST', `/api/police-protection/${pp.id}/place`, { kind: 'police_station', detail: 'East' }),
            422, 'missing_field', 'reason');
        const st = await post('resp', pp.id, 'place', { kind: 'police_station', detail: 'East', reason: 'No carer available at 3am' });
        assert.equal(st.place_reason, 'No carer available at 3am');
        assertError(await api('resp', 'POST', `/api/police-protection/${pp.id}/notifications`, { whom: 'parents', informed: false }),
            422, 'missing_field', 'reason');
        assertError(await api('resp', 'POST', `/api/police-protection/${pp.id}/notifications`, { whom: 'child' }), 422, 'missing_field', 'views');
        assertError(await api('resp', 'POST', `/api/police-protection/${pp.id}/notifications`, { whom: 'la', at: '2020-01-01T00:00:00Z' }),
            422, 'invalid_field', 'at');
        assertError(await api('sup', 'POST', `/api/police-protection/${pp.id}/inquiry`, { text: 'x', decision: 'release_to_parents' }),
            409, 'no_designated_officer');
        assertError(await api('resp', 'GET', '/api/police-protection?status=lost'), 422, 'invalid_enum', 'status');
        assertError(await api('resp', 'GET', '/api/police-protection/999999'), 404, 'not_found');
        // The schema refuses what the domain refuses.
        assert.throws(() => sqlite(srv.dbPath, `UPDATE police_protection SET designated_officer_id = initiating_officer_id WHERE id = ${pp.id}`), /CHECK constraint|violates check constraint/);
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM protection_event'), /append-only/);
        assert.throws(() => sqlite(srv.dbPath, 'UPDATE protection_event SET text = 1'), /append-only/);
    });

    test('late notifications become overdue tasks for the right people; the expiry alarm reaches the inspector', async () => {
        const c = await child();
        const pp = await open(c.id, { designated_officer_id: uid.sup });
        advance(2 * HOUR + MIN);
        const mine = (await work('resp')).filter((t) => t.record_type === 'police_protection' && t.record_id === pp.id);
        assert.deepEqual(mine.filter((t) => t.overdue).map((t) => [t.rule, t.why]).sort(),
            [['protection.inform_child', 'yours'], ['protection.inform_la', 'yours'], ['protection.inform_parents', 'yours']]);
        const sup = (await work('sup')).filter((t) => t.record_id === pp.id && t.record_type === 'police_protection');
        assert.ok(sup.some((t) => t.rule === 'protection.inform_la' && t.why === 'overdue in your team'));
        assert.equal((await work('resp2')).some((t) => t.record_id === pp.id && t.record_type === 'police_protection'), false);
        advance(70 * HOUR);
        const insp = (await work('insp')).filter((t) => t.record_id === pp.id && t.record_type === 'police_protection');
        const alarm = insp.find((t) => t.rule === 'protection.expiry');
        assert.ok(alarm, JSON.stringify(insp));
        assert.deepEqual([alarm.overdue, alarm.due_at], [true, pp.expires_at]);
        assert.ok(insp.some((t) => t.rule === 'protection.release_or_epo' && t.overdue));
        const g = (await api('resp', 'GET', `/api/police-protection/${pp.id}`)).json;
        assert.deepEqual([g.clock.expired, g.clock.remaining_minutes <= 0], [true, true]);
        await post('resp', pp.id, 'release', { released_to: 'Grandmother' });
        assert.equal((await work('insp')).some((t) => t.record_id === pp.id && t.rule === 'protection.expiry'), false);
    });

    test('readily accessible: on the child\'s record, on incidents at the same address, a one-page PDF, a referral', async () => {
        const c = await child();
        const mkInc = async () => {
            const r = await api('ch', 'POST', '/api/incidents', {
                location: '7 Harbour Row', postcode: 'EA1 7HR', nature: 'child_concern',
                persons: [{ person_id: c.id, role: 'child_present' }],
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const inc = await mkInc();
        const pp = await open(c.id, { incident_id: inc.id, designated_officer_id: uid.sup });
        assert.equal(pp.incident_reference, inc.reference);
        const later = await mkInc();
        const g = (await api('ch', 'GET', `/api/incidents/${later.id}`)).json;
        assert.deepEqual(g.police_protection.map((x) => [x.reference, x.status, x.expires_at, x.same_incident]),
            [[pp.reference, 'in_protection', pp.expires_at, false]]);
        const own = (await api('ch', 'GET', `/api/incidents/${inc.id}`)).json;
        assert.equal(own.police_protection[0].same_incident, true);
        const mine = (await api('ch', 'GET', `/api/people/${c.id}/protection`)).json;
        assert.deepEqual([mine.active, mine.cases[0].reference], [1, pp.reference]);
        // The PDF: one A4 page.
        const pdf = await api('sup', 'GET', `/api/police-protection/${pp.id}/summary.pdf`);
        assert.equal(pdf.status, 200);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        assert.match(pdf.text.slice(0, 8), /^%PDF-/);
        assert.equal((pdf.text.match(/\/Type\s*\/Page[^s]/g) || []).length, 1);
        assert.match(pdf.text, /\/MediaBox \[ ?0 0 595 842 ?\]/);
        // The referral, drafted and linked.
        const r = await api('resp', 'POST', `/api/police-protection/${pp.id}/referrals`, {});
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(r.json.referrals.map((x) => x.id), [r.json.referral_id]);
        const ref = (await api('sup', 'GET', `/api/referrals/${r.json.referral_id}`)).json;
        assert.equal(ref.person_id, c.id);
        assert.equal(ref.urgency, 'immediate');
        assert.match(ref.summary, new RegExp(pp.reference));
        // Released: no longer on the incident at that address.
        await post('resp', pp.id, 'release', { released_to: 'Mother' });
        assert.deepEqual((await api('ch', 'GET', `/api/incidents/${later.id}`)).json.police_protection, []);
        assertError(await api('partner', 'GET', `/api/people/${c.id}/protection`), 403, 'forbidden');
    });

    test('a referral drafted from a case, once sent, is on the case: its timeline and the referral\'s status', async () => {
        const c = await child();
        const pp = await open(c.id, { designated_officer_id: uid.sup });
        await post('resp', pp.id, 'notifications', { whom: 'child', views: 'Wants his dad' });
        const ag = await api('admin', 'POST', '/api/agencies', { name: 'PP Children\'s Services', kind: 'childrens_social_care' });
        assert.equal(ag.status, 201, ag.text);
        const agency = ag.json.agencies.find((a) => a.name === 'PP Children\'s Services').id;
        const drafted = await post('resp', pp.id, 'referrals', {}, 201);
        const refId = drafted.referral_id;
        const call = async (who, method, path, body) => {
            const r = await api(who, method, path, body);
            assert.equal(r.status, 200, r.text);
            return r.json;
        };
        let r = await call('resp', 'GET', `/api/referrals/${refId}`);
        assert.equal(r.child_voice, 'Wants his dad');
        r = await call('resp', 'PATCH', `/api/referrals/${refId}`, {
            version: r.version, consent: 'not_sought', consent_reason: 'Sharing protects the child from significant harm',
            agencies: [{ id: agency }],
        });
        r = await call('resp', 'POST', `/api/referrals/${refId}/submit`, { version: r.version });
        let g = (await api('resp', 'GET', `/api/police-protection/${pp.id}`)).json;
        assert.deepEqual(g.referrals.map((x) => [x.id, x.status, x.sent_at]), [[refId, 'submitted', null]]);
        // Released before the referral goes: the case still records it.
        advance(30 * MIN);
        await post('resp', pp.id, 'release', { released_to: 'Father' });
        advance(30 * MIN);
        r = await call('hub', 'POST', `/api/referrals/${refId}/review`, { version: r.version, decision: 'approve' });
        assert.equal(r.status, 'sent');
        g = (await api('resp', 'GET', `/api/police-protection/${pp.id}`)).json;
        assert.deepEqual(g.referrals.map((x) => [x.id, x.reference, x.status, x.sent_at]), [[refId, r.reference, 'sent', iso(now)]]);
        const last = g.timeline.at(-1);
        assert.deepEqual([last.kind, last.at, last.text], ['referral', iso(now), `Referral ${r.reference} sent to children's social care`]);
        assert.deepEqual(g.timeline.map((e) => e.kind), ['initiated', 'designated', 'child_informed', 'referral', 'released', 'referral']);
        assert.equal(g.status, 'released');
        // A referral from elsewhere adds nothing to the case.
        const other = await api('resp', 'POST', '/api/referrals', {
            person_id: c.id, categories: ['neglect'], summary: 'Unrelated', child_voice: 'Seen', risk_view: 'Low',
            consent: 'given', agencies: [{ id: agency }],
        });
        assert.equal(other.status, 201, other.text);
        const sub = await call('resp', 'POST', `/api/referrals/${other.json.id}/submit`, { version: other.json.version });
        await call('hub', 'POST', `/api/referrals/${other.json.id}/review`, { version: sub.version, decision: 'approve' });
        const again = (await api('resp', 'GET', `/api/police-protection/${pp.id}`)).json;
        assert.equal(again.timeline.length, g.timeline.length);
    });

    test('the child\'s views become their voice of the child on the incident where the power was used', async () => {
        const c = await child();
        const sib = await child();
        const inc = await api('ch', 'POST', '/api/incidents', {
            location: '3 Voice Lane', nature: 'child_concern',
            persons: [{ person_id: c.id, role: 'child_present' }, { person_id: sib.id, role: 'child_present' }],
        });
        assert.equal(inc.status, 201, inc.text);
        const incId = inc.json.id;
        // The attending officer already recorded the sibling's voice.
        const v = await api('resp', 'PUT', `/api/incidents/${incId}/voice/${sib.id}`,
            { seen: true, spoken_to: true, words: 'Mum shouts a lot', views_wishes: 'Wants to stay together' });
        assert.equal(v.status, 200, v.text);
        // No voice yet for c: the views become it.
        const pp = await open(c.id, { incident_id: incId });
        let r = await post('resp', pp.id, 'notifications', { whom: 'child', views: 'I want my nan' });
        assert.match(r.timeline.at(-1).text, /Their views: I want my nan \(recorded as the voice of the child on the incident\)$/);
        let g = (await api('ch', 'GET', `/api/incidents/${incId}`)).json;
        const mine = g.children.find((x) => x.person_id === c.id);
        assert.deepEqual([mine.voice_recorded, mine.voice.seen, mine.voice.spoken_to, mine.voice.words, mine.voice.recorded_at],
            [true, true, true, 'I want my nan', iso(now)]);
        assert.ok(g.log.some((l) => l.entry === `Voice of the child recorded for person ${c.id} from police protection ${pp.reference}`));
        // A referral drafted from the incident carries it.
        const ref = await api('resp', 'POST', `/api/incidents/${incId}/referrals`, { person_id: c.id });
        assert.equal(ref.status, 201, ref.text);
        assert.match(ref.json.child_voice, /In their own words: I want my nan/);
        // The sibling's record stands; the case's views join it, naming the case.
        const pp2 = await open(sib.id, { incident_id: incId });
        await post('resp', pp2.id, 'notifications', { whom: 'child', views: 'Scared but OK' });
        g = (await api('ch', 'GET', `/api/incidents/${incId}`)).json;
        const theirs = g.children.find((x) => x.person_id === sib.id).voice;
        assert.equal(theirs.words, 'Mum shouts a lot');
        assert.equal(theirs.views_wishes, `Wants to stay together | Police protection ${pp2.reference} (${iso(now)}): Scared but OK`);
        // A child not on the incident, or a case with no incident: nothing on incidents; the case keeps the views.
        const lone = await child();
        const pp3 = await open(lone.id, { incident_id: incId });
        r = await post('resp', pp3.id, 'notifications', { whom: 'child', views: 'Quiet' });
        assert.doesNotMatch(r.timeline.at(-1).text, /recorded as the voice/);
        assert.equal(r.notifications.child.views, 'Quiet');
        assert.equal(sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM voice_of_child WHERE person_id = ${lone.id}`)[0].n, 0);
    });

    test('opportunities: a child at immediate risk and no protection asks a supervisor for a decision', async () => {
        const c = await child();
        const mk = async (loc) => {
            const r = await api('ch', 'POST', '/api/incidents', {
                location: loc, nature: 'child_concern', persons: [{ person_id: c.id, role: 'child_present' }],
            });
            assert.equal(r.status, 201, r.text);
            const t = await api('ch', 'POST', `/api/incidents/${r.json.id}/thrive`, { ...THRIVE, child_immediate_risk: true });
            assert.equal(t.status, 200, t.text);
            return t.json;
        };
        const a = await mk('1 Opportunity Lane');
        const task1 = a.tasks.find((t) => t.rule === 'incident.protection_decision');
        assert.ok(task1, JSON.stringify(a.tasks));
        assert.equal(task1.due_at, iso(now + HOUR));
        assert.ok((await work('sup')).some((t) => t.record_id === a.id && t.rule === 'incident.protection_decision'));
        assertError(await api('ch', 'POST', `/api/incidents/${a.id}/protection-decision`, { used: false, reason: 'x' }), 403, 'forbidden');
        assertError(await api('sup', 'POST', `/api/incidents/${a.id}/protection-decision`, { used: false }), 422, 'missing_field', 'reason');
        const r = await api('sup', 'POST', `/api/incidents/${a.id}/protection-decision`,
            { used: false, reason: 'Grandmother arrived and took the child home safely' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.tasks.some((t) => t.rule === 'incident.protection_decision'), false);
        assert.throws(() => sqlite(srv.dbPath, 'UPDATE protection_decision SET reason = 1'), /append-only/);
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM protection_decision'), /append-only/);
        // A case linked to the incident answers it too.
        const b = await mk('2 Opportunity Lane');
        assert.ok(b.tasks.some((t) => t.rule === 'incident.protection_decision'));
        await open(c.id, { incident_id: b.id });
        const gb = (await api('ch', 'GET', `/api/incidents/${b.id}`)).json;
        assert.equal(gb.tasks.some((t) => t.rule === 'incident.protection_decision'), false);
    });

    test('measures for recommendation 6: known answers for one area', async () => {
        tok.west = makeUser(srv.dbPath, 'ppwest', ['response_officer'], { team: 'West', area: 'West' });
        tok.wsup = makeUser(srv.dbPath, 'ppwsup', ['supervisor'], { team: 'West', area: 'West' });
        const wsup = sqlite(srv.dbPath, "SELECT id FROM app_user WHERE username = 'ppwsup'")[0].id;
        const start = now;
        const mkw = async (extra) => {
            const c = await child();
            return open(c.id, { designated_officer_id: wsup, ...extra }, 'west');
        };
        // A: everything in time, foster carer, released in 30 h.
        const a = await mkw({ place_kind: 'foster_carer', place_detail: 'Carer' });
        await post('west', a.id, 'notifications', { whom: 'la' });
        await post('west', a.id, 'notifications', { whom: 'parents', detail: 'Mother by phone' });
        await post('west', a.id, 'notifications', { whom: 'child', views: 'Wants to go home' });
        // B: a police station; LA told after 3 hours (late); kept past 72 hours.
        const b = await mkw({ place_kind: 'police_station', place_detail: 'West station', place_reason: 'Exceptional' });
        advance(3 * HOUR);
        await post('west', b.id, 'notifications', { whom: 'la' });
        await post('west', b.id, 'notifications', { whom: 'parents', detail: 'Father' });
        await post('west', b.id, 'notifications', { whom: 'child', views: 'Quiet' });
        // C: no place yet, nothing told; still within nothing after 3 h (late).
        const c = await mkw({});
        advance(27 * HOUR);
        await post('west', a.id, 'release', { released_to: 'Mother' });
        // An opportunity decided on time and one missed.
        const opp = async (loc) => {
            const kid = await child();
            const r = await api('west', 'POST', '/api/incidents', {
                location: loc, nature: 'child_concern', persons: [{ person_id: kid.id, role: 'child_present' }],
            });
            assert.equal(r.status, 201, r.text);
            const t = await api('west', 'POST', `/api/incidents/${r.json.id}/thrive`, { ...THRIVE, child_immediate_risk: true });
            assert.equal(t.status, 200, t.text);
            return r.json;
        };
        const o1 = await opp('1 West Lane');
        await opp('2 West Lane');
        advance(30 * MIN);
        const d = await api('wsup', 'POST', `/api/incidents/${o1.id}/protection-decision`, { used: false, reason: 'Safe with aunt' });
        assert.equal(d.status, 200, d.text);
        advance(50 * HOUR); // B and C pass 72 hours unreleased; the second opportunity is overdue
        const q = `?area=West&from=${iso(start).slice(0, 10)}&to=${iso(now).slice(0, 10)}`;
        const r = await api('sup', 'GET', `/api/assurance${q}`);
        assert.equal(r.status, 200, r.text);
        const r6 = r.json.recommendations.find((x) => x.number === 6);
        const m = (k) => { const x = r6.measures.find((y) => y.key === k); assert.ok(x, k); return [x.numerator, x.denominator]; };
        assert.deepEqual(m('r6_notified_on_time'), [1, 3], 'A on time; B late; C never told');
        assert.deepEqual(m('r6_within_72h'), [1, 3], 'A released in 30 h; B and C past 72 h');
        assert.deepEqual(m('r6_police_station'), [1, 2], 'B of A and B (C has no place)');
        assert.deepEqual(m('r6_opportunities_reviewed'), [1, 2]);
        assert.equal(r6.measures.find((y) => y.key === 'r6_police_station').rag, 'red', 'lower is better');
        assert.ok(c.id && b.id);
        const board = await api('board', 'GET', `/api/assurance${q}`);
        assert.doesNotMatch(board.text, /Pia\d|PP-20/);
        assertError(await api('board', 'GET', '/api/police-protection'), 403, 'forbidden');
    });
});
