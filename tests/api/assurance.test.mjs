// assurance.test.mjs — governance (DOMAIN.md, Governance) through the API:
// the seeded 2022 inspection and its due dates, the measures registry against
// hand-built incidents with known answers (an empty period, small-number
// suppression), action updates with versions and history, and what the
// assurance board and a partner agency may see.
//
// Incidents are separated by policing area: an incident's area is its
// attending officer's, else its recorder's, so each scenario records (and
// attends) as users of its own area.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite,
} from './harness.mjs';

const THRIVE = {
    threat: 'Neighbour reports a child screaming',
    harm: 'Possible physical harm to a child',
    risk: 'Medium',
    investigation: 'Possible assault',
    vulnerability: 'A child of 10',
    engagement: 'Parent not answering',
};
const CHILD_NAME = { given_name: 'Zebedee', family_name: 'Assurancetestson' };

describe('assurance: recommendations, actions and measures', () => {
    let srv;
    const tok = {};
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    let seq = 0;

    /** A child incident recorded by `who`, THRIVE'd and graded (priority, or
     * below an emergency floor without authorisation when below=true). */
    async function childIncident(who, { below = false, voice = true, attendBy = null } = {}) {
        seq++;
        const child = await createPerson(srv, {
            ...(seq === 1 ? CHILD_NAME : { given_name: `Kid${seq}`, family_name: `Assure${seq}` }),
            dob: '2016-01-15', confirmed_new: true,
        });
        const c = await api(who, 'POST', '/api/incidents', {
            location: `${seq} Assurance Street`, nature: 'child_concern',
            persons: [{ person_id: child.id, role: 'victim' }],
        });
        assert.equal(c.status, 201, c.text);
        const id = c.json.id;
        let r = await api(who, 'POST', `/api/incidents/${id}/thrive`, { ...THRIVE, child_immediate_risk: below });
        assert.equal(r.status, 200, r.text);
        r = await api(who, 'POST', `/api/incidents/${id}/grade`,
            below ? { grade: 'priority', grade_reason: 'Officers nearby' } : { grade: 'priority' });
        assert.equal(r.status, 200, r.text);
        if (voice) {
            r = await api(who, 'PUT', `/api/incidents/${id}/voice/${child.id}`,
                { seen: true, spoken_to: false, not_spoken_reason: 'refused' });
            assert.equal(r.status, 200, r.text);
        }
        if (attendBy) {
            r = await api(attendBy, 'POST', `/api/incidents/${id}/attend`, {});
            assert.equal(r.status, 200, r.text);
        }
        return c.json;
    }

    const measure = (rec, key) => rec.measures.find((m) => m.key === key);
    const overview = async (who, query = '') => {
        const r = await api(who, 'GET', `/api/assurance${query}`);
        assert.equal(r.status, 200, r.text);
        return r;
    };

    before(async () => {
        srv = await startServer({ people: 0 }); // `safeguard seed` loads the inspection
        tok.sup = makeUser(srv.dbPath, 'asup', ['supervisor']);
        tok.board = makeUser(srv.dbPath, 'aboard', ['assurance_board']);
        tok.partner = makeUser(srv.dbPath, 'apartner', ['partner_agency'], { agency: 'Test Children\'s Services' });
        tok.chA = makeUser(srv.dbPath, 'ach-alpha', ['call_handler'], { area: 'Alpha' });
        tok.roA = makeUser(srv.dbPath, 'aro-alpha', ['response_officer'], { area: 'Alpha' });
        tok.chB = makeUser(srv.dbPath, 'ach-beta', ['call_handler'], { area: 'Beta' });
        // Alpha: six child incidents; one graded below the risk without
        // authorisation; five with every child's voice; five attended at once.
        for (let i = 0; i < 6; i++)
            await childIncident('chA', { below: i === 5, voice: i < 5, attendBy: i < 5 ? 'roA' : null });
        // Beta: two, both fine: too few to publish.
        for (let i = 0; i < 2; i++) await childIncident('chB', {});
    });
    after(() => srv?.stop());

    test('seeded: 8 recommendations with due dates from the timescales, sub-points, actions; seeding twice adds nothing', async () => {
        const { json } = await overview('sup');
        const recs = json.recommendations;
        assert.equal(recs.length, 8);
        assert.deepEqual(recs.map((r) => r.number), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert.deepEqual(recs.map((r) => r.due_on), ['2022-08-05', '2022-11-05', '2022-08-05', '2022-11-05',
            '2022-08-05', '2023-02-05', '2022-08-05', '2023-02-05']);
        assert.deepEqual(recs.map((r) => r.timescale), ['immediately', 'months', 'immediately', 'months',
            'immediately', 'months', 'immediately', 'months']);
        assert.equal(recs[0].inspection.published_on, '2022-08-05');
        assert.equal(recs[0].inspection.body, 'HMICFRS');
        assert.equal(recs[0].inspection.title, 'National child protection inspection');
        for (const r of recs) {
            assert.ok(r.actions_by_status.total >= 2 && r.actions_by_status.total <= 3, `rec ${r.number} has 2-3 actions`);
            // 2026: every recommendation is past due; overdue unless every action is complete.
            assert.equal(r.overdue, r.actions_by_status.complete < r.actions_by_status.total);
        }
        assert.match(recs[0].text, /OCC response to incidents where children are involved/);
        const five = await api('sup', 'GET', `/api/assurance/recommendations/${recs[4].id}`);
        assert.equal(five.status, 200, five.text);
        assert.deepEqual(five.json.points.map((p) => p.label), ['a', 'b', 'c', 'd']);
        assert.match(five.json.points[3].text, /children's social care/);
        const eight = await api('sup', 'GET', `/api/assurance/recommendations/${recs[7].id}`);
        assert.equal(eight.json.points.length, 3);
        const before = sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM recommendation_action')[0].n;
        const { cli } = await import('./harness.mjs');
        cli(['seed', '--db', srv.dbPath, '--people', '0']);
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM recommendation')[0].n, 8);
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM recommendation_action')[0].n, before);
    });

    test('measures: known answers for an area, for the whole force, and RAG from the thresholds', async () => {
        const { json } = await overview('sup', '?area=Alpha');
        const [r1, r2] = json.recommendations;
        const grade = measure(r1, 'r1_grade_reflects_risk');
        assert.deepEqual([grade.numerator, grade.denominator, grade.percent, grade.rag], [5, 6, 83.3, 'red']);
        const att = measure(r1, 'r1_attendance_within_target');
        assert.deepEqual([att.numerator, att.denominator, att.percent, att.rag], [5, 5, 100, 'green']);
        const voice = measure(r2, 'r2_voice_recorded');
        assert.deepEqual([voice.numerator, voice.denominator, voice.percent, voice.rag], [5, 6, 83.3, 'amber']);
        assert.equal(voice.recommendation, 2);
        assert.deepEqual(json.recommendations[5].measures.map((m) => m.key),
            ['r6_notified_on_time', 'r6_within_72h', 'r6_police_station', 'r6_opportunities_reviewed'], 'police protection (issue 12)');
        assert.deepEqual(json.recommendations[7].measures.map((m) => m.key),
            ['r8_aa_within_2h', 'r8_held_overnight', 'r8_transfers_requested', 'r8_transfers_achieved',
                'r8_referred_from_custody'], 'children in custody (issue 14)');
        // The whole force: Alpha and Beta together.
        const all = (await overview('sup')).json.recommendations;
        const g2 = measure(all[0], 'r1_grade_reflects_risk');
        assert.deepEqual([g2.numerator, g2.denominator, g2.rag], [7, 8, 'amber']);
        // A supervisor sees small numbers as they are.
        const beta = (await overview('sup', '?area=Beta')).json.recommendations;
        assert.deepEqual([measure(beta[1], 'r2_voice_recorded').numerator, measure(beta[1], 'r2_voice_recorded').rag], [2, 'green']);
    });

    test('measures: an empty period has RAG none; bad periods are refused', async () => {
        const { json } = await overview('board', '?from=2020-01-01&to=2020-01-31');
        for (const m of [...json.recommendations[0].measures, ...json.recommendations[1].measures]) {
            assert.equal(m.denominator, 0);
            assert.equal(m.percent, null);
            assert.equal(m.rag, 'none');
        }
        assertError(await api('sup', 'GET', '/api/assurance?from=2020-02-30'), 422, 'invalid_date', 'from');
        assertError(await api('sup', 'GET', '/api/assurance?from=2021-01-01&to=2020-01-01'), 422, 'invalid_period', 'from');
        assertError(await api('sup', 'GET', '/api/assurance?colour=red'), 422, 'unknown_query_parameter');
    });

    test('small numbers: the board sees "fewer than 5" and "not enough data" below 5', async () => {
        const beta = (await overview('board', '?area=Beta')).json;
        assert.equal(beta.aggregate_only, true);
        assert.equal(beta.suppress_below, 5);
        const v = measure(beta.recommendations[1], 'r2_voice_recorded');
        assert.deepEqual([v.numerator, v.denominator, v.percent, v.rag, v.suppressed],
            ['fewer than 5', 'fewer than 5', null, 'not enough data', true]);
        // Alpha's counts are all 5 or more: shown.
        const alpha = (await overview('board', '?area=Alpha')).json;
        const g = measure(alpha.recommendations[0], 'r1_grade_reflects_risk');
        assert.deepEqual([g.numerator, g.denominator, g.rag], [5, 6, 'red']);
        const page = await srv.fetch('/assurance?area=Beta', { headers: as('board') });
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Not enough data/);
    });

    test('the board sees no names and no incident references, anywhere in these responses', async () => {
        const texts = [(await overview('board')).text, (await overview('board', '?area=Alpha')).text];
        const recs = (await overview('board')).json.recommendations;
        for (const r of recs) {
            const one = await api('board', 'GET', `/api/assurance/recommendations/${r.id}`);
            assert.equal(one.status, 200, one.text);
            texts.push(one.text);
            for (const a of one.json.actions) assert.equal('evidence' in a, false, 'no free text for the board');
            const page = await srv.fetch(`/assurance/recommendations/${r.id}`, { headers: as('board') });
            assert.equal(page.status, 200);
            texts.push(await page.text());
        }
        const one = await api('board', 'GET', `/api/assurance/recommendations/${recs[0].id}`);
        assert.equal(one.json.measures[0].trend.length, 6);
        for (const t of texts) {
            assert.doesNotMatch(t, new RegExp(CHILD_NAME.given_name));
            assert.doesNotMatch(t, new RegExp(CHILD_NAME.family_name));
            assert.doesNotMatch(t, /INC-\d{4}-\d{6}/);
        }
    });

    test('actions: update with the version read; a stale version is 409; each change is in the history', async () => {
        const recs = (await overview('sup')).json.recommendations;
        const rec = (await api('sup', 'GET', `/api/assurance/recommendations/${recs[2].id}`)).json;
        const action = rec.actions.find((a) => a.status !== 'complete');
        const url = `/api/assurance/actions/${action.id}`;
        const r = await api('sup', 'POST', url, { version: action.version, status: 'complete', evidence: 'Audit of 20 episodes' });
        assert.equal(r.status, 200, r.text);
        const after = r.json.actions.find((a) => a.id === action.id);
        assert.deepEqual([after.status, after.evidence, after.version], ['complete', 'Audit of 20 episodes', action.version + 1]);
        const stale = assertError(await api('sup', 'POST', url, { version: action.version, status: 'blocked' }),
            409, 'stale_version', 'version');
        assert.match(stale.message, /reload/);
        const hist = sqlite(srv.dbPath,
            `SELECT field, old, new, user_id FROM recommendation_action_history WHERE action_id = ${action.id} ORDER BY id`);
        assert.deepEqual(hist.map((h) => [h.field, h.old, h.new]),
            [['status', action.status, 'complete'], ['evidence', null, 'Audit of 20 episodes']]);
        assert.ok(hist.every((h) => h.user_id));
        assert.throws(() => sqlite(srv.dbPath, 'DELETE FROM recommendation_action_history'), /append-only/);
        assertError(await api('sup', 'POST', url, { version: action.version + 1 }), 422, 'missing_field', 'status');
        assertError(await api('sup', 'POST', url, { version: action.version + 1, status: 'done' }), 422, 'invalid_field', 'status');
        assertError(await api('sup', 'POST', '/api/assurance/actions/999999', { version: 1, status: 'complete' }), 404, 'not_found');
        const audit = sqlite(srv.dbPath,
            `SELECT COUNT(*) AS n FROM audit_log WHERE record_type = 'assurance_action' AND record_id = ${action.id}`);
        assert.ok(audit[0].n >= 1, 'the change is audited');
    });

    test('who may: the board reads but cannot change; a partner agency is refused', async () => {
        const recs = (await overview('board')).json.recommendations;
        const rec = (await api('board', 'GET', `/api/assurance/recommendations/${recs[0].id}`)).json;
        assertError(await api('board', 'POST', `/api/assurance/actions/${rec.actions[0].id}`,
            { version: rec.actions[0].version, status: 'blocked' }), 403, 'forbidden');
        assertError(await api('partner', 'GET', '/api/assurance'), 403, 'forbidden');
        assertError(await api('partner', 'GET', `/api/assurance/recommendations/${recs[0].id}`), 403, 'forbidden');
        assertError(await api('partner', 'POST', `/api/assurance/actions/${rec.actions[0].id}`,
            { version: 1, status: 'blocked' }), 403, 'forbidden');
        assertError(await api('sup', 'GET', '/api/assurance/recommendations/999999'), 404, 'not_found');
    });
});
