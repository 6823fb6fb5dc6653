// missing.test.mjs — missing children (DOMAIN.md R3) through the API: taking
// a report (child status, looked-after flag and Philomena profile from the
// person record), the review clock per risk level with escalation when a
// review is missed, risk changes rescheduling it, inspector oversight, the
// return, prevention interview, return home interview and exploitation
// indicators, closure rules, repeat-missing on the third episode, links by
// place, bad input, the append-only timeline and the R3 measures.
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time. It only moves forward; each test uses its own children and places.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('missing children: the episode, reviewed on time', () => {
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
            given_name: `Missy${seq}`, family_name: `Wanderer${seq}`, dob: '2011-03-04', confirmed_new: true, ...extra,
        });
    }
    /** A report taken by the coordinator; returns the episode. */
    async function report(personId, extra = {}) {
        const r = await api('coord', 'POST', '/api/missing', {
            person_id: personId, reported_by: 'Mother', reported_by_relationship: 'parent',
            last_seen_at: iso(now - HOUR), last_seen_location: 'Bus station', missing_from: `${seq} Willow Way`,
            circumstances: 'Did not return from school', risk: 'medium', risk_rationale: 'Age 15, first time',
            ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    const get = async (id, who = 'coord') => {
        const r = await api(who, 'GET', `/api/missing/${id}`);
        assert.equal(r.status, 200, r.text);
        return r.json;
    };
    const rules = (ep) => ep.tasks.map((t) => t.rule).sort();
    const task = (ep, rule) => ep.tasks.find((t) => t.rule === rule);
    const work = async (who) => (await api(who, 'GET', '/api/work')).json.tasks;

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 }); // seed: the inspection, for the measures
        tok.coord = makeUser(srv.dbPath, 'mcoord', ['missing_coordinator'], { team: 'West', area: 'West' });
        tok.sup = makeUser(srv.dbPath, 'msup', ['supervisor'], { team: 'West', area: 'West' });
        tok.insp = makeUser(srv.dbPath, 'minsp', ['inspector'], { team: 'West' });
        tok.ch = makeUser(srv.dbPath, 'mch', ['call_handler'], { team: 'West' });
        tok.partner = makeUser(srv.dbPath, 'mpartner', ['partner_agency'], { agency: 'Test LA' });
        tok.board = makeUser(srv.dbPath, 'mboard', ['assurance_board']);
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('a report: reference, child status, the review clock at the risk\'s interval, timeline, audit', async () => {
        const c = await child();
        const ep = await report(c.id, { risk: 'high', risk_rationale: 'Age 15, threats from older males' });
        assert.match(ep.reference, /^MIS-2026-\d{6}$/);
        assert.deepEqual([ep.status, ep.risk, ep.is_child, ep.person.given_name, ep.missing_for],
            ['missing', 'high', true, c.given_name, '1 h 0 min']);
        assert.deepEqual(rules(ep), ['missing.first_action_high', 'missing.inspector_oversight', 'missing.review_high']);
        assert.equal(task(ep, 'missing.review_high').due_at, iso(now + 2 * HOUR));
        assert.equal(task(ep, 'missing.first_action_high').due_at, iso(now + 30 * MIN));
        assert.deepEqual(ep.next_review, { due_at: iso(now + 2 * HOUR), overdue: false, overdue_for: '0 min' });
        assert.deepEqual(ep.timeline.map((e) => e.kind), ['report', 'risk_change']);
        assert.equal(ep.close_needs.length, 3);
        const audit = sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'missing_episode' AND record_id = ${ep.id}`);
        assert.deepEqual(audit.map((a) => a.action), ['create']);
        // The first action stops its clock.
        const r = await api('coord', 'POST', `/api/missing/${ep.id}/events`, { kind: 'enquiry', text: 'Called three friends' });
        assert.equal(r.status, 200, r.text);
        assert.equal(task(r.json, 'missing.first_action_high'), undefined);
        assert.equal(r.json.first_action_at, iso(now));
    });

    test('a missed high-risk review escalates: overdue in the supervisor\'s My work and the inspector\'s', async () => {
        const c = await child();
        const ep = await report(c.id, { risk: 'high', risk_rationale: 'Known to be with an adult of concern' });
        advance(2 * HOUR + MIN);
        const supTasks = (await work('sup')).filter((t) => t.record_id === ep.id && t.record_type === 'missing_episode');
        const review = supTasks.find((t) => t.rule === 'missing.review_high');
        assert.ok(review, JSON.stringify(supTasks));
        assert.deepEqual([review.overdue, review.why, review.href], [true, 'your role', `/missing/${ep.id}`]);
        const inspTasks = (await work('insp')).filter((t) => t.record_id === ep.id);
        assert.ok(inspTasks.find((t) => t.rule === 'missing.review_high' && t.why === 'overdue in your team'));
        assert.ok(inspTasks.find((t) => t.rule === 'missing.inspector_oversight' && t.overdue));
        // The call handler does not carry it.
        assert.equal((await work('ch')).some((t) => t.record_id === ep.id && t.rule === 'missing.review_high'), false);
        const g = await get(ep.id);
        assert.equal(g.next_review.overdue, true);
        const board = (await api('coord', 'GET', '/api/missing')).json;
        const row = board.episodes.find((e) => e.id === ep.id);
        assert.deepEqual([row.review_overdue, row.risk], [true, 'high']);
    });

    test('reviews: a late one is recorded late; a risk change reschedules; an inspector gives oversight', async () => {
        const c = await child();
        const ep = await report(c.id, { risk: 'high', risk_rationale: 'Vulnerable' });
        const t0 = now;
        advance(2 * HOUR + 30 * MIN); // 30 minutes late
        let r = await api('sup', 'POST', `/api/missing/${ep.id}/reviews`, { risk: 'low', rationale: 'Seen safe with grandmother' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.risk, 'low');
        assert.deepEqual(r.json.reviews.map((v) => [v.risk_before, v.risk, v.on_time, v.due_at]),
            [['high', 'low', false, iso(t0 + 2 * HOUR)]]);
        // Low risk: the next review 12 hours from this one; high-risk tasks gone.
        assert.deepEqual(rules(r.json), ['missing.first_action_low', 'missing.review_low']);
        assert.equal(task(r.json, 'missing.review_low').due_at, iso(now + 12 * HOUR));
        assert.match(r.json.timeline.at(-1).text, /Supervisor's review: risk lowered to low/);
        // Back up to high: review due 2 hours from the last review, and an inspector's oversight.
        advance(HOUR);
        r = await api('sup', 'POST', `/api/missing/${ep.id}/reviews`, { risk: 'high', rationale: 'Phone now off' });
        assert.equal(task(r.json, 'missing.review_high').due_at, iso(now + 2 * HOUR));
        assert.ok(task(r.json, 'missing.inspector_oversight'));
        advance(10 * MIN);
        r = await api('insp', 'POST', `/api/missing/${ep.id}/reviews`, { risk: 'high', rationale: 'Agreed; press appeal' });
        assert.equal(r.status, 200, r.text);
        assert.equal(task(r.json, 'missing.inspector_oversight'), undefined, 'oversight given');
        assert.equal(r.json.reviews.at(-1).by_inspector, true);
        assert.equal(r.json.reviews.at(-1).on_time, true);
        // Only supervisors and inspectors review.
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/reviews`, { risk: 'low', rationale: 'x' }), 403, 'forbidden');
        assertError(await api('sup', 'POST', `/api/missing/${ep.id}/reviews`, { risk: 'extreme', rationale: 'x' }), 422, 'invalid_field', 'risk');
    });

    test('the return, prevention interview with exploitation indicators, return home interview and closure', async () => {
        const c = await child();
        const ep = await report(c.id);
        advance(5 * HOUR);
        let r = await api('coord', 'POST', `/api/missing/${ep.id}/close`, { note: 'Too soon' });
        const refused = assertError(r, 409, 'cannot_close');
        assert.match(refused.message, /record the return.*prevention interview.*return home interview/);
        r = await api('coord', 'POST', `/api/missing/${ep.id}/return`,
            { location: 'Friend\'s flat, Sample Street', found_by: 'PC on patrol', state: 'safe_and_well' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'returned');
        assert.deepEqual(rules(r.json), ['missing.prevention_interview', 'missing.rhi_referral']);
        assert.equal(task(r.json, 'missing.prevention_interview').due_at, iso(now + DAY));
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/return`, { location: 'x', found_by: 'y', state: 'other' }),
            409, 'already_returned');
        advance(2 * HOUR);
        r = await api('coord', 'POST', `/api/missing/${ep.id}/prevention-interview`, {
            where_they_were: 'A flat in town', with_whom: 'Older boys', exploitation_cce: true,
            exploitation_notes: 'Given a phone and asked to carry packages',
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.exploitation_cce, true);
        assert.deepEqual(rules(r.json), ['missing.exploitation_referral', 'missing.rhi_referral']);
        assert.equal(r.json.risk, 'medium', 'returned: the risk is not raised after the return');
        const flags = sqlite(srv.dbPath, `SELECT flag, note FROM person_flag WHERE person_id = ${c.id}`);
        assert.deepEqual(flags.map((f) => f.flag), ['exploitation_risk']);
        assert.match(flags[0].note, new RegExp(ep.reference));
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/rhi-referral`, {}), 422, 'missing_field', 'local_authority');
        r = await api('coord', 'POST', `/api/missing/${ep.id}/rhi-referral`, { local_authority: 'Exampleshire County Council' });
        assert.equal(r.status, 200, r.text);
        const outcome = task(r.json, 'missing.rhi_outcome');
        assert.equal(outcome.due_at, iso(Date.parse(r.json.returned_at) + 72 * HOUR));
        r = await api('coord', 'POST', `/api/missing/${ep.id}/close`, { note: 'Home' });
        assert.match(assertError(r, 409, 'cannot_close').message, /referral the exploitation indicators need/);
        r = await api('coord', 'POST', `/api/missing/${ep.id}/referral`, { note: 'Sent to MASH by phone and email' });
        assert.equal(r.status, 200, r.text);
        r = await api('coord', 'POST', `/api/missing/${ep.id}/close`, { note: 'Home; plan agreed with social care' });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual([r.json.status, r.json.close_needs], ['closed', []]);
        // Closed: no more changes, except the return home interview's outcome.
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/events`, { kind: 'note', text: 'late' }), 409, 'episode_closed');
        r = await api('coord', 'POST', `/api/missing/${ep.id}/rhi-outcome`, { outcome: 'completed', notes: 'Spoke about pressures' });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(r.json.tasks, []);
        assert.deepEqual(r.json.timeline.map((e) => e.kind),
            ['report', 'risk_change', 'returned', 'prevention_interview', 'exploitation', 'rhi_referral',
                'referral', 'closed', 'rhi_outcome']);
    });

    test('exploitation indicators while missing raise the risk one level and need a referral', async () => {
        const c = await child();
        const ep = await report(c.id, { risk: 'low', risk_rationale: 'Often late home' });
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/exploitation`, { notes: 'nothing ticked' }),
            422, 'missing_field', 'exploitation_cse');
        const r = await api('coord', 'POST', `/api/missing/${ep.id}/exploitation`,
            { exploitation_cse: true, notes: 'Seen getting into cars with adult men' });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.risk, 'medium');
        assert.ok(rules(r.json).includes('missing.review_medium'));
        assert.ok(rules(r.json).includes('missing.exploitation_referral'));
        assert.match(r.json.timeline.at(-1).text, /Risk raised from low to medium: exploitation indicators/);
    });

    test('pre-filled from the person: looked-after flag, local authority, Philomena profile', async () => {
        const c = await child({
            flags: [{ flag: 'looked_after', valid_from: '2024-01-01', local_authority: 'Exampleshire County Council' }],
        });
        let r = await api('coord', 'PUT', `/api/people/${c.id}/philomena`, {
            version: 0, description: 'Slim, 5ft 4in, short dark hair, grey hoodie', photo_ref: 'PHOTO-2026-0042',
            places_frequented: 'Retail park; skate park', carer: 'Residential home staff',
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.version, 1);
        assertError(await api('coord', 'PUT', `/api/people/${c.id}/philomena`, { version: 0, description: 'x' }),
            409, 'stale_version', 'version');
        const form = await api('coord', 'GET', `/api/missing/new?person_id=${c.id}`);
        assert.equal(form.status, 200, form.text);
        assert.deepEqual([form.json.prefill.looked_after, form.json.prefill.responsible_la, form.json.prefill.photo_ref],
            [true, 'Exampleshire County Council', 'PHOTO-2026-0042']);
        const ep = await report(c.id, { missing_from: 'Oakview Children\'s Home' });
        assert.deepEqual([ep.looked_after, ep.responsible_la, ep.description, ep.photo_ref],
            [true, 'Exampleshire County Council', 'Slim, 5ft 4in, short dark hair, grey hoodie', 'PHOTO-2026-0042']);
        assert.equal(ep.philomena.places_frequented, 'Retail park; skate park');
        // The responsible authority is what the return home interview defaults to.
        advance(HOUR);
        await api('coord', 'POST', `/api/missing/${ep.id}/return`, { location: 'Home', found_by: 'Self-returned', state: 'safe_and_well' });
        r = await api('coord', 'POST', `/api/missing/${ep.id}/rhi-referral`, {});
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.rhi_local_authority, 'Exampleshire County Council');
    });

    test('repeat missing: the third episode in 90 days is flagged; children missing from one place are linked', async () => {
        const c = await child();
        const close = async (ep) => {
            advance(HOUR);
            await api('coord', 'POST', `/api/missing/${ep.id}/return`, { location: 'Home', found_by: 'Self', state: 'safe_and_well' });
            await api('coord', 'POST', `/api/missing/${ep.id}/prevention-interview`, { where_they_were: 'Park' });
            await api('coord', 'POST', `/api/missing/${ep.id}/rhi-referral`, { local_authority: 'Exampleshire' });
            const r = await api('coord', 'POST', `/api/missing/${ep.id}/close`, { note: 'Returned' });
            assert.equal(r.status, 200, r.text);
        };
        const first = await report(c.id);
        assert.equal(first.repeat.is_repeat, false);
        await close(first);
        advance(20 * DAY);
        const second = await report(c.id);
        assert.deepEqual([second.repeat.count, second.repeat.is_repeat], [2, false]);
        assert.equal(second.previous_episodes.length, 1);
        await close(second);
        advance(20 * DAY);
        const third = await report(c.id, { missing_from: '99 Shared Lane' });
        assert.deepEqual([third.repeat.count, third.repeat.is_repeat, third.repeat.threshold, third.repeat.window_days],
            [3, true, 3, 90]);
        assert.match(third.timeline.find((e) => e.kind === 'note').text, /Repeat missing: episode 3 in 90 days/);
        // Another child missing from the same place (spelt differently) is linked both ways.
        const friend = await child();
        const other = await report(friend.id, { missing_from: '99  shared lane' });
        assert.deepEqual(other.links.map((l) => [l.episode_id, l.reason]), [[third.id, 'same_address']]);
        assert.deepEqual((await get(third.id)).links.map((l) => l.episode_id), [other.id]);
        // By reference, for children missing together.
        const third2 = await child();
        const ep3 = await report(third2.id, { missing_from: 'Elsewhere' });
        let r = await api('coord', 'POST', `/api/missing/${ep3.id}/links`, { reference: other.reference, reason: 'missing_together' });
        assert.equal(r.status, 200, r.text);
        assertError(await api('coord', 'POST', `/api/missing/${ep3.id}/links`, { reference: 'MIS-1999-000001', reason: 'other' }),
            422, 'invalid_field', 'reference');
        assertError(await api('coord', 'POST', `/api/missing/${ep3.id}/links`, { reference: ep3.reference, reason: 'other' }),
            422, 'invalid_field', 'reference');
        r = await get(other.id);
        assert.deepEqual(r.links.map((l) => l.reason).sort(), ['missing_together', 'same_address']);
    });

    test('bad input is refused with the field at fault and changes nothing', async () => {
        const c = await child();
        const count = () => sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM missing_episode')[0].n;
        const before = count();
        const base = {
            person_id: c.id, reported_by: 'Aunt', last_seen_at: iso(now - HOUR), last_seen_location: 'Home',
            missing_from: 'Home', circumstances: 'Left after argument', risk: 'low', risk_rationale: 'Has done so before',
        };
        for (const field of ['reported_by', 'last_seen_at', 'last_seen_location', 'missing_from', 'circumstances', 'risk', 'risk_rationale']) {
            const body = { ...base };
            delete body[field];
            assertError(await api('coord', 'POST', '/api/missing', body), 422, 'missing_field', field);
        }
        assertError(await api('coord', 'POST', '/api/missing', { ...base, last_seen_at: iso(now + HOUR) }), 422, 'invalid_field', 'last_seen_at');
        assertError(await api('coord', 'POST', '/api/missing', { ...base, reported_at: iso(now + HOUR) }), 422, 'invalid_field', 'reported_at');
        assertError(await api('coord', 'POST', '/api/missing', { ...base, last_seen_at: '2026-02-30T10:00:00Z' }), 422, 'invalid_timestamp', 'last_seen_at');
        assertError(await api('coord', 'POST', '/api/missing', { ...base, person_id: 999999 }), 422, 'invalid_field', 'person_id');
        assertError(await api('coord', 'POST', '/api/missing', { ...base, officer_id: 999999 }), 422, 'invalid_field', 'officer_id');
        assertError(await api('coord', 'POST', '/api/missing', { ...base, looked_after: true }), 422, 'missing_field', 'responsible_la');
        assertError(await api('coord', 'POST', '/api/missing', { ...base, risk: 'none' }), 422, 'invalid_field', 'risk');
        assertError(await api('partner', 'POST', '/api/missing', base), 403, 'forbidden');
        assert.equal(count(), before);
        const ep = await report(c.id);
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/events`, { kind: 'sighting', text: 'x', at: iso(now + MIN) }),
            422, 'invalid_field', 'at');
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/events`, { kind: 'gossip', text: 'x' }), 422, 'invalid_field', 'kind');
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/prevention-interview`, { where_they_were: 'x' }), 409, 'not_returned');
        assertError(await api('coord', 'POST', `/api/missing/${ep.id}/return`,
            { location: 'x', found_by: 'y', state: 'safe_and_well', returned_at: '2020-01-01T00:00:00Z' }), 422, 'invalid_field', 'returned_at');
        assertError(await api('coord', 'GET', '/api/missing?status=lost'), 422, 'invalid_enum', 'status');
        assertError(await api('coord', 'GET', '/api/missing/999999'), 404, 'not_found');
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM missing_event'), /append-only/);
        assert.throws(() => sqlite(srv.dbPath, 'UPDATE missing_review SET risk = 1'), /append-only/);
    });

    test('measures for recommendation 3: known answers for one area, and the board sees counts only', async () => {
        tok.north = makeUser(srv.dbPath, 'ncoord', ['missing_coordinator'], { team: 'North', area: 'North' });
        const start = now;
        const mk = async (risk) => {
            const c = await child();
            const r = await api('north', 'POST', '/api/missing', {
                person_id: c.id, reported_by: 'Carer', last_seen_at: iso(now - HOUR), last_seen_location: 'Town',
                missing_from: `North ${seq}`, circumstances: 'Absent', risk, risk_rationale: 'Assessed',
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const post = async (ep, what, body, who = 'north') => {
            const r = await api(who, 'POST', `/api/missing/${ep.id}/${what}`, body);
            assert.equal(r.status, 200, r.text);
            return r.json;
        };
        const a = await mk('high'), b = await mk('medium'), c = await mk('low');
        advance(20 * MIN);
        await post(a, 'events', { kind: 'action', text: 'Area search' }); // A: first action in 20 min (target 30)
        await post(a, 'exploitation', { exploitation_cse: true, notes: 'Messages from an older man' });
        advance(40 * MIN);
        await post(a, 'reviews', { risk: 'high', rationale: 'Still high' }, 'sup'); // on time (due at +2 h)
        await post(a, 'referral', { note: 'MASH referral' }); // within 24 h of the indicators
        await post(a, 'return', { location: 'Home', found_by: 'Police', state: 'safe_and_well' });
        advance(5 * HOUR + 50 * MIN); // +6 h 50 min: B's review (due at +6 h) is late
        await post(b, 'reviews', { risk: 'medium', rationale: 'No change' }, 'sup');
        await post(b, 'return', { location: 'Home', found_by: 'Self', state: 'safe_and_well' });
        await post(c, 'events', { kind: 'sighting', text: 'Seen at the park' }); // C: first action after 6 h 50 min (target 6 h)
        await post(a, 'rhi-referral', { local_authority: 'Northshire' });
        advance(24 * HOUR);
        await post(a, 'rhi-outcome', { outcome: 'completed' }); // within 72 h of A's return
        advance(72 * HOUR); // B's 72 hours pass with no interview; C's low-risk review (due +12 h) is missed
        const q = `?area=North&from=${iso(start).slice(0, 10)}&to=${iso(now).slice(0, 10)}`;
        const r = await api('sup', 'GET', `/api/assurance${q}`);
        assert.equal(r.status, 200, r.text);
        const r3 = r.json.recommendations.find((x) => x.number === 3);
        const m = (k) => { const x = r3.measures.find((y) => y.key === k); return [x.numerator, x.denominator]; };
        assert.deepEqual(m('r3_reviews_on_time'), [1, 3], 'A on time, B late, C missed and still overdue');
        assert.deepEqual(m('r3_first_action_on_time'), [1, 3], 'A in time; B none after its 2 h; C too late');
        assert.deepEqual(m('r3_rhi_on_time'), [1, 2], 'A completed in time; B none after 72 h');
        assert.deepEqual(m('r3_repeat_missing'), [0, 3]);
        assert.deepEqual(m('r3_exploitation_referred'), [1, 1]);
        assert.equal(r3.measures.find((y) => y.key === 'r3_repeat_missing').rag, 'green', 'lower is better');
        // The board: counts below 5 suppressed, no names, no references.
        const board = await api('board', 'GET', `/api/assurance${q}`);
        const br3 = board.json.recommendations.find((x) => x.number === 3);
        assert.ok(br3.measures.every((x) => x.suppressed || x.denominator === 0));
        assert.doesNotMatch(board.text, /Missy|Wanderer|MIS-20/);
        assertError(await api('board', 'GET', '/api/missing'), 403, 'forbidden');
    });
});
