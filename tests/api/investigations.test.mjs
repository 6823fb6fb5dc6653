// investigations.test.mjs — investigations (DOMAIN.md R5) through the API:
// teams and officers' competence; the allocation engine's ranking against a
// fixed set of teams and officers, with its reasons; allocating outside the
// recommendation only with a reason; structured reviews at allocation, key
// points and closure; the stale clock; sharing a risk to a child through a
// referral; the ageing view; bad input; and the R5 measures.
//
// The clock is a file (--clock file:PATH) and only moves forward.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-06-01T09:00:00Z');
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('investigations: allocation, supervision, delay and information sharing', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    const uid = {};
    const team = {};
    let inv; // the sexual abuse investigation the tests follow
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const advance = (ms) => setClock(now + ms);
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    const ok = async (p, status = 200) => {
        const r = await p;
        assert.equal(r.status, status, r.text);
        return r.json;
    };
    const rules = (x) => x.tasks.map((t) => t.rule).sort();
    const userId = (name) => sqlite(srv.dbPath, `SELECT id FROM app_user WHERE username = '${name}'`)[0].id;
    const review = (trigger_point, extra = {}) => ({
        trigger_point, plan_quality: 'adequate', actions_assessment: 'Forensic download requested; ABE booked',
        risk_assessment: 'Suspect has no access to the child', victim_contact: 'Mother updated by phone',
        direction: 'Complete the ABE within 7 days', ...extra,
    });

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        tok.admin = makeUser(srv.dbPath, 'iadmin', ['admin']);
        tok.sup = makeUser(srv.dbPath, 'isup', ['supervisor'], { team: 'CAIU', area: 'South' });
        for (const n of ['ada', 'ben', 'cal', 'dee', 'eve']) {
            tok[n] = makeUser(srv.dbPath, `inv-${n}`, ['investigator'], { team: 'CAIU', area: 'South' });
            uid[n] = userId(`inv-${n}`);
        }
        tok.hub = makeUser(srv.dbPath, 'ihub', ['safeguarding_hub']);
        tok.board = makeUser(srv.dbPath, 'iboard', ['assurance_board']);
        tok.partner = makeUser(srv.dbPath, 'ipartner', ['partner_agency'], { agency: 'Southshire Children\'s Services' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('teams and officers: configured by an administrator, validated, with live load', async () => {
        for (const [key, name, specialisms, capacity, area] of [
            ['caiu', 'Child Abuse Investigation Unit', ['child_abuse'], 20, 'South'],
            ['ocse', 'Online Child Exploitation Team', ['online_exploitation'], 10, 'South'],
            ['cid', 'Local CID', ['general'], 30, 'South']]) {
            const r = await ok(api('admin', 'POST', '/api/teams', { name, specialisms, capacity, area }), 201);
            team[key] = r.teams.find((t) => t.name === name).id;
        }
        assertError(await api('admin', 'POST', '/api/teams', { name: 'Local CID', specialisms: ['general'], capacity: 1 }), 409, 'duplicate_team', 'name');
        assertError(await api('admin', 'POST', '/api/teams', { name: 'X', specialisms: ['traffic'], capacity: 1 }), 422, 'invalid_field', 'specialisms[0]');
        assertError(await api('sup', 'POST', '/api/teams', { name: 'Y', specialisms: ['general'], capacity: 1 }), 403, 'forbidden');
        // The fixture: who has what.
        const profiles = {
            ada: { team_id: team.caiu, pip_level: 2, specialist_child_abuse: true, abe_trained: true, capacity: 10 },
            ben: { team_id: team.caiu, pip_level: 1, specialist_child_abuse: true, abe_trained: true, capacity: 10 },
            cal: { team_id: team.caiu, pip_level: 2, specialist_child_abuse: true, abe_trained: false, capacity: 10 },
            dee: { team_id: team.cid, pip_level: 2, specialist_child_abuse: false, abe_trained: true, capacity: 10 },
            eve: { team_id: team.caiu, pip_level: 3, specialist_child_abuse: true, abe_trained: true, capacity: 4 },
        };
        for (const [n, p] of Object.entries(profiles))
            await ok(api('admin', 'PUT', `/api/officers/${uid[n]}`, { version: 0, ...p }));
        assertError(await api('admin', 'PUT', `/api/officers/${uid.ada}`, { version: 0, pip_level: 2, capacity: 10 }), 409, 'stale_version', 'version');
        assertError(await api('admin', 'PUT', `/api/officers/${uid.ada}`, { version: 1, pip_level: 5, capacity: 10 }), 422, 'invalid_field', 'pip_level');
        assertError(await api('admin', 'PUT', `/api/officers/${uid.ada}`, { version: 1, pip_level: 2, capacity: 10, team_id: 9999 }), 422, 'invalid_field', 'team_id');
        const officers = await ok(api('sup', 'GET', '/api/officers'));
        assert.equal(officers.officers.length, 5);
    });

    test('the engine ranks by what the case needs, then by capacity left, and says why', async () => {
        const child = await createPerson(srv, { given_name: 'Vicky', family_name: 'Allocationson', dob: '2013-05-05', confirmed_new: true });
        const adult = await createPerson(srv, { given_name: 'Sam', family_name: 'Suspectson', dob: '1980-01-01', confirmed_new: true });
        inv = await ok(api('sup', 'POST', '/api/investigations', {
            crime_type: 'Sexual assault of a child under 13', category: 'sexual_abuse', complexity: 2,
            summary: 'Disclosure at school', plan: 'ABE interview; arrest suspect; digital download',
            persons: [{ person_id: child.id, role: 'victim' }, { person_id: adult.id, role: 'suspect' }],
        }), 201);
        assert.match(inv.reference, /^INV-2026-\d{6}$/);
        assert.deepEqual(rules(inv), ['investigation.allocate']);
        const r = await ok(api('sup', 'GET', `/api/investigations/${inv.id}/allocation`));
        assert.deepEqual(r.needs, { specialism: 'child_abuse', pip_level: 2, specialist_child_abuse: true, abe_trained: true, weight: 2 });
        // Ada and Eve meet everything; Ada has more room (10 - 2 = 8 against 4 - 2 = 2).
        assert.deepEqual(r.officers.map((o) => [o.name.replace(/^.*inv-/, ''), o.eligible]).slice(0, 2).map((x) => x[1]), [true, true]);
        const names = r.officers.map((o) => userId === null ? '' : o.user_id);
        assert.deepEqual(names.slice(0, 2), [uid.ada, uid.eve]);
        assert.deepEqual(r.recommended, { officer_id: uid.ada, team_id: team.caiu });
        const byId = Object.fromEntries(r.officers.map((o) => [o.user_id, o]));
        assert.equal(byId[uid.ben].eligible, false);
        assert.ok(byId[uid.ben].reasons.includes('PIP1, below PIP2'));
        assert.ok(byId[uid.cal].reasons.includes('not video-interview (ABE) trained'));
        assert.ok(byId[uid.dee].reasons.includes('team Local CID lacks the child_abuse specialism'));
        assert.ok(byId[uid.dee].reasons.includes('not a specialist child abuse investigator'));
        assert.ok(byId[uid.ada].reasons.includes('caseload 0 of 10 (weighted) before this case of weight 2'));
        assert.equal(r.teams[0].name, 'Child Abuse Investigation Unit');
        assert.equal(r.teams[0].eligible, true);
        assert.equal(r.teams.find((t) => t.name === 'Local CID').eligible, false);
        assertError(await api('ada', 'GET', `/api/investigations/${inv.id}/allocation`), 403, 'forbidden');
    });

    test('allocating outside the recommendation needs a reason; both are kept; the reviews and delay clocks start', async () => {
        assertError(await api('sup', 'POST', `/api/investigations/${inv.id}/allocate`, { officer_id: uid.eve }), 422, 'missing_field', 'reason');
        assertError(await api('sup', 'POST', `/api/investigations/${inv.id}/allocate`, { officer_id: userId('isup') }), 422, 'invalid_field', 'officer_id');
        const a = await ok(api('sup', 'POST', `/api/investigations/${inv.id}/allocate`,
            { officer_id: uid.eve, reason: 'Eve knows the family from an earlier case' }));
        assert.deepEqual([a.status, a.officer_id, a.team_id, a.allocation_matched, a.allocation_reason],
            ['allocated', uid.eve, team.caiu, true, 'Eve knows the family from an earlier case']);
        assert.match(a.allocation_recommended, /inv-ada|Ada/i);
        assert.deepEqual([a.load_at_allocation, a.capacity_at_allocation], [2, 4]);
        assert.deepEqual(rules(a), ['investigation.review_allocation', 'investigation.stale']);
        assert.equal(a.tasks.find((t) => t.rule === 'investigation.review_allocation').due_at, iso(now + DAY));
        assert.equal(a.tasks.find((t) => t.rule === 'investigation.stale').due_at, iso(now + 14 * DAY));
        // In the right people's work: the review for supervisors, the case for Eve.
        const supWork = (await ok(api('sup', 'GET', '/api/work'))).tasks;
        assert.ok(supWork.some((t) => t.rule === 'investigation.review_allocation' && t.record_id === inv.id));
        const eveWork = (await ok(api('eve', 'GET', '/api/work'))).tasks;
        assert.ok(eveWork.some((t) => t.rule === 'investigation.stale' && t.href === `/investigations/${inv.id}`));
        // Eve's load shows on the teams.
        const teams = await ok(api('sup', 'GET', '/api/teams'));
        assert.equal(teams.teams.find((t) => t.id === team.caiu).load, 2);
    });

    test('reviews are structured; key points and closure have their own; the stale clock restarts with an action', async () => {
        const base = review('allocation');
        for (const f of ['plan_quality', 'actions_assessment', 'risk_assessment', 'victim_contact', 'direction']) {
            const b = { ...base };
            delete b[f];
            assertError(await api('sup', 'POST', `/api/investigations/${inv.id}/reviews`, b), 422, 'missing_field', f);
        }
        assertError(await api('sup', 'POST', `/api/investigations/${inv.id}/reviews`, review('arrest')), 422, 'invalid_field', 'trigger_point');
        assertError(await api('eve', 'POST', `/api/investigations/${inv.id}/reviews`, base), 403, 'forbidden');
        advance(3 * HOUR);
        let r = await ok(api('sup', 'POST', `/api/investigations/${inv.id}/reviews`, base));
        assert.deepEqual(rules(r), ['investigation.review_periodic', 'investigation.stale']);
        assert.equal(r.tasks.find((t) => t.rule === 'investigation.review_periodic').due_at, iso(now + 28 * DAY));
        assert.equal(r.reviews[0].on_time, true);
        // An arrest: a key-point review is due within a day.
        advance(HOUR);
        r = await ok(api('eve', 'POST', `/api/investigations/${inv.id}/status`, { status: 'active', key_point: 'arrest', note: 'Suspect arrested at home' }));
        assert.ok(rules(r).includes('investigation.review_key_point'));
        r = await ok(api('sup', 'POST', `/api/investigations/${inv.id}/reviews`, review('arrest')));
        assert.equal(rules(r).includes('investigation.review_key_point'), false);
        // Fifteen days without action: stale, overdue for Eve and escalated to the supervisor.
        advance(15 * DAY);
        const eveWork = (await ok(api('eve', 'GET', '/api/work'))).tasks;
        const stale = eveWork.find((t) => t.rule === 'investigation.stale' && t.record_id === inv.id);
        assert.equal(stale.overdue, true);
        assert.ok((await ok(api('sup', 'GET', '/api/work'))).tasks.some((t) => t.rule === 'investigation.stale' && t.why === 'overdue in your team'));
        const ageing = await ok(api('sup', 'GET', '/api/investigations/ageing'));
        assert.deepEqual(ageing.by_age.map((b) => b.open), [0, 0, 1, 0]);
        assert.equal(ageing.cases[0].stale, true);
        assert.equal(ageing.by_stage.find((s) => s.stage === 'active').open, 1);
        // An action planned and done: the clock restarts.
        r = await ok(api('eve', 'POST', `/api/investigations/${inv.id}/actions`, { title: 'Digital download of the phone', due_on: '2026-06-10', owner_id: uid.eve }));
        assert.equal(r.actions[0].overdue, true, 'due 10 June, now 20 June');
        r = await ok(api('eve', 'POST', `/api/investigations/${inv.id}/actions/${r.actions[0].id}/done`, {}));
        assert.equal(r.tasks.find((t) => t.rule === 'investigation.stale').due_at, iso(now + 14 * DAY));
        assert.equal(r.delay.days_since_last_action, 0);
        assertError(await api('eve', 'POST', `/api/investigations/${inv.id}/actions/999/done`, {}), 404, 'not_found');
    });

    test('a risk to a child: sharing falls due at once, through the referral path, and the delay is recorded', async () => {
        let r = await ok(api('eve', 'POST', `/api/investigations/${inv.id}/risk`, { detail: 'Suspect lives with two other children' }));
        const riskAt = now;
        assert.equal(r.risk_known_at, iso(riskAt));
        assert.equal(r.tasks.find((t) => t.rule === 'investigation.share_info').due_at, iso(riskAt + DAY));
        advance(2 * HOUR);
        const made = await ok(api('eve', 'POST', `/api/investigations/${inv.id}/referrals`, {}), 201);
        const ref = await ok(api('eve', 'GET', `/api/referrals/${made.referral_id}`));
        assert.deepEqual([ref.urgency, ref.concern_at, ref.categories], ['immediate', iso(riskAt), ['sexual_abuse']]);
        const agency = (await ok(api('admin', 'POST', '/api/agencies', { name: 'Southshire Children\'s Services', kind: 'childrens_social_care' }), 201))
            .agencies[0].id;
        let x = await ok(api('eve', 'PATCH', `/api/referrals/${ref.id}`, {
            version: ref.version, child_voice: 'Disclosed to a teacher', consent: 'not_sought',
            consent_reason: 'Protects the child from significant harm', agencies: [{ id: agency }],
        }));
        x = await ok(api('eve', 'POST', `/api/referrals/${ref.id}/submit`, { version: x.version }));
        await ok(api('sup', 'POST', `/api/referrals/${ref.id}/review`, { version: x.version, decision: 'approve' }));
        r = await ok(api('eve', 'GET', `/api/investigations/${inv.id}`));
        assert.equal(r.info_shared_at, iso(now));
        assert.equal(rules(r).includes('investigation.share_info'), false);
        assert.deepEqual(r.links.map((l) => [l.record_type, l.reference]), [['referral', ref.reference]]);
    });

    test('closing needs a closure review after the last action; then nothing is left open', async () => {
        assertError(await api('eve', 'POST', `/api/investigations/${inv.id}/close`, { outcome: 'Charged' }), 409, 'closure_review_needed');
        await ok(api('sup', 'POST', `/api/investigations/${inv.id}/reviews`, review('closure', { plan_quality: 'good' })));
        const c = await ok(api('eve', 'POST', `/api/investigations/${inv.id}/close`, { outcome: 'Charged with two offences' }));
        assert.deepEqual([c.status, c.tasks], ['closed', []]);
        assertError(await api('eve', 'POST', `/api/investigations/${inv.id}/plan`, { plan: 'late' }), 409, 'investigation_closed');
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM investigation_review'), /append-only/);
    });

    test('bad input and who may', async () => {
        const count = () => sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM investigation')[0].n;
        const before = count();
        assertError(await api('sup', 'POST', '/api/investigations', { crime_type: 'x', category: 'burglary' }), 422, 'invalid_field', 'category');
        assertError(await api('sup', 'POST', '/api/investigations', { category: 'neglect' }), 422, 'missing_field', 'crime_type');
        assertError(await api('sup', 'POST', '/api/investigations', { crime_type: 'x', category: 'neglect', complexity: 4 }), 422, 'invalid_field', 'complexity');
        assertError(await api('sup', 'POST', '/api/investigations', { crime_type: 'x', category: 'neglect', persons: [{ person_id: 99999, role: 'victim' }] }),
            422, 'invalid_field', 'persons[0].person_id');
        assertError(await api('sup', 'POST', '/api/investigations', { crime_type: 'x', category: 'neglect', links: [{ record_type: 'incident', record_id: 99999 }] }),
            422, 'invalid_field', 'links[0].record_id');
        assert.equal(count(), before);
        assertError(await api('partner', 'GET', '/api/investigations'), 403, 'forbidden');
        assertError(await api('board', 'GET', `/api/investigations/${inv.id}`), 403, 'forbidden');
        assertError(await api('hub', 'POST', '/api/investigations', { crime_type: 'x', category: 'neglect' }), 403, 'forbidden');
        assertError(await api('sup', 'GET', '/api/investigations?status=lost'), 422, 'invalid_enum', 'status');
    });

    test('measures for recommendation 5 in the area: allocation by competence, capacity, reviews, staleness, sharing', async () => {
        // A second case allocated outside the engine's choice to Ben, who lacks PIP2.
        const child = await createPerson(srv, { given_name: 'Wes', family_name: 'Measureson', dob: '2012-02-02', confirmed_new: true });
        const two = await ok(api('sup', 'POST', '/api/investigations', {
            crime_type: 'Neglect', category: 'neglect', complexity: 2, persons: [{ person_id: child.id, role: 'victim' }],
        }), 201);
        await ok(api('sup', 'POST', `/api/investigations/${two.id}/allocate`, { officer_id: uid.ben, reason: 'Only officer on duty' }));
        const q = `?area=South&from=2026-06-01&to=${iso(now).slice(0, 10)}`;
        const r5 = (await ok(api('sup', 'GET', `/api/assurance${q}`))).recommendations.find((x) => x.number === 5);
        const m = (k) => { const x = r5.measures.find((y) => y.key === k); return [x.numerator, x.denominator]; };
        assert.deepEqual(m('r5_allocation_matches'), [1, 2], 'Eve met every requirement; Ben did not');
        assert.deepEqual(m('r5_caseload_within_capacity'), [2, 2]);
        assert.deepEqual(m('r5_reviews_on_time'), [2, 2], 'the allocation and arrest reviews, each within its day');
        assert.deepEqual(m('r5_stale'), [1, 2], 'the first went 14 days without action');
        assert.deepEqual(m('r5_shared_in_time'), [1, 1]);
    });
});
