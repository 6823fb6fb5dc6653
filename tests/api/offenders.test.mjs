// offenders.test.mjs — registered sex offender management (DOMAIN.md R7)
// through the API: the notification period derived from each conviction
// (the whole table, halved under 18, indefinite with its review date),
// notification deadlines and the breaches missed ones are, visit scheduling
// from the plan's frequency or the risk level's fallback, a risk-level change
// prompting a plan review, reactive management and the intelligence that
// triggers its review, a child living with an offender linked with a task for
// the child's area, the local officers' briefing and its area isolation,
// recording quality, validation errors naming fields, and the
// recommendation 7 measures with known answers.
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time. It only moves forward; each test uses its own people.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-07-01T09:00:00Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('registered sex offenders: records, clocks, briefings and measures', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    const uid = {};
    let seq = 0;
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    const rules = (o) => o.tasks.map((t) => t.rule).sort();
    const task = (o, rule) => o.tasks.find((t) => t.rule === rule);
    const work = async (who) => (await api(who, 'GET', '/api/work')).json.tasks;

    async function person(extra = {}) {
        seq++;
        return createPerson(srv, {
            given_name: `Rex${seq}`, family_name: `Register${seq}`, dob: '1980-03-04', confirmed_new: true, ...extra,
        });
    }
    const CAUTION = { offence: 'Exposure', convicted_on: '2026-05-01', disposal: 'caution' };
    async function register(extra = {}, who = 'om') {
        const p = await person(extra.personExtra);
        delete extra.personExtra;
        const r = await api(who, 'POST', '/api/offenders', {
            person_id: p.id, registered_on: '2026-06-01', offender_manager_id: uid.om, area: 'East',
            convictions: [CAUTION], ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    const post = async (id, what, body, status = 200, who = 'om') => {
        const r = await api(who, 'POST', `/api/offenders/${id}/${what}`, body);
        assert.equal(r.status, status, r.text);
        return r.json;
    };

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        const mk = (name, roles, opts) => {
            tok[name] = makeUser(srv.dbPath, `of${name}`, roles, opts);
            uid[name] = sqlite(srv.dbPath, `SELECT id FROM app_user WHERE username = 'of${name}'`)[0].id;
        };
        mk('om', ['offender_manager'], { team: 'MOSOVO', area: 'HQ' });
        mk('sup', ['supervisor'], { team: 'MOSOVO', area: 'HQ' });
        mk('east', ['response_officer'], { team: 'East response', area: 'East' });
        mk('west', ['response_officer'], { team: 'West response', area: 'West' });
        mk('hub', ['safeguarding_hub'], { team: 'East', area: 'East' });
        mk('board', ['assurance_board']);
        mk('mid', ['offender_manager'], { team: 'Mid MOSOVO', area: 'Mid' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('the notification period: derived from each conviction with its rule, halved under 18, indefinite with its review', async () => {
        // Born 2000-01-01: 16 in 2016, 20 in 2020.
        const o = await register({
            personExtra: { dob: '2000-01-01' },
            registered_on: '2021-01-04',
            convictions: [
                { offence: 'A', convicted_on: '2020-06-01', disposal: 'custody', custody_months: 30 },
                { offence: 'B', convicted_on: '2020-06-01', disposal: 'custody', custody_months: 29 },
                { offence: 'C', convicted_on: '2020-06-01', disposal: 'custody', custody_months: 7 },
                { offence: 'D', convicted_on: '2020-06-01', disposal: 'custody', custody_months: 6 },
                { offence: 'E', convicted_on: '2020-06-01', disposal: 'caution' },
                { offence: 'F', convicted_on: '2020-06-01', disposal: 'other' },
                { offence: 'G', convicted_on: '2016-06-01', disposal: 'custody', custody_months: 12 },
                { offence: 'H', convicted_on: '2016-06-01', disposal: 'custody', custody_months: 6 },
                { offence: 'I', convicted_on: '2016-06-01', disposal: 'caution' },
                { offence: 'J', convicted_on: '2016-06-01', disposal: 'custody', custody_months: 36 },
            ],
        });
        const p = Object.fromEntries(o.convictions.map((c) => [c.offence, c.notification_period]));
        assert.equal(p.A.indefinite, true);
        assert.match(p.A.rule, /^indefinite: custody of 30 months or more; reviewable after 15 years/);
        assert.equal(p.A.review_on, '2036-01-04', '15 years from registration');
        assert.deepEqual([p.B.years, p.C.years, p.D.years, p.E.years, p.F.years], [10, 10, 7, 2, 5]);
        assert.equal(p.B.rule, '10 years: custody of more than 6 and under 30 months (SOA 2003 s82)');
        assert.equal(p.D.rule, '7 years: custody of 6 months or less (SOA 2003 s82)');
        assert.equal(p.E.rule, '2 years: a caution (SOA 2003 s82)');
        assert.equal(p.E.ends_on, '2022-06-01');
        // Under 18 at conviction: finite periods halved; indefinite reviewable after 8 years.
        assert.deepEqual([p.G.years, p.H.years, p.I.years], [5, 3.5, 1]);
        assert.match(p.H.rule, /^3\.5 years: custody of 6 months or less, 7 years halved as under 18 at conviction/);
        assert.equal(p.H.ends_on, '2019-12-01');
        assert.equal(p.J.indefinite, true);
        assert.match(p.J.rule, /reviewable after 8 years as under 18 at conviction/);
        assert.equal(o.convictions.find((c) => c.offence === 'G').age_at_conviction, 16);
        // The record's period: indefinite wins; the earliest review date.
        assert.equal(o.notification_period.indefinite, true);
        assert.equal(o.notification_period.review_on, '2029-01-04', 'J: 8 years from registration');
        assert.equal(o.notification_period.in_force, true);
        // The person flag follows the record.
        const pr = await api('om', 'GET', `/api/people/${o.person_id}`);
        const flag = pr.json.flags.find((f) => f.flag === 'registered_sex_offender');
        assert.deepEqual([flag.valid_from, flag.valid_to], ['2021-01-04', null]);
        assert.match(o.reference, /^RSO-2026-\d{6}$/);
        // A finite record: the flag ends with the period.
        const f = await register({ convictions: [{ offence: 'K', convicted_on: '2026-05-01', disposal: 'custody', custody_months: 4 }] });
        assert.deepEqual([f.notification_period.years, f.notification_period.ends_on], [7, '2033-05-01']);
        const flags = (await api('om', 'GET', `/api/people/${f.person_id}`)).json.flags;
        assert.equal(flags.find((x) => x.flag === 'registered_sex_offender').valid_to, '2033-05-01');
        // Audited, and one record per person; the flag is a change to the person's record, so the
        // person's own trail shows it (one update per version step).
        assert.deepEqual(sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'offender' AND record_id = ${o.id}`)
            .map((a) => a.action), ['create']);
        const personAudit = (id) => sqlite(srv.dbPath, `SELECT a.action, a.detail, a.route, u.username FROM audit_log a`
            + ` JOIN app_user u ON u.id = a.user_id WHERE a.record_type = 'person' AND a.record_id = ${id}`
            + " AND a.action IN ('create', 'update') ORDER BY a.id");
        let pa = personAudit(o.person_id);
        assert.deepEqual(pa.map((a) => [a.action, a.route]), [['create', 'POST /api/people'], ['update', 'POST /api/offenders']]);
        assert.deepEqual([pa[1].username, JSON.parse(pa[1].detail)], ['ofom', { flag: 'registered_sex_offender', offender_id: o.id }]);
        assert.equal(pr.json.version, 2, 'one version step, one update entry');
        await post(f.id, 'convictions', { offence: 'L', convicted_on: '2026-06-01', disposal: 'custody', custody_months: 12 });
        pa = personAudit(f.person_id);
        assert.deepEqual(pa.map((a) => a.route), ['POST /api/people', 'POST /api/offenders', 'POST /api/offenders/{id}/convictions']);
        assert.equal((await api('om', 'GET', `/api/people/${f.person_id}`)).json.version, 3);
        assertError(await api('om', 'POST', '/api/offenders', {
            person_id: o.person_id, registered_on: '2026-06-01', convictions: [CAUTION],
        }), 409, 'already_registered', 'person_id');
    });

    test('validation errors name the field, and a refused request changes nothing', async () => {
        const p = await person();
        const base = { person_id: p.id, registered_on: '2026-06-01', convictions: [CAUTION] };
        const count = () => sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM offender')[0].n;
        const before = count();
        assertError(await api('om', 'POST', '/api/offenders', { ...base, convictions: [] }), 422, 'missing_field', 'convictions');
        assertError(await api('om', 'POST', '/api/offenders', {
            ...base, convictions: [CAUTION, { offence: 'X', convicted_on: '2026-01-01', disposal: 'custody' }],
        }), 422, 'missing_field', 'convictions[1].custody_months');
        assertError(await api('om', 'POST', '/api/offenders', {
            ...base, convictions: [{ ...CAUTION, age_at_conviction: 30 }],
        }), 422, 'invalid_field', 'convictions[0].age_at_conviction');
        assertError(await api('om', 'POST', '/api/offenders', { ...base, registered_on: '2026-07-02' }), 422, 'invalid_field', 'registered_on');
        assertError(await api('om', 'POST', '/api/offenders', { ...base, shoe_size: 9 }), 422, 'unknown_field', 'shoe_size');
        assertError(await api('om', 'POST', '/api/offenders', { ...base, mappa_level: 4 }), 422, 'invalid_field', 'mappa_level');
        const nodob = await person({ dob: null });
        assertError(await api('om', 'POST', '/api/offenders', { ...base, person_id: nodob.id }), 422, 'missing_field',
            'convictions[0].age_at_conviction');
        assert.equal(count(), before);
        const o = await register();
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/visits`, { kind: 'announced', done_on: '2026-06-30' }),
            422, 'missing_field', 'findings');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/visits`, { kind: 'announced' }), 422, 'missing_field', 'planned_on');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/notifications`, { kind: 'travel', detail: 'Spain' }),
            422, 'missing_field', 'event_on');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/notifications`, { kind: 'household_child', detail: 'x' }),
            422, 'missing_field', 'line1');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/risk-assessments`, { level: 'extreme', summary: 'x' }),
            422, 'invalid_field', 'level');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/orders`, {
            kind: 'shpo', made_on: '2026-06-01', expires_on: '2026-05-01', conditions: ['No contact with children'],
        }), 422, 'invalid_field', 'expires_on');
        // Only offender managers register; response officers cannot read records.
        assertError(await api('east', 'POST', '/api/offenders', base), 403, 'forbidden');
        assertError(await api('east', 'GET', `/api/offenders/${o.id}`), 403, 'forbidden');
    });

    test('notification deadlines: 3 days, travel 7 days before departure, annual and weekly; missed deadlines are breaches', async () => {
        let o = await register();
        assert.deepEqual(o.notification_due, { kind: 'initial', due_on: '2026-06-04', overdue: true });
        assert.ok(rules(o).includes('offender.notification_due'));
        o = await post(o.id, 'notifications', {
            kind: 'home_address', detail: 'Moved', event_on: '2026-06-20', notified_on: '2026-06-23',
            line1: '9 Quiet Lane', postcode: 'EX9 9ZZ',
        });
        o = await post(o.id, 'notifications', { kind: 'name', detail: 'Now uses "Rick"', event_on: '2026-06-20', notified_on: '2026-06-24' });
        o = await post(o.id, 'notifications', { kind: 'travel', detail: 'Flight to Spain', event_on: '2026-07-05', notified_on: '2026-07-01' });
        o = await post(o.id, 'notifications', {
            kind: 'travel', detail: 'Family funeral abroad', event_on: '2026-07-03', notified_on: '2026-07-01',
            reasonable_excuse: 'Bereavement, travel booked the day before',
        });
        const n = o.notifications.map((x) => [x.kind, x.deadline_on, x.late]);
        assert.deepEqual(n, [['home_address', '2026-06-23', false], ['name', '2026-06-23', true],
            ['travel', '2026-06-28', true], ['travel', '2026-06-26', true]]);
        assert.deepEqual(o.breaches.map((b) => [b.kind, b.occurred_on]),
            [['late_notification', '2026-06-23'], ['late_notification', '2026-06-28']], 'the excused one is no breach');
        assert.equal(o.notified_details.addresses.length, 1);
        assert.equal(o.notified_details.names[0].detail, 'Now uses "Rick"');
        assert.equal(o.notified_details.travel.length, 2);
        // Annual from the last notification that moves the anniversary (travel does not).
        assert.deepEqual(o.notification_due, { kind: 'annual', due_on: '2027-06-24', overdue: false });
        // No sole or main residence: weekly.
        o = await post(o.id, 'details', { no_fixed_abode: true });
        assert.deepEqual(o.notification_due, { kind: 'weekly', due_on: '2026-07-01', overdue: false });
        assert.equal(task(o, 'offender.notification_due').due_at, '2026-07-01T23:00:00Z', 'the end of the UK day');
        setClock(now + 2 * DAY);
        o = (await api('om', 'GET', `/api/offenders/${o.id}`)).json;
        assert.equal(o.notification_due.overdue, true);
        const mine = (await work('om')).find((t) => t.rule === 'offender.notification_due' && t.record_id === o.id);
        assert.equal(mine.overdue, true);
        assert.equal(mine.href, `/offenders/${o.id}`);
        // A weekly notification made late: breach, and the next week runs from it.
        o = await post(o.id, 'notifications', { kind: 'weekly', detail: 'Sleeping at the night shelter' });
        assert.deepEqual(o.notifications.at(-1).deadline_on, '2026-07-01');
        assert.equal(o.breaches.length, 3);
        assert.deepEqual(o.notification_due, { kind: 'weekly', due_on: '2026-07-10', overdue: false });
        const q = (await api('om', 'GET', `/api/offenders/${o.id}/quality`)).json;
        assert.ok(q.issues.some((i) => i.code === 'notifications_late' && /3 notifications/.test(i.message)), JSON.stringify(q));
    });

    test('visits: the plan sets the frequency, else the risk level\'s fallback; overdue visits reach My work and escalate', async () => {
        let o = await register();
        // Unassessed: treated as very high until assessed (1 month).
        assert.deepEqual([o.plan.visit_every_months, o.plan.visit_frequency_from, o.next_visit.due_on], [1, 'fallback', '2026-07-01']);
        o = await post(o.id, 'risk-assessments', { level: 'medium', assessed_on: '2026-06-10', summary: 'ARMS' });
        assert.deepEqual([o.plan.visit_every_months, o.next_visit.due_on], [6, '2026-12-01']);
        assert.deepEqual([o.risk.level, o.risk.next_due_on], ['medium', '2027-06-10']);
        o = await post(o.id, 'plan', { visit_months: 2, summary: 'Plan agreed' });
        assert.deepEqual([o.plan.visit_every_months, o.plan.visit_frequency_from, o.next_visit.due_on], [2, 'plan', '2026-08-01']);
        o = await post(o.id, 'visits', { kind: 'unannounced', done_on: '2026-07-02', findings: 'Seen alone; flat tidy' });
        assert.deepEqual([o.visits[0].status, o.visits[0].due_on, o.visits[0].risk_level], ['done', '2026-08-01', 'medium']);
        assert.equal(o.next_visit.due_on, '2026-09-02');
        assert.equal(task(o, 'offender.visit').due_at, '2026-09-02T23:00:00Z');
        // A planned visit, then its outcome; no access is not a visit.
        o = await post(o.id, 'visits', { kind: 'announced', planned_on: '2026-08-20' });
        const vid = o.visits.find((v) => v.status === 'planned').id;
        o = await post(o.id, `visits/${vid}/outcome`, { access: false, findings: 'No answer' });
        assert.equal(o.visits.find((v) => v.id === vid).status, 'no_access');
        assert.equal(o.next_visit.due_on, '2026-09-02');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/visits/${vid}/outcome`, { findings: 'x' }), 409, 'visit_recorded');
        // The plan sets none again: the medium fallback.
        o = await post(o.id, 'plan', { visit_months: null, summary: 'Back to the minimum' });
        assert.equal(o.next_visit.due_on, '2027-01-02');
        // Overdue: the offender manager's task, and the supervisor of the team sees it.
        const late = await register();
        setClock(Date.parse('2026-07-04T09:00:00Z'));
        const mine = (await work('om')).find((t) => t.rule === 'offender.visit' && t.record_id === late.id);
        assert.deepEqual([mine.overdue, mine.why], [true, 'yours']);
        const sup = (await work('sup')).find((t) => t.rule === 'offender.visit' && t.record_id === late.id);
        assert.deepEqual([sup.overdue, sup.why], [true, 'overdue in your team']);
        const q = (await api('om', 'GET', `/api/offenders/${late.id}/quality`)).json;
        assert.ok(q.issues.some((i) => i.code === 'visit_overdue' && i.severity === 'stale'));
    });

    test('a change of risk level prompts a plan review, answered by reviewing the plan', async () => {
        let o = await register({ photo_ref: 'CUST-1', mappa_category: 1 });
        o = await post(o.id, 'risk-assessments', { level: 'medium', summary: 'First ARMS' });
        assert.equal(o.plan.review_prompted_at, null, 'a first assessment is no change');
        o = await post(o.id, 'risk-assessments', { level: 'very_high', summary: 'New partner with children', next_due_on: '2026-10-01' });
        assert.equal(o.plan.review_reason, 'risk level changed from medium to very_high');
        assert.equal(o.plan.review_prompted_at, iso(now));
        assert.equal(task(o, 'offender.plan_review_change').due_at, iso(now + 14 * DAY));
        assert.equal(o.risk.next_due_on, '2026-10-01');
        let q = (await api('om', 'GET', `/api/offenders/${o.id}/quality`)).json;
        const codes = q.issues.map((i) => i.code);
        assert.ok(codes.includes('plan_review_prompted'));
        assert.ok(codes.includes('no_plan_frequency'), 'very high: the plan must set a frequency');
        assert.ok(codes.includes('no_mappa_level'));
        assert.ok(!codes.includes('no_photo'));
        assert.equal(q.issues.find((i) => i.code === 'no_plan_frequency').field, 'plan.visit_months');
        o = await post(o.id, 'plan', { visit_months: 1, summary: 'Monthly unannounced visits' });
        assert.equal(o.plan.review_prompted_at, null);
        assert.equal(o.plan_reviews.at(-1).reason, 'risk level changed from medium to very_high');
        assert.ok(!rules(o).includes('offender.plan_review_change'));
        q = (await api('om', 'GET', `/api/offenders/${o.id}/quality`)).json;
        assert.ok(!q.issues.some((i) => i.code === 'no_plan_frequency' || i.code === 'plan_review_prompted'));
        // The force-level list.
        const all = (await api('om', 'GET', '/api/offender-quality?area=East')).json;
        assert.ok(all.offenders_checked >= 1 && all.counts.no_mappa_level >= 1, JSON.stringify(all.counts));
    });

    test('reactive management: eligibility and decision; intelligence asks for an urgent review; its outcome is traceable', async () => {
        let o = await register();
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/management`, {
            eligible: false, decision: 'reactive', reason: 'x',
        }), 422, 'invalid_field', 'decision');
        o = await post(o.id, 'management', { eligible: true, criteria: 'Low risk, compliant 3 years', decision: 'reactive', reason: 'Meets criteria' });
        assert.equal(o.management, 'reactive');
        assert.equal(o.next_visit, null, 'no routine visits');
        assert.ok(!rules(o).includes('offender.visit'));
        o = await post(o.id, 'intelligence', { kind: 'contact_with_children', summary: 'Seen with a child at a park' });
        const intel = o.intelligence[0];
        assert.deepEqual([intel.urgency, intel.review_due_at, intel.management_at_time], ['urgent', iso(now + DAY), 'reactive']);
        assert.equal(task(o, 'offender.reactive_review_urgent').due_at, iso(now + DAY));
        o = await post(o.id, 'intelligence', { kind: 'failure_to_notify', summary: 'Bank card not notified' });
        assert.equal(task(o, 'offender.reactive_review_routine').due_at, iso(now + 7 * DAY));
        assert.equal(o.breaches.at(-1).kind, 'failure_to_notify');
        o = await post(o.id, `intelligence/${intel.id}/review`, { outcome: 'return_to_active', reason: 'Unsupervised contact: active again' });
        assert.equal(o.management, 'active');
        const dec = o.management_decisions.at(-1);
        assert.deepEqual([dec.decision, dec.intelligence_id, dec.reason], ['active', intel.id, 'Unsupervised contact: active again']);
        assert.equal(o.intelligence[0].outcome, 'return_to_active');
        assert.ok(!rules(o).includes('offender.reactive_review_urgent'));
        assert.ok(rules(o).includes('offender.visit'), 'routine visits again');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/intelligence/${intel.id}/review`, {
            outcome: 'stay_reactive', reason: 'x',
        }), 409, 'already_reviewed');
        // Under active management intelligence prompts a plan review instead.
        o = await post(o.id, 'intelligence', { kind: 'breach_of_order', summary: 'Used a second phone' });
        assert.equal(o.plan.review_reason, 'new intelligence: breach_of_order');
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/intelligence/${o.intelligence.at(-1).id}/review`, {
            outcome: 'stay_reactive', reason: 'x',
        }), 409, 'no_review_due');
    });

    test('living with a child: an address match or a household notification links the child, with a task for the child\'s area', async () => {
        const kid = await createPerson(srv, {
            given_name: 'Tia', family_name: 'Nearby', dob: '2018-02-02', confirmed_new: true,
            addresses: [{ line1: '5 Elm  Road', postcode: 'ex1 1aa' }],
        });
        let o = await register();
        o = await post(o.id, 'notifications', {
            kind: 'home_address', detail: 'New address', event_on: '2026-06-30', line1: '5 elm road', postcode: 'EX1 1AA',
        });
        assert.deepEqual(o.children.map((c) => [c.person_id, c.source, c.status]), [[kid.id, 'address_match', 'open']]);
        let links = (await api('hub', 'GET', `/api/people/${kid.id}/offender-links`)).json.links;
        assert.equal(links.length, 1);
        assert.deepEqual([links[0].offender_id, links[0].area, links[0].tasks[0].rule], [o.id, 'East', 'offender.child_safeguarding']);
        const t = (await work('hub')).find((x) => x.rule === 'offender.child_safeguarding' && x.person_id === kid.id);
        assert.ok(t, 'in the East hub\'s My work');
        assert.equal(t.due_at, iso(now + DAY));
        // A household notification naming a child links them directly; an adult is refused.
        const kid2 = await createPerson(srv, { given_name: 'Ola', family_name: 'Partnerchild', dob: '2015-05-05', confirmed_new: true });
        const adult = await person();
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/notifications`, {
            kind: 'household_child', detail: 'x', event_on: '2026-06-30', child_person_id: adult.id,
        }), 422, 'invalid_field', 'child_person_id');
        o = await post(o.id, 'notifications', {
            kind: 'household_child', detail: 'Partner\'s daughter stays weekends', event_on: '2026-06-29', child_person_id: kid2.id,
        });
        assert.equal(o.children.find((c) => c.person_id === kid2.id).source, 'household_notification');
        // The hub records what it did: the task closes.
        const r = await api('hub', 'POST', `/api/people/${kid.id}/offender-links/${links[0].id}/action`,
            { action: 'Strategy discussion requested with children\'s social care' });
        assert.equal(r.status, 200, r.text);
        links = r.json.links;
        assert.deepEqual([links[0].status, links[0].tasks.length], ['actioned', 0]);
        assertError(await api('east', 'GET', `/api/people/${kid.id}/offender-links`), 403, 'forbidden');
        // Registering an offender who already lives with a child links them at once.
        const kid3 = await createPerson(srv, {
            given_name: 'Bo', family_name: 'Samehouse', dob: '2020-01-01', confirmed_new: true,
            addresses: [{ line1: '7 Ash Close', postcode: 'EX2 2BB' }],
        });
        const o3 = await register({ personExtra: { addresses: [{ line1: '7 Ash Close', postcode: 'EX2 2BB' }] } });
        assert.deepEqual(o3.children.map((c) => c.person_id), [kid3.id]);
    });

    test('a child whose address is added or changed later through the people area is linked to an offender living there', async () => {
        const o = await register({ personExtra: { addresses: [{ line1: '3 Birch Walk', postcode: 'EX5 5BW' }] } });
        await post(o.id, 'notifications', {
            kind: 'home_address', detail: 'Moved', event_on: '2026-06-30', line1: '8 Larch Row', postcode: 'EX6 6LR',
        });
        // Created later at the offender's notified home address (written differently): linked at once.
        const kid = await createPerson(srv, {
            given_name: 'Ivy', family_name: 'Laterhouse', dob: '2019-09-09', confirmed_new: true,
            addresses: [{ line1: '8 larch  row', postcode: 'ex66lr' }],
        });
        let links = (await api('hub', 'GET', `/api/people/${kid.id}/offender-links`)).json.links;
        assert.deepEqual(links.map((l) => [l.offender_id, l.source, l.area, l.tasks[0].rule]),
            [[o.id, 'address_match', 'East', 'offender.child_safeguarding']]);
        assert.equal(links[0].tasks[0].href, `/people/${kid.id}/offender-links`, 'My work leads to the child\'s links');
        // Moved later to the address on the offender's person record: linked too, once.
        const kid2 = await createPerson(srv, {
            given_name: 'Rue', family_name: 'Latermove', dob: '2017-07-07', confirmed_new: true,
            addresses: [{ line1: '1 Far Away', postcode: 'EX9 1FA' }],
        });
        assert.equal((await api('hub', 'GET', `/api/people/${kid2.id}/offender-links`)).json.links.length, 0);
        const cur = (await api('om', 'GET', `/api/people/${kid2.id}`)).json;
        const r = await srv.api('PATCH', `/api/people/${kid2.id}`, {
            body: { version: cur.version, addresses: [{ line1: '3 birch walk', postcode: 'EX5 5BW' }] },
        });
        assert.equal(r.status, 200, r.text);
        links = (await api('hub', 'GET', `/api/people/${kid2.id}/offender-links`)).json.links;
        assert.deepEqual(links.map((l) => l.offender_id), [o.id]);
        const again = await srv.api('PATCH', `/api/people/${kid2.id}`, { body: { version: r.json.version, ethnicity: 'Not stated' } });
        assert.equal(again.status, 200, again.text);
        assert.equal((await api('hub', 'GET', `/api/people/${kid2.id}/offender-links`)).json.links.length, 1);
        // An adult, or an address nobody registered lives at, links nobody.
        const adult = await createPerson(srv, {
            given_name: 'Al', family_name: 'Lateradult', dob: '1990-01-01', confirmed_new: true,
            addresses: [{ line1: '8 Larch Row', postcode: 'EX6 6LR' }],
        });
        assert.equal(sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM offender_child_link WHERE child_person_id = ${adult.id}`)[0].n, 0);
        assert.deepEqual((await api('om', 'GET', `/api/offenders/${o.id}`)).json.children.map((c) => c.person_id).sort(),
            [kid.id, kid2.id].sort());
    });

    test('the pages\' data: the list\'s next visit, the record\'s quality, My work by risk, briefings an officer may open', async () => {
        const o = await register();
        await post(o.id, 'risk-assessments', { level: 'high', summary: 'ARMS' });
        const row = (await api('om', 'GET', '/api/offenders?area=East')).json.offenders.find((x) => x.id === o.id);
        const rec = (await api('om', 'GET', `/api/offenders/${o.id}`)).json;
        assert.deepEqual(row.next_visit, rec.next_visit);
        assert.deepEqual(rec.quality, (await api('om', 'GET', `/api/offenders/${o.id}/quality`)).json.issues);
        const w = (await api('om', 'GET', '/api/work')).json;
        const levels = w.offenders_by_risk.map((g) => g.risk_level);
        const order = ['very_high', null, 'high', 'medium', 'low'];
        assert.deepEqual(levels, [...levels].sort((a, b) => order.indexOf(a) - order.indexOf(b)), 'highest risk first');
        const high = w.offenders_by_risk.find((g) => g.risk_level === 'high');
        assert.equal(high.label, 'High risk');
        const visit = high.tasks.find((t) => t.record_id === o.id && t.rule === 'offender.visit');
        assert.deepEqual([visit.offender_reference, visit.risk_level, visit.href], [o.reference, 'high', `/offenders/${o.id}`]);
        assert.ok(w.tasks.some((t) => t.id === visit.id && t.risk_level === 'high'), 'the same task in the list');
        assert.equal((await api('east', 'GET', '/api/work')).json.offenders_by_risk.length, 0);
        // The briefings list: an officer who does not read offender records sees their own area only.
        const east = (await api('east', 'GET', '/api/offender-briefings')).json;
        assert.equal(east.your_area, 'East');
        assert.ok(east.briefings.every((b) => b.area === 'East' && b.yours && b.can_open), JSON.stringify(east));
        const sup = (await api('sup', 'GET', '/api/offender-briefings')).json.briefings;
        assert.ok(sup.every((b) => !b.can_open || b.yours), 'a supervisor opens only their own area\'s');
        assertError(await api('board', 'GET', '/api/offender-briefings'), 403, 'forbidden');
    });

    test('the local officers\' briefing: only that area\'s officers and offender managers, every view audited, refreshed with concerns', async () => {
        const o = await register({ photo_ref: 'CUST-77' });
        let r = await post(o.id, 'concerns', {
            risk_summary: 'High risk to girls aged 10-14', look_for: 'Near the leisure centre after school',
            if_seen: 'Note time and company; tell the offender manager',
        });
        const concern = r.concerns[0];
        assert.deepEqual([concern.area, concern.review_due_on], ['East', '2026-08-01']);
        assert.ok(rules(r).includes('offender.concern_review'));
        let b = await api('east', 'GET', '/api/offender-briefings/East');
        assert.equal(b.status, 200, b.text);
        const item = b.json.offenders.find((x) => x.offender_id === o.id);
        assert.deepEqual([item.photo_ref, item.look_for, item.if_seen], ['CUST-77', 'Near the leisure centre after school',
            'Note time and company; tell the offender manager']);
        assert.equal(b.json.current, true);
        const v1 = b.json.version;
        // Another area's officer: 403, audited.
        assertError(await api('west', 'GET', '/api/offender-briefings/East'), 403, 'not_your_area');
        assertError(await api('board', 'GET', '/api/offender-briefings/East'), 403, 'forbidden');
        assertError(await api('east', 'GET', '/api/offender-briefings/Nowhere'), 404, 'not_found');
        // Offender managers see every area's.
        assert.equal((await api('om', 'GET', '/api/offender-briefings/East')).status, 200);
        const audit = sqlite(srv.dbPath, "SELECT a.action, a.detail, u.username FROM audit_log a JOIN app_user u ON u.id = a.user_id"
            + " WHERE a.record_type = 'offender_briefing' AND a.route = 'GET /api/offender-briefings/{area}' ORDER BY a.id");
        assert.ok(audit.some((a) => a.username === 'ofeast' && a.action === 'read'
            && JSON.parse(a.detail).area === 'East' && JSON.parse(a.detail).offenders.includes(o.id)), JSON.stringify(audit));
        assert.ok(audit.some((a) => a.username === 'ofwest' && a.action === 'denied_area'));
        // The concern ends: the briefing is refreshed and no longer shows it.
        r = await post(o.id, `concerns/${concern.id}/end`, { reason: 'Moved out of the area' });
        assert.ok(!rules(r).includes('offender.concern_review'));
        b = await api('east', 'GET', '/api/offender-briefings/East');
        assert.ok(!b.json.offenders.some((x) => x.offender_id === o.id));
        assert.equal(b.json.version, v1 + 1);
        assertError(await api('om', 'POST', `/api/offenders/${o.id}/concerns/${concern.id}/review`, { note: 'x' }), 409, 'concern_ended');
        const list = (await api('om', 'GET', '/api/offender-briefings')).json.briefings;
        assert.ok(list.some((x) => x.area === 'East'));
    });

    test('measures for recommendation 7: known answers for one area', async () => {
        setClock(Date.parse('2026-07-05T09:00:00Z'));
        const mk = async (registered, level, assessedOn, nextDue) => {
            const p = await person();
            const r = await api('mid', 'POST', '/api/offenders', {
                person_id: p.id, registered_on: registered, offender_manager_id: uid.mid, area: 'Mid', convictions: [CAUTION],
            });
            assert.equal(r.status, 201, r.text);
            await post(r.json.id, 'plan', { visit_months: 1, summary: 'Monthly' }, 200, 'mid');
            await post(r.json.id, 'risk-assessments', { level, assessed_on: assessedOn, next_due_on: nextDue, summary: 'ARMS' }, 200, 'mid');
            return r.json;
        };
        // A: first assessment on time (May), the next due 15 June done 14 June; visit due 1 June done then.
        const a = await mk('2026-05-01', 'high', '2026-05-20', '2026-06-15');
        await post(a.id, 'risk-assessments', { level: 'high', assessed_on: '2026-06-14', summary: 'ARMS' }, 200, 'mid');
        await post(a.id, 'visits', { kind: 'announced', done_on: '2026-06-01', findings: 'Seen' }, 200, 'mid');
        // B: first assessment due 7 June, done 10 June (late); visit due 10 June, done 20 June (late).
        const b = await mk('2026-05-10', 'high', '2026-06-10', '2027-06-10');
        await post(b.id, 'visits', { kind: 'unannounced', done_on: '2026-06-20', findings: 'Seen' }, 200, 'mid');
        // C: assessed early with the next due 20 June, never again; visit due 5 June never done.
        const c = await mk('2026-05-05', 'low', '2026-05-06', '2026-06-20');
        assert.ok(c.id);
        // Reactive: D's urgent review done in 2 hours; E's routine review never done.
        const d = await mk('2026-05-01', 'low', '2026-05-02', '2027-05-02');
        const e = await mk('2026-05-01', 'low', '2026-05-02', '2027-05-02');
        for (const x of [d, e])
            await post(x.id, 'management', { eligible: true, criteria: 'Low risk', decision: 'reactive', reason: 'Criteria met' }, 200, 'mid');
        let r = await post(d.id, 'intelligence', { kind: 'contact_with_children', summary: 'Seen at a school gate' }, 200, 'mid');
        await post(e.id, 'intelligence', { kind: 'other', summary: 'Anonymous call', urgency: 'routine' }, 200, 'mid');
        // Briefing concerns: D's reviewed in time, E's never.
        r = await post(d.id, 'concerns', { risk_summary: 'r', look_for: 'l', if_seen: 'i' }, 200, 'mid');
        const dc = r.concerns[0].id;
        await post(e.id, 'concerns', { risk_summary: 'r', look_for: 'l', if_seen: 'i' }, 200, 'mid');
        setClock(now + 2 * HOUR);
        await post(d.id, `intelligence/${r.intelligence[0].id}/review`, { outcome: 'stay_reactive', reason: 'Collecting his nephew, agreed' }, 200, 'mid');
        setClock(now + 8 * DAY); // 13 July: E's routine review (due 12 July) is late
        await post(d.id, `concerns/${dc}/review`, { note: 'Still of concern' }, 200, 'mid');
        setClock(Date.parse('2026-08-05T09:00:00Z')); // both concerns were due 2 August
        const get = async (from, to) => {
            const res = await api('sup', 'GET', `/api/assurance?area=Mid&from=${from}&to=${to}`);
            assert.equal(res.status, 200, res.text);
            const r7 = res.json.recommendations.find((x) => x.number === 7);
            return (k) => { const m = r7.measures.find((y) => y.key === k); assert.ok(m, k); return [m.numerator, m.denominator]; };
        };
        const june = await get('2026-06-01', '2026-06-30');
        assert.deepEqual(june('r7_visits_on_time'), [1, 3], 'A on time; B late; C not done');
        assert.deepEqual(june('r7_visits_high'), [1, 2]);
        assert.deepEqual(june('r7_visits_low'), [0, 1]);
        assert.deepEqual(june('r7_visits_very_high'), [0, 0]);
        // Due in June: A's second (on time), B's first (late), C's first (due 2 June, done early)
        // and C's second (due 20 June, not done).
        assert.deepEqual(june('r7_risk_reviews_in_date'), [2, 4]);
        const summer = await get('2026-07-01', '2026-08-31');
        assert.deepEqual(summer('r7_reactive_reviews_in_time'), [1, 2], 'D within 24 hours; E past 7 days');
        // D's concern reviewed 13 July (due 2 August), then due 10 August (ahead); E's due 2 August missed.
        assert.deepEqual(summer('r7_briefings_current'), [1, 2]);
        const board = await api('board', 'GET', '/api/assurance?area=Mid&from=2026-06-01&to=2026-06-30');
        assert.doesNotMatch(board.text, /Rex\d|RSO-20/);
    });
});
