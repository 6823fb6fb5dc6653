// custody_pages.test.mjs — what the custody pages read, through the API: the
// appropriate adult's clock on a record (state, elapsed, the 2 h and 4 h
// escalations with their times, whether a delay must be attributed) as the
// file clock moves, the same on the list with the review and visit due, the
// book-in form's person, the age the s38(7) certificate reads, and the
// by-local-authority breakdown on recommendation 8 (counts under 5 hidden
// from the board, shown to custody staff) with the overnight figure.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, describe, before, after, startServer, createPerson, makeUser, tempDir, cli } from './harness.mjs';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('custody pages: the clocks and the breakdown they show', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    const fx = {};
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: { Authorization: `Bearer ${tok[who]}` } });
    const ok = async (p, status = 200) => {
        const r = await p;
        assert.equal(r.status, status, r.text);
        return r.json;
    };
    const record = () => ok(api('sgt', 'GET', `/api/custody/${fx.rec.id}`));
    const row = async () => (await ok(api('sgt', 'GET', '/api/custody'))).records.find((r) => r.id === fx.rec.id);

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        cli(['seed', '--db', srv.dbPath, '--people', '0']); // the 2022 inspection and its recommendations
        tok.sgt = makeUser(srv.dbPath, 'cpsgt', ['custody_sergeant'], { team: 'East', area: 'East' });
        tok.sup = makeUser(srv.dbPath, 'cpsup', ['supervisor'], { team: 'East', area: 'East' });
        tok.board = makeUser(srv.dbPath, 'cpboard', ['assurance_board']);
        fx.child = await createPerson(srv, { given_name: 'Ivo', family_name: 'Clockwatch', dob: '2011-05-05', confirmed_new: true });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('the book-in form finds the person; a 15-year-old is booked in', async () => {
        const form = await ok(api('sgt', 'GET', `/api/custody/new?person_id=${fx.child.id}`));
        assert.deepEqual([form.person.id, form.person.given_name, form.person.is_child], [fx.child.id, 'Ivo', true]);
        fx.rec = await ok(api('sgt', 'POST', '/api/custody', {
            person_id: fx.child.id, suite: 'Eastgate custody suite', grounds: 'Suspected theft',
            local_authority: 'Westshire Council', apparent_age: 15,
        }), 201);
        const r = await record();
        assert.equal(r.clocks.aa.state, 'not_requested');
        assert.equal(r.clocks.aa.elapsed, null);
        assert.equal(r.certificate_age, 15);
        // The first detention review at 6 hours, the first welfare visit at 30 minutes.
        assert.equal(r.clocks.review.due_at, iso(T0 + 6 * HOUR));
        assert.equal(r.clocks.visit.due_at, iso(T0 + 30 * MIN));
    });

    test('the appropriate adult clock: waiting, escalated at 2 h and 4 h, a late arrival needs its cause', async () => {
        setClock(T0 + 10 * MIN);
        await ok(api('sgt', 'POST', `/api/custody/${fx.rec.id}/appropriate-adult`,
            { source: 'scheme', name: 'Duty AA', declared_role: 'aa_scheme_volunteer' }));
        setClock(T0 + HOUR);
        let r = await record();
        assert.deepEqual([r.clocks.aa.state, r.clocks.aa.elapsed, r.clocks.aa.delay_needed], ['waiting', '50 min', false]);
        assert.deepEqual(r.clocks.aa.thresholds.map((t) => [t.minutes, t.at, t.to, t.passed]), [
            [120, iso(T0 + 130 * MIN), 'custody_sergeant', false],
            [240, iso(T0 + 250 * MIN), 'inspector', false],
        ]);
        assert.equal((await row()).aa.state, 'waiting');
        setClock(T0 + 2 * HOUR + 20 * MIN);
        r = await record();
        assert.deepEqual([r.clocks.aa.state, r.clocks.aa.elapsed, r.clocks.aa.delay_needed], ['escalated', '2 h 10 min', true]);
        assert.deepEqual(r.clocks.aa.thresholds.map((t) => t.passed), [true, false]);
        // The welfare visit (due at 30 min) is overdue on the record and on the list.
        assert.equal(r.clocks.visit.overdue, true);
        const list = await row();
        assert.deepEqual([list.aa.state, list.visit_overdue, list.review_due], ['escalated', true, iso(T0 + 6 * HOUR)]);
        assert.ok(list.overdue.length >= 2, JSON.stringify(list.overdue));
        setClock(T0 + 4 * HOUR + 15 * MIN);
        assert.equal((await record()).clocks.aa.state, 'escalated_inspector');
        await ok(api('sgt', 'POST', `/api/custody/${fx.rec.id}/appropriate-adult/arrival`,
            { delay_cause: 'scheme', delay_reason: 'No volunteer on the rota' }));
        r = await record();
        assert.deepEqual([r.clocks.aa.state, r.clocks.aa.elapsed], ['arrived_late', '4 h 5 min']);
    });

    test('charged and refused bail, held past midnight: the overnight figure per local authority on recommendation 8', async () => {
        setClock(T0 + 8 * HOUR); // 17:00
        await ok(api('sgt', 'POST', `/api/custody/${fx.rec.id}/outcome`, {
            outcome: 'charged_refused_bail', transfer_accommodation: 'non_secure', transfer_la: 'Westshire Council',
            transfer_contact: 'Emergency duty team',
        }));
        assert.equal((await row()).charged_refused_bail, true);
        setClock(Date.parse('2026-12-02T08:00:00Z')); // the next morning, still held
        const eight = (await ok(api('sup', 'GET', '/api/assurance'))).recommendations.find((x) => x.number === 8);
        const q = '?from=2026-12-01&to=2026-12-31';
        // A supervisor holds custody.read: the counts as they are.
        const staff = await ok(api('sup', 'GET', `/api/assurance/recommendations/${eight.id}${q}`));
        const b = staff.breakdowns.find((x) => x.key === 'custody_by_la');
        assert.equal(b.href, '/custody/measures');
        const west = b.data.local_authorities.find((x) => x.local_authority === 'Westshire Council');
        assert.deepEqual([west.children, west.charged_refused_bail, west.transfers_requested, west.held_overnight,
            west.overnight_reasons.awaiting_transfer, west.aa_median_minutes], [1, 1, 1, 1, 1, 245]);
        assert.equal(b.data.aggregate_only, false);
        // The board sees the same table with small counts hidden.
        const board = await ok(api('board', 'GET', `/api/assurance/recommendations/${eight.id}${q}`));
        const bw = board.breakdowns.find((x) => x.key === 'custody_by_la').data;
        assert.equal(bw.aggregate_only, true);
        const w2 = bw.local_authorities.find((x) => x.local_authority === 'Westshire Council');
        assert.deepEqual([w2.children, w2.held_overnight, w2.aa_median_minutes], ['fewer than 5', 'fewer than 5', null]);
    });
});
