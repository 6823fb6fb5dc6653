// case_audits.test.mjs — case audits (docs/case-audits.md) through the API,
// against hand-built incidents with known answers:
//   sampling: only closed child incidents, only the month asked, never a
//     record twice, a share per area rounded up, a random count capped at
//     the candidates, the area filter, every refusal naming its field and
//     changing nothing;
//   grading: each error names the field at fault (grades.<key>.reason),
//     a stale version is 409, a regrade keeps the earlier grading, only the
//     audit's auditor or the audit team may grade, criteria added and
//     retired change what must be graded;
//   reads are audited; the board never reaches the audits;
//   measures: known numerators and denominators per recommendation and
//     overall, not-applicable left out, the area filter, an empty month,
//     audits completed on the last second of a month and the first of the
//     next, a regrade amending the month of first completion, and the
//     board's suppressed view.
//
// Incidents are inserted with the sqlite3 CLI (WAL lets it write beside the
// live server) so their closing times and areas are exact: an incident's
// area is its attending officer's, else its recorder's.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir, runCli,
} from './harness.mjs';

const KEYS = ['risk_assessed', 'response_matched_risk', 'voice_recorded', 'partners_informed', 'supervision_evident'];

/** A grading body: every criterion good unless `over` says otherwise; a
 * reason wherever one is needed. */
function grading(version, over = {}, overall = 'good') {
    const grades = {};
    for (const k of KEYS) {
        const g = over[k] || 'good';
        grades[k] = g === 'requires_improvement' || g === 'inadequate' ? { grade: g, reason: `${k} fell short` } : { grade: g };
    }
    return { version, grades, overall_grade: overall, overall_reason: 'Weighed across the criteria' };
}

/** Inserts a child incident (unless child is false or null) with the given
 * status and closing time; returns its id. */
function makeIncidentFactory(srv, personId) {
    let seq = 0;
    return ({ closedAt = null, status = 'closed', officer = null, creator = null, child = true } = {}) => {
        seq++;
        const ref = `INC-2026-${String(900000 + seq)}`;
        const q = (v) => (v === null ? 'NULL' : `'${v}'`);
        const [row] = sqlite(srv.dbPath, `INSERT INTO incident (reference, received_at, location, address_key, nature,
            status, grade, closed_at, officer_id, created_by, created_at, updated_at) VALUES ('${ref}',
            '2026-02-01T10:00:00Z', '${seq} Audit Street', '', 'child_concern', '${status}', 'priority', ${q(closedAt)},
            ${officer ?? 'NULL'}, ${creator ?? 'NULL'}, '2026-02-01T10:00:00Z', '2026-02-01T10:00:00Z') RETURNING id`);
        sqlite(srv.dbPath, `INSERT INTO incident_person (incident_id, person_id, role, is_child, linked_at)
            VALUES (${row.id}, ${personId}, 'victim', ${child === null ? 'NULL' : child ? 1 : 0}, '2026-02-01T10:00:00Z')`);
        return row.id;
    };
}

const userId = (srv, username) => sqlite(srv.dbPath, `SELECT id FROM app_user WHERE username = '${username}'`)[0].id;
const count = (srv, table) => sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM ${table}`)[0].n;
const auditTables = (srv) => ['case_audit', 'case_audit_sample', 'case_audit_grading', 'case_audit_grade', 'case_audit_criterion']
    .map((t) => `${t}=${count(srv, t)}`).join(' ');

describe('case audits: sampling, grading, criteria, access', () => {
    let srv;
    const tok = {};
    const ids = {};
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    const may = {}; // incident ids by scenario
    let incident;

    /** Runs fn and asserts no case audit table changed. */
    async function unchanged(fn) {
        const before = auditTables(srv);
        const r = await fn();
        assert.equal(auditTables(srv), before, 'the refused request changed the database');
        return r;
    }

    before(async () => {
        srv = await startServer({ people: 0 });
        tok.sup = makeUser(srv.dbPath, 'ca-sup', ['supervisor']);
        tok.sup2 = makeUser(srv.dbPath, 'ca-sup2', ['supervisor']);
        tok.aud = makeUser(srv.dbPath, 'ca-aud', ['auditor']);
        tok.board = makeUser(srv.dbPath, 'ca-board', ['assurance_board']);
        tok.ch = makeUser(srv.dbPath, 'ca-ch', ['call_handler']);
        makeUser(srv.dbPath, 'ca-gone', ['auditor']);
        assert.equal(runCli(['user', 'disable', '--db', srv.dbPath, '--username', 'ca-gone']).status, 0);
        makeUser(srv.dbPath, 'ca-off-alpha', ['response_officer'], { area: 'Alpha' });
        makeUser(srv.dbPath, 'ca-off-beta', ['response_officer'], { area: 'Beta' });
        makeUser(srv.dbPath, 'ca-off-none', ['response_officer']);
        for (const u of ['ca-sup', 'ca-sup2', 'ca-aud', 'ca-ch', 'ca-gone', 'ca-off-alpha', 'ca-off-beta', 'ca-off-none'])
            ids[u] = userId(srv, u);
        const child = await createPerson(srv, { given_name: 'Audrey', family_name: 'Samplewell', dob: '2015-04-01', confirmed_new: true });
        incident = makeIncidentFactory(srv, child.id);
        const A = ids['ca-off-alpha'], B = ids['ca-off-beta'], N = ids['ca-off-none'];
        // May 2026: Alpha 7, Beta 3, no area 1 — from the first second to the
        // last, in UK time (BST: 00:00 on 1 May is 23:00 UTC on 30 April).
        may.alpha = ['2026-04-30T23:00:00Z', '2026-05-03T10:00:00Z', '2026-05-09T10:00:00Z', '2026-05-12T10:00:00Z',
            '2026-05-20T10:00:00Z', '2026-05-28T10:00:00Z', '2026-05-31T22:59:59Z'].map((t) => incident({ closedAt: t, officer: A }));
        // Beta's are recorded by the Beta officer with nobody attending: the recorder's area counts.
        may.beta = ['2026-05-02T10:00:00Z', '2026-05-15T10:00:00Z', '2026-05-30T10:00:00Z'].map((t) => incident({ closedAt: t, creator: B }));
        may.none = [incident({ closedAt: '2026-05-10T10:00:00Z', officer: N })];
        // Never candidates for May: other months, not closed, no child, a child not known to be one.
        may.not = [
            incident({ closedAt: '2026-05-31T23:00:00Z', officer: A }), // 00:00 BST on 1 June
            incident({ status: 'open', officer: A }),
            incident({ status: 'attended', officer: A }),
            incident({ closedAt: '2026-05-05T10:00:00Z', officer: A, child: false }),
            incident({ closedAt: '2026-05-06T10:00:00Z', officer: A, child: null }),
        ];
        // April 2026 (UK time): Alpha 4 plus one on its last second; March: Alpha 2, Beta 2.
        may.april = ['2026-03-31T23:00:00Z', '2026-04-10T10:00:00Z', '2026-04-11T10:00:00Z', '2026-04-20T10:00:00Z',
            '2026-04-30T22:59:59Z'].map((t) => incident({ closedAt: t, officer: A }));
        may.marchAlpha = ['2026-03-03T10:00:00Z', '2026-03-04T10:00:00Z'].map((t) => incident({ closedAt: t, officer: A }));
        may.marchBeta = ['2026-03-05T10:00:00Z', '2026-03-06T10:00:00Z'].map((t) => incident({ closedAt: t, officer: B }));
    });
    after(() => srv?.stop());

    const auditsOf = (sampleId) => sqlite(srv.dbPath, `SELECT * FROM case_audit WHERE sample_id = ${sampleId} ORDER BY id`);

    test('share: a percentage of each area\'s closed child incidents of the month, rounded up, at least one per area', async () => {
        const r = await api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-05', method: 'share', percent: 30 });
        assert.equal(r.status, 201, r.text);
        const sampleId = r.json.sample.id;
        assert.equal(r.headers.get('location'), `/api/case-audits?view=all&sample=${sampleId}`);
        assert.deepEqual([r.json.sample.candidates, r.json.sample.sampled, r.json.sample.method, r.json.sample.requested],
            [11, 5, 'share', 30]);
        const rows = auditsOf(sampleId);
        // 30% of 7 is 2.1 → 3; of 3 is 0.9 → 1; of 1 is 0.3 → 1.
        const byArea = {};
        for (const a of rows) byArea[a.area ?? 'none'] = (byArea[a.area ?? 'none'] || 0) + 1;
        assert.deepEqual(byArea, { Alpha: 3, Beta: 1, none: 1 });
        for (const a of rows) {
            const pool = a.area === 'Alpha' ? may.alpha : a.area === 'Beta' ? may.beta : may.none;
            assert.ok(pool.includes(a.record_id), `audit of ${a.record_id} comes from its area's May closures`);
            assert.deepEqual([a.record_type, a.month, a.status, a.auditor_id, a.version], ['incident', '2026-05', 'pending', ids['ca-sup'], 1]);
        }
        assert.equal(new Set(rows.map((a) => a.record_id)).size, rows.length, 'no record twice');
        // The answer lists them with their references.
        assert.equal(r.json.audits.length, 5);
        for (const a of r.json.audits) assert.match(a.reference, /^INC-2026-9\d{5}$/);
        assert.equal(r.json.audits[0].href, `/incidents/${r.json.audits[0].record_id}`);
    });

    test('share again: only the records not yet audited; then nothing is left (422, nothing saved)', async () => {
        const r = await api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-05', method: 'share', percent: 100 });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual([r.json.sample.candidates, r.json.sample.sampled], [6, 6]);
        const all = sqlite(srv.dbPath, "SELECT record_id FROM case_audit WHERE month = '2026-05'").map((a) => a.record_id).sort((a, b) => a - b);
        assert.deepEqual(all, [...may.alpha, ...may.beta, ...may.none].sort((a, b) => a - b), 'every May candidate once, nothing else');
        const e = await unchanged(() => api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-05', method: 'share', percent: 100 }));
        assert.match(assertError(e, 422, 'no_candidates', 'month').message, /May 2026/);
    });

    test('random: N chosen among the month\'s candidates, capped at what is left, for another auditor', async () => {
        const r = await api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-04', method: 'random', count: 3, auditor: ids['ca-aud'] });
        assert.equal(r.status, 201, r.text);
        let rows = auditsOf(r.json.sample.id);
        assert.equal(rows.length, 3);
        for (const a of rows) {
            assert.ok(may.april.includes(a.record_id));
            assert.equal(a.auditor_id, ids['ca-aud']);
        }
        const capped = await api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-04', method: 'random', count: 10 });
        assert.equal(capped.status, 201, capped.text);
        assert.deepEqual([capped.json.sample.candidates, capped.json.sample.sampled], [2, 2]);
        rows = sqlite(srv.dbPath, "SELECT record_id FROM case_audit WHERE month = '2026-04'");
        assert.deepEqual(rows.map((a) => a.record_id).sort((a, b) => a - b), [...may.april].sort((a, b) => a - b));
    });

    test('the area filter: only that area\'s records, by either method', async () => {
        const r = await api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-03', method: 'random', count: 5, area: 'Beta' });
        assert.equal(r.status, 201, r.text);
        assert.deepEqual(auditsOf(r.json.sample.id).map((a) => [a.area, may.marchBeta.includes(a.record_id)]),
            [['Beta', true], ['Beta', true]]);
        const s = await api('sup', 'POST', '/api/case-audits/samples',
            { record_type: 'incident', month: '2026-03', method: 'share', percent: 50, area: 'Alpha' });
        assert.equal(s.status, 201, s.text);
        assert.deepEqual(auditsOf(s.json.sample.id).map((a) => a.area), ['Alpha']);
        assert.equal(s.json.sample.area, 'Alpha');
    });

    test('sampling refusals name the field and save nothing', async () => {
        const post = (body, who = 'sup') => unchanged(() => api(who, 'POST', '/api/case-audits/samples', body));
        const ok = { record_type: 'incident', month: '2026-03', method: 'random', count: 1 };
        const cases = [
            [{ ...ok, record_type: undefined }, 'missing_field', 'record_type'],
            [{ ...ok, record_type: 'custody' }, 'invalid_field', 'record_type'],
            [{ ...ok, month: undefined }, 'missing_field', 'month'],
            [{ ...ok, month: '2026-13' }, 'invalid_field', 'month'],
            [{ ...ok, month: 'May 2026' }, 'invalid_field', 'month'],
            [{ ...ok, month: '2026-5' }, 'invalid_field', 'month'],
            [{ ...ok, month: '2026-07' }, 'invalid_field', 'month'], // the clock is 1 June 2026
            [{ ...ok, month: '2026-02' }, 'no_candidates', 'month'],
            [{ ...ok, method: undefined }, 'missing_field', 'method'],
            [{ ...ok, method: 'every_other' }, 'invalid_field', 'method'],
            [{ ...ok, count: undefined }, 'missing_field', 'count'],
            [{ ...ok, method: 'share', count: undefined }, 'missing_field', 'percent'],
            [{ ...ok, count: 0 }, 'invalid_field', 'count'],
            [{ ...ok, count: 501 }, 'invalid_field', 'count'],
            [{ ...ok, method: 'share', percent: 101 }, 'invalid_field', 'percent'],
            [{ ...ok, auditor: ids['ca-ch'] }, 'invalid_field', 'auditor'], // may not audit
            [{ ...ok, auditor: ids['ca-gone'] }, 'invalid_field', 'auditor'], // disabled
            [{ ...ok, auditor: 999999 }, 'invalid_field', 'auditor'],
            [{ ...ok, area: 'x'.repeat(65) }, 'invalid_field', 'area'],
            [{ ...ok, seed: 42 }, 'unknown_field', 'seed'], // no way to steer the choice
        ];
        for (const [body, code, field] of cases) {
            for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
            assertError(await post(body), 422, code, field);
        }
        // March has no Alpha or Beta records left; an area with none at all says so.
        assert.match(assertError(await post({ ...ok, area: 'Gamma' }), 422, 'no_candidates', 'month').message, /in Gamma/);
    });

    test('grading: each refusal names the field at fault and saves nothing', async () => {
        const [a] = sqlite(srv.dbPath, `SELECT id FROM case_audit WHERE auditor_id = ${ids['ca-sup']} ORDER BY id LIMIT 1`);
        const url = `/api/case-audits/${a.id}`;
        const post = (body) => unchanged(() => api('sup', 'POST', url, body));
        const g = grading(1);
        const without = (k) => {
            const b = structuredClone(g);
            delete b.grades[k];
            return b;
        };
        assertError(await post(without('risk_assessed')), 422, 'missing_field', 'grades.risk_assessed.grade');
        assertError(await post(without('supervision_evident')), 422, 'missing_field', 'grades.supervision_evident.grade');
        let b = structuredClone(g);
        b.grades.voice_recorded = { grade: 'inadequate' };
        const e = assertError(await post(b), 422, 'missing_field', 'grades.voice_recorded.reason');
        assert.match(e.message, /child's words/);
        assert.match(e.message, /inadequate/);
        // A blank reason is refused as such by the validator (a form leaves it out instead).
        b.grades.voice_recorded = { grade: 'requires_improvement', reason: '   ' };
        assertError(await post(b), 422, 'invalid_field', 'grades.voice_recorded.reason');
        b = structuredClone(g);
        b.grades.voice_recorded = { grade: 'excellent' };
        assertError(await post(b), 422, 'invalid_field', 'grades.voice_recorded.grade');
        b = structuredClone(g);
        b.grades.voice_recorded.colour = 'red';
        assertError(await post(b), 422, 'unknown_field', 'grades.voice_recorded.colour');
        b = structuredClone(g);
        b.grades.made_up = { grade: 'good' };
        assertError(await post(b), 422, 'unknown_criterion');
        b = structuredClone(g);
        b.grades['Not-A-Key'] = { grade: 'good' };
        assertError(await post(b), 422, 'invalid_field', 'grades');
        assertError(await post({ ...g, overall_grade: undefined }), 422, 'missing_field', 'overall_grade');
        assertError(await post({ ...g, overall_grade: 'not_applicable' }), 422, 'invalid_field', 'overall_grade');
        assertError(await post({ ...g, overall_reason: undefined }), 422, 'missing_field', 'overall_reason');
        assertError(await post({ ...g, overall_reason: ' ' }), 422, 'invalid_field', 'overall_reason');
        assertError(await post({ ...g, version: undefined }), 422, 'missing_field', 'version');
        assertError(await post({ ...g, grades: [] }), 422, 'invalid_type', 'grades');
        // Good and not applicable need no reason; the rest of the form is fine.
        b = grading(1, { partners_informed: 'not_applicable' });
        const ok = await api('sup', 'POST', url, b);
        assert.equal(ok.status, 200, ok.text);
        assert.deepEqual([ok.json.status, ok.json.version, ok.json.overall_grade, ok.json.gradings.length], ['completed', 2, 'good', 1]);
        assert.equal(ok.headers.get('etag'), '"2"');
    });

    test('a stale version is 409 and changes nothing; a regrade keeps the earlier grading (append-only)', async () => {
        const [a] = sqlite(srv.dbPath, `SELECT id, completed_at FROM case_audit WHERE status = 'completed' ORDER BY id LIMIT 1`);
        const url = `/api/case-audits/${a.id}`;
        const stale = assertError(await unchanged(() => api('sup', 'POST', url, grading(1, {}, 'inadequate'))), 409, 'stale_version', 'version');
        assert.match(stale.message, /reload/);
        const r = await api('sup', 'POST', url, grading(2, { voice_recorded: 'inadequate' }, 'requires_improvement'));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.version, 3);
        assert.deepEqual(r.json.gradings.map((g) => [g.version, g.overall_grade]), [[3, 'requires_improvement'], [2, 'good']]);
        const voice = (g) => g.grades.find((x) => x.key === 'voice_recorded');
        assert.deepEqual([voice(r.json.gradings[0]).grade, voice(r.json.gradings[0]).reason], ['inadequate', 'voice_recorded fell short']);
        assert.deepEqual([voice(r.json.gradings[1]).grade, voice(r.json.gradings[1]).reason], ['good', null]);
        assert.equal(r.json.gradings[1].grades.find((x) => x.key === 'partners_informed').grade, 'not_applicable');
        // The form starts from the grading in force.
        assert.equal(r.json.criteria.find((c) => c.key === 'voice_recorded').grade, 'inadequate');
        assert.equal(r.json.overall.grade, 'requires_improvement');
        assert.equal(r.json.completed_at, a.completed_at, 'the first completion stands');
        // The database refuses to rewrite history.
        for (const sql of ["UPDATE case_audit_grading SET overall_grade = 'good'", 'DELETE FROM case_audit_grade']) {
            assert.throws(() => sqlite(srv.dbPath, sql), /append-only/);
        }
    });

    test('only the audit\'s auditor, or the audit team, may grade it', async () => {
        const [a] = sqlite(srv.dbPath, `SELECT id, version FROM case_audit WHERE auditor_id = ${ids['ca-sup']} AND status = 'pending' ORDER BY id LIMIT 1`);
        const url = `/api/case-audits/${a.id}`;
        const other = await unchanged(() => api('sup2', 'POST', url, grading(a.version)));
        assertError(other, 403, 'not_your_audit');
        const view = await api('sup2', 'GET', url);
        assert.equal(view.status, 200);
        assert.equal(view.json.can_grade, false);
        assert.equal((await api('aud', 'GET', url)).json.can_grade, true);
        const r = await api('aud', 'POST', url, grading(a.version));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.gradings[0].graded_by, 'ca-aud');
    });

    test('reading an audit is audited, naming the sampled record; the list is audited as a search', async () => {
        const [a] = sqlite(srv.dbPath, 'SELECT id, record_id FROM case_audit ORDER BY id LIMIT 1');
        const r = await api('aud', 'GET', `/api/case-audits/${a.id}`);
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.record.id, a.record_id);
        assert.equal(r.json.record.summary.area, 'Alpha');
        assert.deepEqual(r.json.scale.map((s) => s.value), ['good', 'requires_improvement', 'inadequate', 'not_applicable']);
        const [entry] = sqlite(srv.dbPath, "SELECT * FROM audit_log WHERE username = 'ca-aud' AND route = 'GET /api/case-audits/{id}' ORDER BY id DESC LIMIT 1");
        assert.deepEqual([entry.action, entry.record_type, entry.record_id], ['read', 'case_audit', a.id]);
        assert.deepEqual(JSON.parse(entry.detail), { record_type: 'incident', record_id: a.record_id });
        const list = await api('aud', 'GET', '/api/case-audits?view=all&month=2026-05&area=Alpha');
        assert.equal(list.status, 200, list.text);
        assert.equal(list.json.audits.length, 7);
        assert.ok(list.json.audits.every((x) => x.area === 'Alpha' && x.month === '2026-05'));
        assert.equal(list.json.counts.all, 7);
        const [s] = sqlite(srv.dbPath, "SELECT action, record_type FROM audit_log WHERE username = 'ca-aud' AND route = 'GET /api/case-audits' ORDER BY id DESC LIMIT 1");
        assert.deepEqual([s.action, s.record_type], ['search', 'case_audit']);
        assertError(await api('aud', 'GET', '/api/case-audits/999999'), 404, 'not_found');
    });

    test('the list: my pending audits by default, with the count in each view; bad filters are refused', async () => {
        const mine = await api('aud', 'GET', '/api/case-audits');
        assert.equal(mine.status, 200, mine.text);
        assert.equal(mine.json.view, 'mine');
        const pendingForAud = sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM case_audit WHERE auditor_id = ${ids['ca-aud']} AND status = 'pending'`)[0].n;
        assert.equal(mine.json.audits.length, pendingForAud);
        assert.ok(mine.json.audits.every((a) => a.status === 'pending' && a.auditor.id === ids['ca-aud']));
        const c = mine.json.counts;
        assert.equal(c.all, count(srv, 'case_audit'));
        assert.equal(c.pending + c.completed, c.all);
        const done = await api('aud', 'GET', '/api/case-audits?view=completed');
        assert.ok(done.json.audits.length >= 2 && done.json.audits.every((a) => a.status === 'completed' && a.overall_grade));
        assertError(await api('aud', 'GET', '/api/case-audits?view=everything'), 422, 'invalid_enum', 'view');
        assertError(await api('aud', 'GET', '/api/case-audits?month=2026-5'), 422, 'invalid_field', 'month');
        assertError(await api('aud', 'GET', '/api/case-audits?record_type=custody'), 422, 'invalid_enum', 'record_type');
        assertError(await api('aud', 'GET', '/api/case-audits?sample=-1'), 422, 'invalid_field', 'sample');
        assertError(await api('aud', 'GET', '/api/case-audits?colour=red'), 422, 'unknown_query_parameter');
    });

    test('a refused grading form re-renders the audit with the error at its field and the input kept, audited as a read', async () => {
        const [a] = sqlite(srv.dbPath, `SELECT id, version FROM case_audit WHERE auditor_id = ${ids['ca-sup']} AND status = 'pending' ORDER BY id LIMIT 1`);
        const form = new URLSearchParams({ version: String(a.version), 'grades.risk_assessed.grade': 'good',
            'grades.response_matched_risk.grade': 'requires_improvement', 'grades.voice_recorded.grade': 'good',
            overall_reason: 'Kept as typed' });
        const r = await unchanged(() => srv.fetch(`/case-audits/${a.id}`, {
            method: 'POST', body: form.toString(),
            headers: { ...as('sup'), 'Content-Type': 'application/x-www-form-urlencoded' },
        }));
        assert.equal(r.status, 422);
        const html = await r.text();
        assert.match(html, /<a href="#grades\.response_matched_risk\.reason">Give the reason/);
        assert.match(html, /id="grades\.response_matched_risk\.grade-ri"[^>]*value="requires_improvement" checked/);
        assert.match(html, />Kept as typed<\/textarea>/);
        assert.match(html, /INC-2026-9\d{5}/, 'the record is shown again');
        const [entry] = sqlite(srv.dbPath, "SELECT action, record_type, record_id FROM audit_log WHERE username = 'ca-sup' ORDER BY id DESC LIMIT 1");
        assert.deepEqual([entry.action, entry.record_type, entry.record_id], ['grade_refused', 'case_audit', a.id]);
        // The same form, complete, is saved and redirected (303).
        form.set('grades.response_matched_risk.reason', 'Grade lower than the risk with no rationale');
        for (const k of ['partners_informed', 'supervision_evident']) form.set(`grades.${k}.grade`, 'not_applicable');
        form.set('overall_grade', 'requires_improvement');
        const ok = await srv.fetch(`/case-audits/${a.id}`, {
            method: 'POST', body: form.toString(), redirect: 'manual',
            headers: { ...as('sup'), 'Content-Type': 'application/x-www-form-urlencoded' },
        });
        assert.equal(ok.status, 303);
        assert.equal(ok.headers.get('location'), `/case-audits/${a.id}`);
    });

    test('the board, call handlers and partners cannot reach case audits; the menu offers them only to auditors', async () => {
        for (const who of ['board', 'ch']) {
            assertError(await api(who, 'GET', '/api/case-audits'), 403, 'forbidden');
            assertError(await api(who, 'GET', '/api/case-audits/1'), 403, 'forbidden');
            assertError(await api(who, 'POST', '/api/case-audits/samples', { record_type: 'incident', month: '2026-05', method: 'random', count: 1 }), 403, 'forbidden');
            const page = await srv.fetch('/work', { headers: as(who) });
            assert.doesNotMatch(await page.text(), /href="\/case-audits"/);
        }
        for (const who of ['sup', 'aud']) {
            const page = await srv.fetch('/work', { headers: as(who) });
            assert.match(await page.text(), /href="\/case-audits"[^>]*>Case audits</);
        }
        // Supervisors conduct audits but do not set the criteria.
        assertError(await api('sup', 'POST', '/api/case-audits/criteria', { record_type: 'incident', key: 'x', question: 'Q?', recommendation: 1 }),
            403, 'forbidden');
    });

    test('criteria: the audit team adds one (then every grading must grade it) and retires one (then none may)', async () => {
        const list = await api('sup', 'GET', '/api/case-audits/criteria');
        assert.equal(list.status, 200, list.text);
        assert.deepEqual(list.json.criteria.filter((c) => c.active).map((c) => [c.key, c.recommendation]),
            [['risk_assessed', 1], ['response_matched_risk', 1], ['voice_recorded', 2], ['partners_informed', 4], ['supervision_evident', 5]]);
        const add = (body) => api('aud', 'POST', '/api/case-audits/criteria', body);
        const q = { record_type: 'incident', key: 'interim_risk_recorded', question: 'Was interim risk managed while waiting?', recommendation: 1 };
        for (const [body, status, code, field] of [
            [{ ...q, key: undefined }, 422, 'missing_field', 'key'],
            [{ ...q, key: 'Interim-Risk' }, 422, 'invalid_field', 'key'],
            [{ ...q, key: 'voice_recorded' }, 409, 'key_taken', 'key'],
            [{ ...q, question: undefined }, 422, 'missing_field', 'question'],
            [{ ...q, recommendation: undefined }, 422, 'missing_field', 'recommendation'],
            [{ ...q, recommendation: 0 }, 422, 'invalid_field', 'recommendation'],
            [{ ...q, record_type: 'custody' }, 422, 'invalid_field', 'record_type'],
        ]) {
            for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
            assertError(await unchanged(() => add(body)), status, code, field);
        }
        const r = await add(q);
        assert.equal(r.status, 201, r.text);
        const [a] = sqlite(srv.dbPath, 'SELECT id, version FROM case_audit WHERE status = \'pending\' ORDER BY id LIMIT 1');
        const [b] = sqlite(srv.dbPath, `SELECT id, version FROM case_audit WHERE status = 'pending' AND id > ${a.id} ORDER BY id LIMIT 1`);
        const shown = await api('aud', 'GET', `/api/case-audits/${a.id}`);
        assert.equal(shown.json.criteria.at(-1).key, 'interim_risk_recorded');
        assertError(await unchanged(() => api('aud', 'POST', `/api/case-audits/${a.id}`, grading(a.version))),
            422, 'missing_field', 'grades.interim_risk_recorded.grade');
        const withIt = grading(a.version);
        withIt.grades.interim_risk_recorded = { grade: 'good' };
        assert.equal((await api('aud', 'POST', `/api/case-audits/${a.id}`, withIt)).status, 200);
        // Retired: a grading that still grades it is refused; past grades keep it.
        const id = r.json.criteria.find((c) => c.key === 'interim_risk_recorded').id;
        assertError(await api('sup', 'POST', `/api/case-audits/criteria/${id}/retire`), 403, 'forbidden');
        const ret = await api('aud', 'POST', `/api/case-audits/criteria/${id}/retire`);
        assert.equal(ret.status, 200, ret.text);
        assert.equal(ret.json.criteria.find((c) => c.id === id).active, false);
        assertError(await api('aud', 'POST', `/api/case-audits/criteria/${id}/retire`), 409, 'already_retired');
        const again = grading(b.version);
        again.grades.interim_risk_recorded = { grade: 'good' };
        assertError(await unchanged(() => api('aud', 'POST', `/api/case-audits/${b.id}`, again)), 422, 'unknown_criterion');
        assert.equal((await api('aud', 'POST', `/api/case-audits/${b.id}`, grading(b.version))).status, 200);
        const past = await api('aud', 'GET', `/api/case-audits/${a.id}`);
        assert.ok(past.json.gradings[0].grades.some((g) => g.key === 'interim_risk_recorded'));
        assert.ok(!past.json.criteria.some((c) => c.key === 'interim_risk_recorded'));
        // The key stays taken; the last active criterion cannot be retired.
        assertError(await add(q), 409, 'key_taken', 'key');
        const active = sqlite(srv.dbPath, "SELECT id FROM case_audit_criterion WHERE active = 1 ORDER BY id");
        for (const c of active.slice(0, -1))
            assert.equal((await api('aud', 'POST', `/api/case-audits/criteria/${c.id}/retire`)).status, 200);
        assertError(await unchanged(() => api('aud', 'POST', `/api/case-audits/criteria/${active.at(-1).id}/retire`)), 422, 'last_criterion');
        assertError(await api('aud', 'POST', '/api/case-audits/criteria/999999/retire'), 404, 'not_found');
    });
});

describe('case audit measures: known answers', () => {
    let srv;
    let clockDir;
    let clockFile;
    const tok = {};
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    const setClock = (t) => writeFileSync(clockFile, `${t}\n`);
    const audits = {}; // record id → audit

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock('2026-05-10T09:00:00Z');
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        tok.aud = makeUser(srv.dbPath, 'm-aud', ['auditor']);
        tok.sup = makeUser(srv.dbPath, 'm-sup', ['supervisor']);
        tok.board = makeUser(srv.dbPath, 'm-board', ['assurance_board']);
        makeUser(srv.dbPath, 'm-off-gamma', ['response_officer'], { area: 'Gamma' });
        makeUser(srv.dbPath, 'm-off-delta', ['response_officer'], { area: 'Delta' });
        const child = await createPerson(srv, { given_name: 'Measura', family_name: 'Knownanswer', dob: '2014-09-09', confirmed_new: true });
        const incident = makeIncidentFactory(srv, child.id);
        const G = userId(srv, 'm-off-gamma'), D = userId(srv, 'm-off-delta');
        const gamma = [1, 2, 3, 4, 5, 6].map((d) => incident({ closedAt: `2026-04-0${d}T10:00:00Z`, officer: G }));
        const delta = [7, 8].map((d) => incident({ closedAt: `2026-04-0${d}T10:00:00Z`, officer: D }));
        const r = await api('aud', 'POST', '/api/case-audits/samples', { record_type: 'incident', month: '2026-04', method: 'share', percent: 100 });
        assert.equal(r.status, 201, r.text);
        for (const a of r.json.audits) audits[a.record_id] = a;
        const grade = async (recordId, at, over, overall) => {
            setClock(at);
            const a = audits[recordId];
            const g = await api('aud', 'POST', `/api/case-audits/${a.id}`, grading(a.version, over, overall));
            assert.equal(g.status, 200, g.text);
            a.version = g.json.version;
        };
        // Gamma, completed on the last second of May (UK time: 23:59:59 BST is
        // 22:59:59 UTC; periods are UK days): five audits.
        const lastOfMay = '2026-05-31T22:59:59Z';
        await grade(gamma[0], lastOfMay, {}, 'good');
        await grade(gamma[1], lastOfMay, { voice_recorded: 'inadequate' }, 'requires_improvement');
        await grade(gamma[2], lastOfMay, { partners_informed: 'not_applicable', supervision_evident: 'requires_improvement' }, 'good');
        await grade(gamma[3], lastOfMay, { risk_assessed: 'requires_improvement', partners_informed: 'not_applicable' }, 'requires_improvement');
        await grade(gamma[4], lastOfMay, { partners_informed: 'not_applicable' }, 'good');
        // Gamma, on the first second of June (00:00:00 BST): one, all inadequate.
        await grade(gamma[5], '2026-05-31T23:00:00Z', Object.fromEntries(KEYS.map((k) => [k, 'inadequate'])), 'inadequate');
        // Delta, mid-May: two.
        await grade(delta[0], '2026-05-15T10:00:00Z', {}, 'good');
        await grade(delta[1], '2026-05-15T11:00:00Z', { risk_assessed: 'inadequate' }, 'inadequate');
        audits.gamma = gamma;
        setClock('2026-06-20T12:00:00Z');
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    /** {key: [numerator, denominator, rag]} of the audit measures for a period. */
    async function measures(who, query) {
        const r = await api(who, 'GET', `/api/assurance?${query}`);
        assert.equal(r.status, 200, r.text);
        const out = {};
        for (const rec of r.json.recommendations)
            for (const m of rec.measures)
                if (/audit/.test(m.key)) out[m.key] = [m.numerator, m.denominator, m.rag, rec.number];
        return out;
    }

    test('the registry holds the audit measures on recommendations 1, 2, 4 and 5', async () => {
        const m = await measures('sup', 'from=2026-05-01&to=2026-05-31');
        assert.deepEqual(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v[3]])), {
            r1_audit_criteria_good: 1, r1_audited_incidents_good: 1, r2_audit_criteria_good: 2,
            r4_audit_criteria_good: 4, r5_audit_criteria_good: 5,
        });
    });

    test('May: criterion grades of good over grades that apply, and cases good overall, with RAG', async () => {
        const m = await measures('sup', 'from=2026-05-01&to=2026-05-31');
        // R1: Gamma 9 of 10 (one risk RI), Delta 3 of 4 (one risk inadequate): 85.7% green.
        assert.deepEqual(m.r1_audit_criteria_good.slice(0, 3), [12, 14, 'green']);
        // R2: Gamma 4 of 5, Delta 2 of 2: 85.7% green.
        assert.deepEqual(m.r2_audit_criteria_good.slice(0, 3), [6, 7, 'green']);
        // R4: three not applicable left out of both: 4 of 4.
        assert.deepEqual(m.r4_audit_criteria_good.slice(0, 3), [4, 4, 'green']);
        // R5: one requires improvement: 6 of 7.
        assert.deepEqual(m.r5_audit_criteria_good.slice(0, 3), [6, 7, 'green']);
        // Overall: Gamma 3 of 5, Delta 1 of 2: 57.1% amber.
        assert.deepEqual(m.r1_audited_incidents_good.slice(0, 3), [4, 7, 'amber']);
    });

    test('the area filter', async () => {
        const g = await measures('sup', 'from=2026-05-01&to=2026-05-31&area=Gamma');
        assert.deepEqual([g.r1_audit_criteria_good.slice(0, 2), g.r4_audit_criteria_good.slice(0, 2), g.r1_audited_incidents_good.slice(0, 3)],
            [[9, 10], [2, 2], [3, 5, 'amber']]);
        const d = await measures('sup', 'from=2026-05-01&to=2026-05-31&area=Delta');
        assert.deepEqual([d.r1_audit_criteria_good.slice(0, 2), d.r1_audited_incidents_good.slice(0, 3)], [[3, 4], [1, 2, 'amber']]);
        const none = await measures('sup', 'from=2026-05-01&to=2026-05-31&area=Nowhere');
        for (const v of Object.values(none)) assert.deepEqual(v.slice(0, 3), [0, 0, 'none']);
    });

    test('the month boundary: the last second of May counts in May, the first of June in June', async () => {
        const lastDay = await measures('sup', 'from=2026-05-31&to=2026-05-31');
        assert.deepEqual(lastDay.r1_audit_criteria_good.slice(0, 2), [9, 10]);
        assert.deepEqual(lastDay.r1_audited_incidents_good.slice(0, 2), [3, 5]);
        const june = await measures('sup', 'from=2026-06-01&to=2026-06-30');
        assert.deepEqual(june.r1_audit_criteria_good.slice(0, 3), [0, 2, 'red']);
        assert.deepEqual(june.r1_audited_incidents_good.slice(0, 3), [0, 1, 'red']);
        const firstDay = await measures('sup', 'from=2026-06-01&to=2026-06-01');
        assert.deepEqual(firstDay.r1_audited_incidents_good.slice(0, 2), [0, 1]);
    });

    test('an empty month counts nothing and has RAG none', async () => {
        const m = await measures('sup', 'from=2026-01-01&to=2026-01-31');
        assert.equal(Object.keys(m).length, 5);
        for (const v of Object.values(m)) assert.deepEqual(v.slice(0, 3), [0, 0, 'none']);
    });

    test('a regrade amends the month of first completion, by the grading in force', async () => {
        const a = audits[audits.gamma[1]];
        const r = await api('aud', 'POST', `/api/case-audits/${a.id}`, grading(a.version, {}, 'good'));
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.completed_at, '2026-05-31T22:59:59Z');
        const may = await measures('sup', 'from=2026-05-01&to=2026-05-31');
        assert.deepEqual(may.r2_audit_criteria_good.slice(0, 2), [7, 7]);
        assert.deepEqual(may.r1_audited_incidents_good.slice(0, 2), [5, 7]);
        const june = await measures('sup', 'from=2026-06-01&to=2026-06-30');
        assert.deepEqual(june.r1_audited_incidents_good.slice(0, 2), [0, 1], 'June is unchanged by a regrade made in June');
    });

    test('the board sees the same measures aggregated, small numbers suppressed, and no reference or name', async () => {
        const m = await measures('board', 'from=2026-05-01&to=2026-05-31');
        assert.deepEqual(m.r1_audit_criteria_good.slice(0, 3), [12, 14, 'green']);
        assert.deepEqual(m.r4_audit_criteria_good.slice(0, 3), ['fewer than 5', 'fewer than 5', 'not enough data']);
        assert.deepEqual(m.r1_audited_incidents_good.slice(0, 3), [5, 7, 'green']);
        const d = await measures('board', 'from=2026-05-01&to=2026-05-31&area=Delta');
        for (const v of Object.values(d)) assert.equal(v[2], 'not enough data');
        const texts = [(await api('board', 'GET', '/api/assurance?from=2026-05-01&to=2026-05-31')).text];
        const recs = (await api('board', 'GET', '/api/assurance')).json.recommendations;
        texts.push((await api('board', 'GET', `/api/assurance/recommendations/${recs[0].id}`)).text);
        for (const t of texts) {
            assert.doesNotMatch(t, /INC-\d{4}-\d{6}/);
            assert.doesNotMatch(t, /Knownanswer|m-aud|fell short/);
        }
        assertError(await api('board', 'GET', '/api/case-audits?view=all'), 403, 'forbidden');
    });
});
