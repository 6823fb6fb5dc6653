// assurance_plan.test.mjs — the action plan, the board's commentary and the
// measures' monthly series through the API: adding and changing actions with
// their history, overdue actions and measures off target on the overview,
// commentary by month with earlier versions kept, the CSV export and the SVG
// trend chart, and the edges of a measure's period (a call just after
// midnight BST on the first of the month; a child who turns 18 mid-month).
//
// The server's clock is fixed at 2026-06-01T12:00:00Z (harness CLOCK), so
// "this month" is June 2026 and the trend's six months are January to June.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite,
} from './harness.mjs';

const THRIVE = {
    threat: 'Report of a child left alone', harm: 'Neglect', risk: 'Medium',
    investigation: 'Welfare check', vulnerability: 'A young child', engagement: 'No answer',
};

describe('assurance: action plan, commentary and monthly series', () => {
    let srv, recs;
    const tok = {};
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });

    /** A graded child incident received at `at`, recorded by `who`. */
    async function incidentAt(who, at, personId) {
        const c = await api(who, 'POST', '/api/incidents', {
            location: '1 Boundary Road', nature: 'child_concern', received_at: at,
            persons: [{ person_id: personId, role: 'victim' }],
        });
        assert.equal(c.status, 201, c.text);
        let r = await api(who, 'POST', `/api/incidents/${c.json.id}/thrive`, { ...THRIVE, child_immediate_risk: false });
        assert.equal(r.status, 200, r.text);
        r = await api(who, 'POST', `/api/incidents/${c.json.id}/grade`, { grade: 'priority' });
        assert.equal(r.status, 200, r.text);
        return c.json;
    }

    before(async () => {
        srv = await startServer({ people: 0 });
        tok.sup = makeUser(srv.dbPath, 'psup', ['supervisor']);
        tok.board = makeUser(srv.dbPath, 'pboard', ['assurance_board']);
        tok.gamma = makeUser(srv.dbPath, 'pch-gamma', ['call_handler'], { area: 'Gamma' });
        recs = (await api('sup', 'GET', '/api/assurance')).json.recommendations;
    });
    after(() => srv?.stop());

    test('actions: added with the creation first in its history; each changed field one more row', async () => {
        const rec = recs[3];
        const add = await api('sup', 'POST', `/api/assurance/recommendations/${rec.id}/actions`, {
            title: 'Train hub staff on referral quality', owner: 'Head of MASH', due_on: '2026-09-30',
        });
        assert.equal(add.status, 201, add.text);
        assert.match(add.headers.get('location'), /^\/api\/assurance\/actions\/\d+$/);
        const id = Number(add.headers.get('location').split('/').pop());
        const created = add.json.actions.find((a) => a.id === id);
        assert.deepEqual([created.title, created.owner, created.due_on, created.status, created.version],
            ['Train hub staff on referral quality', 'Head of MASH', '2026-09-30', 'not_started', 1]);

        const ch = await api('sup', 'POST', `/api/assurance/actions/${id}`, {
            version: 1, title: 'Train all hub staff on referral quality', due_on: '2026-10-31',
            attachments: 'DOC-1001\n  DOC-1002  \n\n', owner: 'Head of MASH',
        });
        assert.equal(ch.status, 200, ch.text);
        const shown = await api('sup', 'GET', `/api/assurance/actions/${id}`);
        assert.equal(shown.status, 200, shown.text);
        const a = shown.json;
        assert.deepEqual([a.title, a.due_on, a.version, a.recommendation.number],
            ['Train all hub staff on referral quality', '2026-10-31', 2, rec.number]);
        assert.deepEqual(a.attachment_list, ['DOC-1001', 'DOC-1002']);
        // Newest first; the unchanged owner wrote no row.
        assert.deepEqual(a.history.map((h) => h.field), ['attachments', 'due_on', 'title', 'created']);
        assert.deepEqual([a.history[1].old, a.history[1].new], ['2026-09-30', '2026-10-31']);
        assert.ok(a.history.every((h) => h.by === 'psup'));

        // Clearing the title is refused; clearing the owner is a change.
        assertError(await api('sup', 'POST', `/api/assurance/actions/${id}`, { version: 2, title: '' }),
            422, 'invalid_field', 'title');
        const cleared = await api('sup', 'POST', `/api/assurance/actions/${id}`, { version: 2, owner: null });
        assert.equal(cleared.status, 200, cleared.text);
        assert.equal((await api('sup', 'GET', `/api/assurance/actions/${id}`)).json.owner, null);
    });

    test('actions: bad input is refused field by field and changes nothing', async () => {
        const rec = recs[3];
        const count = () => sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM recommendation_action')[0].n;
        const before = count();
        const url = `/api/assurance/recommendations/${rec.id}/actions`;
        assertError(await api('sup', 'POST', url, { owner: 'Somebody' }), 422, 'missing_field', 'title');
        assertError(await api('sup', 'POST', url, { title: 'x', due_on: '2026-02-30' }), 422, 'invalid_date', 'due_on');
        assertError(await api('sup', 'POST', url, { title: 'x', status: 'finished' }), 422, 'invalid_field', 'status');
        assertError(await api('sup', 'POST', url, { title: 'x'.repeat(301) }), 422, 'invalid_field', 'title');
        assertError(await api('sup', 'POST', '/api/assurance/recommendations/999999/actions', { title: 'x' }), 404, 'not_found');
        assertError(await api('board', 'POST', url, { title: 'x' }), 403, 'forbidden');
        assert.equal(count(), before);
    });

    test('the board sees an action without its evidence, attachments or who changed it', async () => {
        const rec = (await api('sup', 'GET', `/api/assurance/recommendations/${recs[0].id}`)).json;
        const action = rec.actions[0];
        const r = await api('sup', 'POST', `/api/assurance/actions/${action.id}`, {
            version: action.version, evidence: 'Dip sample by DS Example', attachments: 'EV-77', status: 'in_progress',
        });
        assert.equal(r.status, 200, r.text);
        const b = await api('board', 'GET', `/api/assurance/actions/${action.id}`);
        assert.equal(b.status, 200, b.text);
        assert.equal('evidence' in b.json, false);
        assert.equal('attachments' in b.json, false);
        assert.doesNotMatch(b.text, /DS Example|EV-77|psup/);
        const statusRow = b.json.history.find((h) => h.field === 'status');
        assert.equal(statusRow.new, 'in_progress', 'status changes are shown');
        const evRow = b.json.history.find((h) => h.field === 'evidence');
        assert.equal('new' in evRow, false, 'evidence values are not');
    });

    test('overview: overdue actions (past due, not complete) and measures off target', async () => {
        const rec = recs[5];
        const add = await api('sup', 'POST', `/api/assurance/recommendations/${rec.id}/actions`,
            { title: 'Late action', due_on: '2026-05-31' });
        const id = Number(add.headers.get('location').split('/').pop());
        let ov = (await api('board', 'GET', '/api/assurance')).json;
        const late = ov.overdue_actions.find((a) => a.id === id);
        assert.deepEqual([late.title, late.due_on, late.recommendation.number], ['Late action', '2026-05-31', rec.number]);
        for (const a of ov.overdue_actions) assert.ok(a.due_on < '2026-06-01' && a.status !== 'complete');
        const due = await api('sup', 'POST', `/api/assurance/recommendations/${rec.id}/actions`,
            { title: 'Due today', due_on: '2026-06-01' });
        assert.equal(due.status, 201);
        await api('sup', 'POST', `/api/assurance/actions/${id}`, { version: 1, status: 'complete' });
        ov = (await api('board', 'GET', '/api/assurance')).json;
        assert.equal(ov.overdue_actions.some((a) => a.id === id), false, 'complete: no longer overdue');
        assert.equal(ov.overdue_actions.some((a) => a.title === 'Due today'), false, 'due today is not overdue');
        for (const m of ov.off_target) assert.ok(['red', 'amber'].includes(m.rag));
        const page = await srv.fetch('/assurance', { headers: as('board') });
        const html = await page.text();
        assert.match(html, /Overdue actions/);
        assert.match(html, /Measures off target/);
    });

    test('commentary: one per month, saving again keeps the earlier text; the board reads it', async () => {
        const rec = recs[1];
        const url = `/api/assurance/recommendations/${rec.id}/commentary`;
        let r = await api('sup', 'POST', url, { period: '2026-05', text: 'Voice recording rose after training.' });
        assert.equal(r.status, 201, r.text);
        r = await api('sup', 'POST', url, { period: '2026-05', text: 'Voice recording rose after briefings.' });
        assert.equal(r.status, 201, r.text);
        r = await api('sup', 'POST', url, { period: '2026-04', text: 'Baseline month.' });
        const may = (await api('board', 'GET', `/api/assurance/recommendations/${rec.id}?from=2026-05-01&to=2026-05-31`)).json;
        assert.equal(may.commentary.period, '2026-05');
        assert.equal(may.commentary.current.text, 'Voice recording rose after briefings.');
        assert.equal(may.commentary.current.earlier.length, 1);
        assert.equal(may.commentary.current.earlier[0].text, 'Voice recording rose after training.');
        assert.equal('by' in may.commentary.current, false, 'the board is not told who wrote it');
        assert.deepEqual(may.commentary.months.map((m) => m.period), ['2026-05', '2026-04']);
        const june = (await api('sup', 'GET', `/api/assurance/recommendations/${rec.id}`)).json;
        assert.equal(june.commentary.current, null, 'nothing for June yet');
        assert.equal(june.commentary.months[0].by, 'psup');
        assertError(await api('sup', 'POST', url, { period: '2026-13', text: 'x' }), 422, 'invalid_period', 'period');
        assertError(await api('sup', 'POST', url, { period: '2026-05' }), 422, 'missing_field', 'text');
        assertError(await api('board', 'POST', url, { period: '2026-05', text: 'x' }), 403, 'forbidden');
        assert.throws(() => sqlite(srv.dbPath, 'UPDATE recommendation_commentary SET text = 1'), /append-only/);
    });

    test('period edges: a call at 00:30 BST on 1 May is May\'s; a child who turns 18 mid-month counts only before', async () => {
        const early = await createPerson(srv, { given_name: 'Edge', family_name: 'Midnightson', dob: '2015-03-03', confirmed_new: true });
        // 23:30 UTC on 30 April is 00:30 BST on 1 May.
        await incidentAt('gamma', '2026-04-30T23:30:00Z', early.id);
        // Turns 18 on 15 May 2026: a child on the 10th, an adult on the 20th.
        const nearly = await createPerson(srv, { given_name: 'Nearly', family_name: 'Eighteenson', dob: '2008-05-15', confirmed_new: true });
        await incidentAt('gamma', '2026-05-10T10:00:00Z', nearly.id);
        await incidentAt('gamma', '2026-05-20T10:00:00Z', nearly.id);
        const period = async (from, to) => (await api('sup', 'GET', `/api/assurance?area=Gamma&from=${from}&to=${to}`))
            .json.recommendations[0].measures.find((m) => m.key === 'r1_grade_reflects_risk');
        assert.equal((await period('2026-04-01', '2026-04-30')).denominator, 0, 'not April');
        assert.equal((await period('2026-05-01', '2026-05-31')).denominator, 2, 'May: the midnight call and the child of 17');
        assert.equal((await period('2026-05-15', '2026-05-31')).denominator, 0, 'after the 18th birthday: no child incident');
        assert.equal((await period('2026-05-01', '2026-05-01')).denominator, 1, 'the first of May alone');
    });

    test('CSV: every measure for every month, suppressed for the board, refused for bad months', async () => {
        const r = await srv.fetch('/api/assurance/measures.csv?from=2026-04&to=2026-05&area=Gamma', { headers: as('sup') });
        assert.equal(r.status, 200);
        assert.match(r.headers.get('content-type'), /^text\/csv/);
        assert.match(r.headers.get('content-disposition'), /measures-2026-04-to-2026-05\.csv/);
        const lines = (await r.text()).trimEnd().split('\r\n');
        assert.equal(lines[0], 'recommendation,measure,title,month,area,numerator,denominator,percent,rag,target,green_at,amber_at');
        const { json } = await api('sup', 'GET', '/api/assurance');
        const nMeasures = json.recommendations.reduce((n, rec) => n + rec.measures.length, 0);
        assert.equal(lines.length, 1 + nMeasures * 2);
        const may = lines.find((l) => l.startsWith('1,r1_grade_reflects_risk,') && l.includes(',2026-05,'));
        assert.equal(may, '1,r1_grade_reflects_risk,Response reflects the risk,2026-05,Gamma,2,2,100.0,green,100,95,85');
        const apr = lines.find((l) => l.startsWith('1,r1_grade_reflects_risk,') && l.includes(',2026-04,'));
        assert.match(apr, /,2026-04,Gamma,0,0,,none,/);
        const board = await (await srv.fetch('/api/assurance/measures.csv?from=2026-05&to=2026-05&area=Gamma', { headers: as('board') })).text();
        assert.match(board, /,2026-05,Gamma,fewer than 5,fewer than 5,,not enough data,/);
        // A spreadsheet would run a cell starting with '=': it is defused.
        const evil = await (await srv.fetch('/api/assurance/measures.csv?from=2026-05&to=2026-05&area=%3D1%2B1', { headers: as('sup') })).text();
        assert.match(evil, /,'=1\+1,/);
        assertError(await api('sup', 'GET', '/api/assurance/measures.csv?from=2026-5'), 422, 'invalid_period', 'from');
        assertError(await api('sup', 'GET', '/api/assurance/measures.csv?from=2026-06&to=2026-05'), 422, 'invalid_period', 'from');
        assertError(await api('sup', 'GET', '/api/assurance/measures.csv?from=2000-01&to=2026-05'), 422, 'invalid_period', 'from');
        // Default: the twelve months to this one.
        const all = (await (await srv.fetch('/api/assurance/measures.csv', { headers: as('sup') })).text()).trimEnd().split('\r\n');
        assert.equal(all.length, 1 + nMeasures * 12);
        assert.ok(all.some((l) => l.includes(',2025-07,')) && all.some((l) => l.includes(',2026-06,')));
        assert.equal(all.some((l) => l.includes(',2025-06,')), false);
    });

    test('trend chart: an SVG of the percent by month with its target; months without data are gaps', async () => {
        const r = await srv.fetch('/api/assurance/measures/r1_grade_reflects_risk/trend.svg?area=Gamma', { headers: as('sup') });
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'image/svg+xml');
        const svg = await r.text();
        assert.match(svg, /<title>Response reflects the risk<\/title>/);
        assert.match(svg, /<desc>Line chart with 6 categories; values are Percent\. Jan 2026: no data\. .*May 2026: 100\. Jun 2026: no data\.<\/desc>/);
        const six = await (await srv.fetch('/assurance/measures/r1_grade_reflects_risk/trend.svg?months=12', { headers: as('board') })).text();
        assert.match(six, /Line chart with 12 categories/);
        assertError(await api('sup', 'GET', '/api/assurance/measures/no_such_measure/trend.svg'), 404, 'not_found');
        assertError(await api('sup', 'GET', '/api/assurance/measures/r1_grade_reflects_risk/trend.svg?months=0'), 422, 'invalid_months', 'months');
        assertError(await api('sup', 'GET', '/api/assurance/measures/r1_grade_reflects_risk/trend.svg?months=37'), 422, 'invalid_months', 'months');
        const page = await (await srv.fetch(`/assurance/recommendations/${recs[0].id}`, { headers: as('board') })).text();
        assert.match(page, /<img class="sg-chart" src="\/assurance\/measures\/r1_grade_reflects_risk\/trend.svg"/);
    });
});
