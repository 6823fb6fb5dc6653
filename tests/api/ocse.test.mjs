// ocse.test.mjs — online child sexual exploitation referrals for the online
// team (OCSET) through the API: a batch imported (JSON and CSV, every fault
// listed, nothing half-imported), identifiers normalised and matched across
// referrals and to people, the KIRAT-style score with its reasons and band,
// a suspect resolved to a registered offender living with a child banded
// highest, and the one-step escalation into an investigation allocated to
// the online team and a safeguarding referral for the child; the
// time-to-action clocks; and the measures.
//
// The clock is a file (--clock file:PATH) and only moves forward.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir, cli, CLOCK,
} from './harness.mjs';

const T0 = Date.parse('2026-06-01T09:00:00Z');
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('online referrals (OCSET): intake, identification, risk triage, time to action', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
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
    const batch = [
        { source: 'NCA CEOP', source_reference: 'CEOP-1001', platform: 'ChatApp', content_category: 'grooming',
            received_at: iso(T0 - HOUR), summary: 'Adult grooming a 12-year-old',
            identifiers: [{ kind: 'email', value: '  Dark.Horse@Example.ORG ' }, { kind: 'ip', value: '192.0.2.10', seen_at: iso(T0 - 2 * DAY) },
                { kind: 'postcode', value: 'ex1 1aa' }] },
        { source: 'NCA CEOP', source_reference: 'CEOP-1002', platform: 'PhotoShare', content_category: 'indecent_images',
            received_at: iso(T0 - HOUR), identifiers: [{ kind: 'username', value: 'DarkHorse77' }, { kind: 'email', value: 'dark.horse@example.org' }] },
        { source: 'NCA CEOP', source_reference: 'CEOP-1003', platform: 'VideoApp', content_category: 'other',
            received_at: iso(T0 - HOUR), identifiers: [{ kind: 'phone', value: '+44 7700 900123' }] },
    ];

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        tok.analyst = makeUser(srv.dbPath, 'oanalyst', ['ocse_analyst'], { team: 'OCSET' });
        tok.admin = makeUser(srv.dbPath, 'oadmin', ['admin']);
        tok.sup = makeUser(srv.dbPath, 'osup', ['supervisor']);
        tok.board = makeUser(srv.dbPath, 'oboard', ['assurance_board']);
        tok.officer = makeUser(srv.dbPath, 'oinv', ['investigator'], { team: 'OCSET' });
        tok.ch = makeUser(srv.dbPath, 'och', ['call_handler']);
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('a bad batch lists every fault and imports nothing; a good one imports all, scored and ranked', async () => {
        const bad = [...batch, { source: 'NCA CEOP', platform: 'X', content_category: 'spam', identifiers: [] },
            { ...batch[0], source_reference: 'CEOP-1009', identifiers: [{ kind: 'fax', value: '1' }] }];
        const r = await api('analyst', 'POST', '/api/online-referrals/import', { format: 'json', content: JSON.stringify(bad) });
        assertError(r, 422, 'invalid_field', '[3]');
        assert.deepEqual(r.json.errors.map((e) => e.field), ['[3]', '[4]']);
        assert.match(r.json.errors[0].message, /\[3\]: /);
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM online_referral')[0].n, 0);
        const good = await ok(api('analyst', 'POST', '/api/online-referrals/import', { format: 'json', content: JSON.stringify(batch) }), 201);
        assert.equal(good.imported, 3);
        // Grooming (2) outranks images (1) outranks other (0): all low for now.
        assert.deepEqual(good.referrals.map((x) => [x.content_category, x.score, x.band]),
            [['grooming', 2, 'low'], ['indecent_images', 1, 'low'], ['other', 0, 'low']]);
        assert.deepEqual(good.referrals[0].reasons, ['grooming of a child (+2)']);
        assert.deepEqual(good.referrals.map((x) => x.source_reference), ['CEOP-1001', 'CEOP-1002', 'CEOP-1003']);
        assert.deepEqual(good.scoring.bands.map((b) => b.action_within), ['24 hours', '3 days', '14 days', '28 days']);
        assertError(await api('analyst', 'POST', '/api/online-referrals/import', { format: 'json', content: JSON.stringify([batch[0]]) }),
            422, 'duplicate_referral');
    });

    test('CSV: one row per identifier, grouped into referrals; faults by row', async () => {
        const csv = ['source,source_reference,received_at,platform,content_category,identifier_kind,identifier_value,seen_at',
            `IWF,IWF-77,${iso(T0 - HOUR)},ForumX,sextortion,email,victim.seeker@example.net,`,
            `IWF,IWF-77,${iso(T0 - HOUR)},ForumX,sextortion,ip,198.51.100.7,${iso(T0 - DAY)}`,
            `IWF,IWF-78,${iso(T0 - HOUR)},ForumX,bogus,username,x1,`].join('\r\n');
        const r = await api('analyst', 'POST', '/api/online-referrals/import', { format: 'csv', content: csv });
        assertError(r, 422, 'invalid_field');
        assert.match(r.json.errors[0].message, /^row 4: /);
        const fixed = csv.replace('bogus', 'grooming');
        const good = await ok(api('analyst', 'POST', '/api/online-referrals/import', { format: 'csv', content: fixed }), 201);
        assert.equal(good.imported, 2);
        const iwf = good.referrals.find((x) => x.content_category === 'sextortion');
        const one = await ok(api('analyst', 'GET', `/api/online-referrals/${iwf.id}`));
        assert.deepEqual(one.identifiers.map((i) => [i.kind, i.value]).sort(), [['email', 'victim.seeker@example.net'], ['ip', '198.51.100.7']]);
    });

    test('the same account in two referrals is one suspect; a registered offender living with a child is banded highest', async () => {
        const list = (await ok(api('analyst', 'GET', '/api/online-referrals'))).referrals;
        const first = list.find((x) => x.content_category === 'grooming');
        let r = await ok(api('analyst', 'GET', `/api/online-referrals/${first.id}`));
        assert.deepEqual(r.same_identifiers.map((m) => [m.kind, m.value]), [['email', 'dark.horse@example.org']]);
        assert.deepEqual(r.tasks.map((t) => [t.rule, t.due_at]).sort(),
            [['ocse.action_low', iso(T0 - HOUR + 28 * DAY)], ['ocse.identify', iso(T0 - HOUR + 3 * DAY)]]);
        // The suspect: a registered sex offender whose home has a child.
        const suspect = await createPerson(srv, { given_name: 'Dorian', family_name: 'Horsfield', dob: '1979-03-03', confirmed_new: true,
            addresses: [{ line1: '4 Example Row', town: 'Exampleton', postcode: 'EX1 1AA', valid_from: '2020-01-01' }],
            flags: [{ flag: 'registered_sex_offender', valid_from: '2019-01-01' }] });
        const child = await createPerson(srv, { given_name: 'Kit', family_name: 'Horsfield', dob: '2016-06-06', confirmed_new: true,
            addresses: [{ line1: '4 example row', town: 'Exampleton', postcode: 'ex11aa', valid_from: '2020-01-01' }] });
        r = await ok(api('analyst', 'GET', `/api/online-referrals/${first.id}`));
        assert.ok(r.possible_people.some((p) => p.person_id === suspect.id && /postcode EX11AA/.test(p.matched)));
        advance(2 * HOUR);
        r = await ok(api('analyst', 'POST', `/api/online-referrals/${first.id}/resolve`, { person_id: suspect.id }));
        assert.deepEqual([r.status, r.score, r.band], ['identified', 11, 'very_high']);
        assert.deepEqual(r.reasons, ['lives with a child (+5)', 'a registered sex offender (+4)', 'grooming of a child (+2)']);
        assert.deepEqual(r.suspect.children_at_home.map((c) => c.person_id), [child.id]);
        assert.deepEqual(rules(r), ['ocse.action_very_high', 'ocse.assess']);
        assert.equal(r.tasks.find((t) => t.rule === 'ocse.action_very_high').due_at, iso(T0 - HOUR + DAY));
        // The other referral with the same account now finds the person.
        const second = list.find((x) => x.content_category === 'indecent_images');
        const s2 = await ok(api('analyst', 'GET', `/api/online-referrals/${second.id}`));
        assert.ok(s2.possible_people.some((p) => p.person_id === suspect.id));
        // A change of known facts re-scores: contact offending adds 4.
        r = await ok(api('analyst', 'POST', `/api/online-referrals/${first.id}/factors`,
            { contact_offending: true, escalation: false, previous_convictions: false, role_with_children: false }));
        assert.equal(r.score, 15);
        assert.equal(rules(r).includes('ocse.assess'), false);
        // Ranked first.
        assert.equal((await ok(api('analyst', 'GET', '/api/online-referrals'))).referrals[0].id, first.id);
    });

    test('one step: an urgent investigation allocated to the online team, and a safeguarding referral for the child', async () => {
        // The online team and an officer with what the case needs.
        const team = (await ok(api('admin', 'POST', '/api/teams', { name: 'OCSET', specialisms: ['online_exploitation'], capacity: 20 }), 201))
            .teams.find((t) => t.name === 'OCSET').id;
        const officerId = sqlite(srv.dbPath, "SELECT id FROM app_user WHERE username = 'oinv'")[0].id;
        await ok(api('admin', 'PUT', `/api/officers/${officerId}`, { version: 0, team_id: team, pip_level: 2, abe_trained: true, capacity: 10 }));
        const first = (await ok(api('analyst', 'GET', '/api/online-referrals'))).referrals[0];
        const r = await ok(api('analyst', 'POST', `/api/online-referrals/${first.id}/escalate`, {}));
        assert.ok(r.investigation_id);
        assert.ok(r.safeguarded_at);
        const inv = await ok(api('sup', 'GET', `/api/investigations/${r.investigation_id}`));
        assert.deepEqual([inv.category, inv.complexity, inv.status, inv.officer_id, inv.team_id, inv.risk_to_child],
            ['online_sexual_exploitation', 3, 'allocated', officerId, team, true]);
        assert.equal(inv.links.filter((l) => l.record_type === 'referral').length, 1);
        const refId = inv.links.find((l) => l.record_type === 'referral').record_id;
        const ref = await ok(api('sup', 'GET', `/api/referrals/${refId}`));
        assert.deepEqual([ref.urgency, ref.categories, ref.person.given_name], ['immediate', ['online_harm'], 'Kit']);
        assert.ok(rules(inv).includes('investigation.share_info'));
        // The referral says what it became, for its page.
        assert.deepEqual([r.investigation.id, r.investigation.reference], [inv.id, inv.reference]);
        assert.deepEqual(r.safeguarding_referrals.map((x) => [x.referral_id, x.reference, x.child.given_name]),
            [[refId, ref.reference, 'Kit']]);
        assertError(await api('analyst', 'POST', `/api/online-referrals/${first.id}/escalate`, {}), 409, 'already_escalated');
        // Acting stops the clock.
        const acted = await ok(api('analyst', 'POST', `/api/online-referrals/${first.id}/action`, { action: 'warrant', note: 'Warrant executed' }));
        assert.equal(rules(acted).some((x) => x.startsWith('ocse.action_')), false);
    });

    test('bad input, who may, and the measures by band', async () => {
        assertError(await api('analyst', 'POST', '/api/online-referrals', { source: 'X', source_reference: 'Y', platform: 'Z', content_category: 'grooming', identifiers: [] }),
            422, 'missing_field', 'identifiers');
        assertError(await api('analyst', 'POST', '/api/online-referrals', { source: 'X', source_reference: 'Y', platform: 'Z', content_category: 'grooming',
            identifiers: [{ kind: 'phone', value: 'none' }] }), 422, 'invalid_field', 'identifiers[0].value');
        assertError(await api('analyst', 'POST', '/api/online-referrals/999/resolve', { person_id: 1 }), 404, 'not_found');
        assertError(await api('ch', 'GET', '/api/online-referrals'), 403, 'forbidden');
        assertError(await api('board', 'GET', '/api/online-referrals/1'), 403, 'forbidden');
        const byBand = await ok(api('board', 'GET', '/api/online-referrals/measures?from=2026-05-01'));
        const vh = byBand.bands.find((b) => b.band === 'very_high');
        assert.deepEqual([vh.received, vh.actioned, vh.actioned_in_time], [1, 1, 1]);
        const r5 = (await ok(api('sup', 'GET', `/api/assurance?from=2026-05-01&to=${iso(now).slice(0, 10)}`))).recommendations.find((x) => x.number === 5);
        const m = (k) => { const x = r5.measures.find((y) => y.key === k); return [x.numerator, x.denominator]; };
        assert.deepEqual(m('r5_ocse_actioned_in_time'), [1, 1], 'the very high one in a day; the rest not yet due');
        assert.deepEqual(m('r5_ocse_child_safeguarded'), [1, 1]);
        assert.deepEqual(m('r5_ocse_backlog'), [0, 5]);
    });
});

describe('online referrals: the demo data (seed --online-referrals)', () => {
    let srv;
    before(async () => {
        srv = await startServer({ people: 50 });
    });
    after(async () => {
        await srv?.stop();
    });

    test('every band in the queue, one escalated with its safeguarding referral; a second run adds nothing', async () => {
        const seed = () => cli(['seed', '--db', srv.dbPath, '--people', '0', '--users', '--investigations', '8',
            '--online-referrals', '12', '--clock', CLOCK]);
        seed();
        const list = await srv.api('GET', '/api/online-referrals');
        assert.equal(list.status, 200, list.text);
        assert.deepEqual([...new Set(list.json.referrals.map((r) => r.band))], ['very_high', 'high', 'medium', 'low']);
        assert.ok(list.json.referrals.some((r) => r.overdue), 'some are overdue');
        const n = sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM online_referral')[0].n;
        assert.equal(n, 12);
        const esc = sqlite(srv.dbPath, 'SELECT id FROM online_referral WHERE investigation_id IS NOT NULL');
        assert.equal(esc.length, 1);
        const r = await srv.api('GET', `/api/online-referrals/${esc[0].id}`);
        assert.equal(r.json.safeguarding_referrals.length, 1);
        assert.ok(r.json.identifiers.every((i) => i.kind !== 'email' || /@example\.(org|net)$/.test(i.value)));
        seed();
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM online_referral')[0].n, 12);
        assertError(await srv.api('GET', '/api/online-referrals/999999'), 404, 'not_found');
    });
});
