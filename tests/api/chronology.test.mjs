// chronology.test.mjs — one child, one view (issue 15) through the API: a
// fixture child with events in every area present (person record and flags,
// an incident with THRIVE and the child's voice, missing episodes with a
// co-missing child, a referral sent to two agencies, an investigation, an
// online referral the child is at home for, police protection) gives the
// exact expected timeline, newest first, and the exact risk summary; the
// area and period filters; connections; the partner rule (an agency sees
// only the steps of referrals sent to it); exports recorded in the audit
// trail with what they included; the children at risk board and its change
// token; and the refusals (403 by role, 404 restricted, 422 filters).
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time, so the 28- and 90-day counts and the board's times are exact.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const THRIVE = {
    threat: 'Adult violent at home', harm: 'Physical and emotional harm', risk: 'High',
    investigation: 'Assault', vulnerability: 'Child aged 13', engagement: 'Mother engaging',
};

describe('chronology: one child, one view', () => {
    let srv, clockDir, clockFile;
    let now = T0;
    const tok = {};
    const setClock = (ms) => {
        now = ms;
        writeFileSync(clockFile, `${iso(ms)}\n`);
    };
    const at = (ms) => setClock(ms);
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const api = (who, method, path, body) => srv.api(method, path, { body, headers: as(who) });
    const ok = async (p, status = 200) => {
        const r = await p;
        assert.equal(r.status, status, r.text);
        return r.json;
    };
    const fx = {}; // the fixture's records

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        srv = await startServer({ clock: `file:${clockFile}`, people: 0 });
        const mk = (name, roles, opts) => { tok[name] = makeUser(srv.dbPath, `ch${name}`, roles, opts); };
        mk('sup', ['supervisor'], { team: 'East' });
        mk('sup2', ['supervisor'], { team: 'East' });
        mk('resp', ['response_officer'], { team: 'East' });
        mk('resp2', ['response_officer'], { team: 'East' });
        mk('coord', ['missing_coordinator'], { team: 'East' });
        mk('hub', ['safeguarding_hub'], { team: 'MASH' });
        mk('inv', ['investigator'], { team: 'CAIT' });
        mk('analyst', ['ocse_analyst'], { team: 'OCSET' });
        mk('ch', ['call_handler']);
        mk('board', ['assurance_board']);
        mk('admin', ['admin']);
        // Two partner agencies, each with a portal user.
        const csc = await ok(api('admin', 'POST', '/api/agencies',
            { name: 'Eastshire Children\'s Services', kind: 'childrens_social_care', local_authority: 'Eastshire' }), 201);
        const health = await ok(api('admin', 'POST', '/api/agencies', { name: 'Eastshire Health', kind: 'health' }), 201);
        fx.csc = (csc.agencies ?? [csc]).find((a) => a.name.startsWith('Eastshire Children')).id;
        fx.health = (health.agencies ?? [health]).find((a) => a.name === 'Eastshire Health').id;
        mk('pcsc', ['partner_agency'], { agency: 'Eastshire Children\'s Services' });
        mk('phealth', ['partner_agency'], { agency: 'Eastshire Health' });
        mk('pschool', ['partner_agency'], { agency: 'Eastfield School' });
    });
    after(async () => {
        await srv?.stop();
        rmSync(clockDir, { recursive: true, force: true });
    });

    test('build the fixture: a child with events in every area', async () => {
        const home = { line1: '7 Timeline Terrace', town: 'Eastfield', postcode: 'EX2 2BB', valid_from: '2020-01-01' };
        fx.child = await createPerson(srv, {
            given_name: 'Ruby', family_name: 'Chronicle', dob: '2012-04-04', confirmed_new: true, addresses: [home],
            flags: [{ flag: 'child_protection_plan', valid_from: '2026-01-10', local_authority: 'Eastshire' }],
        });
        fx.adult = await createPerson(srv, {
            given_name: 'Carl', family_name: 'Chronicle', dob: '1985-02-02', confirmed_new: true, addresses: [home],
        });
        fx.friend = await createPerson(srv, { given_name: 'Sam', family_name: 'Otherside', dob: '2011-09-09', confirmed_new: true });
        // Day 0, +1 h: domestic abuse with the child present; THRIVE; the child's voice.
        at(T0 + HOUR);
        fx.inc = await ok(api('resp', 'POST', '/api/incidents', {
            location: '7 Timeline Terrace', postcode: 'EX2 2BB', nature: 'domestic_abuse', caller_name: 'A Neighbour',
            persons: [{ person_id: fx.child.id, role: 'child_present' }, { person_id: fx.adult.id, role: 'suspect' }],
        }), 201);
        at(T0 + HOUR + 10 * MIN);
        await ok(api('resp', 'POST', `/api/incidents/${fx.inc.id}/thrive`, { ...THRIVE, domestic_abuse_child_present: true }));
        at(T0 + 3 * HOUR);
        await ok(api('resp', 'PUT', `/api/incidents/${fx.inc.id}/voice/${fx.child.id}`,
            { seen: true, seen_alone: true, spoken_to: true, words: 'I hid under my bed when he shouted' }));
        // Day 50: missing with a friend, returned the next day.
        at(T0 + 50 * DAY);
        fx.mis = await ok(api('coord', 'POST', '/api/missing', {
            person_id: fx.child.id, reported_by: 'Mother', reported_by_relationship: 'parent',
            last_seen_at: iso(now - 2 * HOUR), last_seen_location: 'Bus station', missing_from: '7 Timeline Terrace',
            circumstances: 'Did not come home from school', risk: 'high', risk_rationale: 'Age 13, on a protection plan',
        }), 201);
        fx.mis2 = await ok(api('coord', 'POST', '/api/missing', {
            person_id: fx.friend.id, reported_by: 'Carer', last_seen_at: iso(now - 2 * HOUR), last_seen_location: 'Bus station',
            missing_from: '12 Other Road', circumstances: 'Left with Ruby', risk: 'medium', risk_rationale: 'Age 14',
        }), 201);
        at(T0 + 50 * DAY + 30 * MIN);
        await ok(api('coord', 'POST', `/api/missing/${fx.mis.id}/links`, { reference: fx.mis2.reference, reason: 'missing_together' }));
        at(T0 + 51 * DAY);
        await ok(api('coord', 'POST', `/api/missing/${fx.mis.id}/return`, {
            returned_at: iso(now - HOUR), location: 'Home', found_by: 'Came home by herself', state: 'safe_and_well',
        }));
        // Day 70: a referral to two agencies; children's services acknowledge.
        at(T0 + 70 * DAY);
        fx.ref = await ok(api('resp', 'POST', '/api/referrals', {
            person_id: fx.child.id, categories: ['domestic_abuse', 'child_sexual_exploitation'], summary: 'Violence at home; older men',
            child_voice: 'Ruby said she is scared', risk_view: 'High', consent: 'not_sought',
            consent_reason: 'Sharing protects the child', urgency: 'immediate',
            members: [{ person_id: fx.adult.id, relationship: 'father' }],
            agencies: [{ id: fx.csc }, { id: fx.health }],
        }), 201);
        const sub = await ok(api('resp', 'POST', `/api/referrals/${fx.ref.id}/submit`, { version: fx.ref.version }));
        at(T0 + 70 * DAY + HOUR);
        await ok(api('hub', 'POST', `/api/referrals/${fx.ref.id}/review`, { version: sub.version, decision: 'approve' }));
        at(T0 + 71 * DAY);
        await ok(api('pcsc', 'POST', `/api/portal/referrals/${fx.ref.id}/acknowledge`, { note: 'Received' }));
        // Day 80: an exploitation investigation with the child as victim.
        at(T0 + 80 * DAY);
        fx.invn = await ok(api('sup', 'POST', '/api/investigations', {
            crime_type: 'Child sexual exploitation', category: 'child_sexual_exploitation', complexity: 2,
            summary: 'Older men at the bus station', persons: [{ person_id: fx.child.id, role: 'victim' }],
        }), 201);
        // Day 85: an online referral whose suspect (the adult) lives with the child.
        at(T0 + 85 * DAY);
        fx.online = await ok(api('analyst', 'POST', '/api/online-referrals', {
            source: 'NCA CEOP', source_reference: 'CEOP-9001', platform: 'ChatApp', content_category: 'indecent_images',
            received_at: iso(now - HOUR), identifiers: [{ kind: 'email', value: 'carl.c@example.org' }],
        }), 201);
        await ok(api('analyst', 'POST', `/api/online-referrals/${fx.online.id}/resolve`, { person_id: fx.adult.id }));
        at(T0 + 85 * DAY + HOUR);
        await ok(api('analyst', 'POST', `/api/online-referrals/${fx.online.id}/escalate`, {}));
        // Day 89: police protection, still in force.
        at(T0 + 89 * DAY);
        fx.pp = await ok(api('resp', 'POST', '/api/police-protection', {
            person_id: fx.child.id, power: 'removed', circumstances: 'Found alone at night after a party',
            grounds: 'Likely to suffer significant harm if left', incident_id: fx.inc.id,
        }), 201);
        at(T0 + 89 * DAY + 2 * HOUR);
    });

    const chron = (who, query = '') => api(who, 'GET', `/api/people/${fx.child.id}/chronology${query}`);
    const rowsOf = (c) => c.entries.map((e) => [e.at, e.area, e.kind, e.risk, e.reference]);

    // The whole timeline, newest first: what the fixture recorded, in order.
    const EXPECTED = () => [
        ['2026-05-30T09:00:00Z', 'protection', 'initiated', null, 'PP-2026-000001'],
        ['2026-05-26T10:00:00Z', 'referrals', 'drafted', 'immediate', 'REF-2026-000002'],
        ['2026-05-26T08:00:00Z', 'online', 'online_referral', 'medium', 'OCS-2026-000001'],
        ['2026-05-21T09:00:00Z', 'investigations', 'opened', null, 'INV-2026-000001'],
        // Acknowledging opens it too, recorded just after: the later first.
        ['2026-05-12T09:00:00Z', 'referrals', 'opened', null, 'REF-2026-000001'],
        ['2026-05-12T09:00:00Z', 'referrals', 'acknowledged', null, 'REF-2026-000001'],
        ['2026-05-11T10:00:00Z', 'referrals', 'sent', 'immediate', 'REF-2026-000001'],
        ['2026-05-11T10:00:00Z', 'referrals', 'sent', 'immediate', 'REF-2026-000001'],
        ['2026-05-11T10:00:00Z', 'referrals', 'approved', null, 'REF-2026-000001'],
        ['2026-05-11T09:00:00Z', 'referrals', 'submitted', null, 'REF-2026-000001'],
        ['2026-05-11T09:00:00Z', 'referrals', 'drafted', 'immediate', 'REF-2026-000001'],
        ['2026-04-22T08:00:00Z', 'missing', 'returned', null, 'MIS-2026-000001'],
        ['2026-04-21T09:30:00Z', 'missing', 'link', null, 'MIS-2026-000001'],
        ['2026-04-21T09:00:00Z', 'missing', 'risk_change', 'high', 'MIS-2026-000001'],
        ['2026-04-21T09:00:00Z', 'missing', 'report', null, 'MIS-2026-000001'],
        ['2026-03-02T12:00:00Z', 'voice', 'voice', null, 'INC-2026-000001'],
        ['2026-03-02T10:10:00Z', 'incidents', 'thrive', null, 'INC-2026-000001'],
        ['2026-03-02T10:00:00Z', 'incidents', 'incident', null, 'INC-2026-000001'],
        ['2026-03-02T09:00:00Z', 'people', 'record_created', null, null],
        ['2026-01-10', 'people', 'flag_started', null, null],
    ];

    test('the exact timeline, newest first, every area, with links and the child\'s words flagged', async () => {
        const c = await ok(chron('sup'));
        assert.deepEqual(c.person, { id: fx.child.id, given_name: 'Ruby', family_name: 'Chronicle', dob: '2012-04-04', age: 14, is_child: true });
        assert.deepEqual(rowsOf(c), EXPECTED());
        assert.equal(c.total, 20);
        assert.deepEqual(c.areas.map((a) => [a.area, a.count]), [['people', 2], ['incidents', 2], ['voice', 1], ['missing', 4],
            ['referrals', 8], ['investigations', 1], ['online', 1], ['protection', 1], ['custody', 0], ['offenders', 0],
            ['disclosure', 0]]);
        const by = (kind) => c.entries.find((e) => e.kind === kind);
        // The child's own words, verbatim and flagged; nothing else is.
        assert.deepEqual(c.entries.filter((e) => e.voice).map((e) => [e.summary, e.words, e.link]),
            [['Seen alone and spoken to', 'I hid under my bed when he shouted', `/incidents/${fx.inc.id}`]]);
        assert.equal(c.voice_entries, 1);
        assert.equal(by('incident').summary, 'domestic abuse at 7 Timeline Terrace (open)');
        assert.equal(by('thrive').summary, 'THRIVE assessment: risk High');
        assert.equal(by('flag_started').summary, 'Flag started: child protection plan (Eastshire)');
        assert.equal(by('online_referral').summary, 'indecent images on ChatApp: the child lives with the suspect');
        assert.equal(by('online_referral').link, `/online-referrals/${fx.online.id}`);
        assert.equal(by('initiated').link, `/police-protection/${fx.pp.id}`);
        assert.equal(by('returned').link, `/missing/${fx.mis.id}`);
        assert.equal(by('opened').link, `/investigations/${fx.invn.id}`);
        assert.equal(by('record_created').link, `/people/${fx.child.id}`);
        assert.deepEqual(c.entries.filter((e) => e.kind === 'sent').map((e) => e.summary),
            ['Sent to Eastshire Health (portal)', 'Sent to Eastshire Children\'s Services (portal)']);
    });

    test('the risk summary is derived from the records: flags, now, investigations, exploitation, counts, tasks', async () => {
        const { summary: s } = await ok(chron('sup'));
        assert.deepEqual(s.flags, [{ flag: 'child_protection_plan', since: '2026-01-10', local_authority: 'Eastshire' }]);
        assert.deepEqual([s.child_protection_plan, s.looked_after, s.in], [true, false, { missing: false, protection: true, custody: false }]);
        assert.deepEqual(s.now, [{
            state: 'protection', label: 'In police protection', reference: 'PP-2026-000001', link: `/police-protection/${fx.pp.id}`,
            since: '2026-05-30T09:00:00Z', time_in_state: '2 h 0 min', risk: null, next_due: '2026-05-30T10:00:00Z',
            next_task: 'Appoint the designated officer',
        }]);
        assert.deepEqual(s.open_investigations, [{ reference: 'INV-2026-000001', link: `/investigations/${fx.invn.id}`,
            category: 'child_sexual_exploitation', status: 'new', role: 'victim' }]);
        assert.deepEqual(s.exploitation.map((x) => [x.area, x.indicator, x.reference]),
            [['investigations', 'child sexual exploitation', 'INV-2026-000001'], ['referrals', 'child sexual exploitation', 'REF-2026-000001']]);
        // Now is day 89 + 2 h: the record (day 0) is inside 90 days, the flag (January) is not.
        assert.deepEqual(s.counts.map((x) => [x.area, x.last_28_days, x.last_90_days]), [['people', 0, 1], ['incidents', 0, 2],
            ['voice', 0, 1], ['missing', 0, 4], ['referrals', 8, 8], ['investigations', 1, 1], ['online', 1, 1], ['protection', 1, 1],
            ['custody', 0, 0], ['offenders', 0, 0], ['disclosure', 0, 0]]);
        assert.deepEqual(s.open_tasks.map((t) => [t.rule, t.due_at, t.overdue]), [
            ['incident.referral', '2026-03-03T10:00:00Z', true],
            ['missing.prevention_interview', '2026-04-23T08:00:00Z', true],
            ['missing.rhi_referral', '2026-04-23T08:00:00Z', true],
            ['referral.acknowledgement', '2026-05-12T10:00:00Z', true],
            ['referral.send_immediate', '2026-05-26T11:00:00Z', true],
            ['protection.designate', '2026-05-30T10:00:00Z', true],
            ['protection.inform_la', '2026-05-30T10:00:00Z', true],
            ['protection.inform_parents', '2026-05-30T11:00:00Z', false],
            ['protection.inform_child', '2026-05-30T11:00:00Z', false],
            ['protection.release_or_epo', '2026-06-02T03:00:00Z', false],
            ['protection.expiry', '2026-06-02T09:00:00Z', false],
        ]);
    });

    test('connections: household, incident, online suspect, same address, co-missing child; since the earliest link', async () => {
        const { connections } = await ok(chron('sup'));
        assert.deepEqual(connections.map((p) => [p.person_id, p.name, p.is_child, p.since, p.restricted]), [
            [fx.adult.id, 'Carl Chronicle', false, '2020-01-01', false],
            [fx.friend.id, 'Sam Otherside', true, '2026-04-21T09:30:00Z', false],
        ]);
        assert.deepEqual(connections[0].links.map((l) => [l.how, l.reference]), [
            ['household member (father)', 'REF-2026-000001'],
            ['suspect in an incident', 'INC-2026-000001'],
            ['suspect in an online referral; the child lives with them', 'OCS-2026-000001'],
            ['lives at the same address', '7 Timeline Terrace, EX2 2BB'],
        ]);
        assert.deepEqual(connections[1].links.map((l) => [l.how, l.link]), [['missing episode link: missing together', `/missing/${fx.mis.id}`]]);
        // Following a link is a read like any other: audited on that person.
        await ok(api('sup', 'GET', `/api/people/${fx.friend.id}`));
        const audit = sqlite(srv.dbPath, `SELECT action, username FROM audit_log WHERE record_type = 'person' AND record_id = ${fx.friend.id} AND username = 'chsup'`);
        assert.deepEqual(audit.map((a) => a.action), ['read']);
    });

    test('filters: by area and by period (UK days, inclusive); counts per area follow the period', async () => {
        let c = await ok(chron('sup', '?area=missing'));
        assert.deepEqual(rowsOf(c), EXPECTED().filter((e) => e[1] === 'missing'));
        assert.deepEqual(c.filters, { area: 'missing', from: null, to: null });
        assert.equal(c.areas.find((a) => a.area === 'missing').selected, true);
        c = await ok(chron('sup', '?from=2026-04-22&to=2026-05-11'));
        assert.deepEqual(rowsOf(c), EXPECTED().filter((e) => e[0] >= '2026-04-22' && e[0] < '2026-05-12'));
        assert.deepEqual(c.areas.filter((a) => a.count).map((a) => [a.area, a.count]), [['missing', 1], ['referrals', 5]]);
        c = await ok(chron('sup', '?area=voice&from=2026-03-02&to=2026-03-02'));
        assert.deepEqual(c.entries.map((e) => e.words), ['I hid under my bed when he shouted']);
        c = await ok(chron('sup', '?area=voice&from=2026-03-03'));
        assert.deepEqual(c.entries, []);
        // The summary is about the child now, whatever the filter.
        assert.equal(c.summary.counts.find((x) => x.area === 'referrals').last_28_days, 8);
        assertError(await chron('sup', '?area=gossip'), 422, 'invalid_enum', 'area');
        assertError(await chron('sup', '?from=2026-02-30'), 422, 'invalid_date', 'from');
        assertError(await chron('sup', '?to=yesterday'), 422, 'invalid_date', 'to');
        assertError(await chron('sup', '?from=2026-05-02&to=2026-05-01'), 422, 'invalid_range', 'to');
        assertError(await chron('sup', '?page=2'), 422, 'unknown_query_parameter', 'page');
    });

    test('a reader sees only the areas they may read; roles without chronology.read are refused', async () => {
        // An investigator holds no police protection or online referral read.
        const c = await ok(chron('inv'));
        // (Investigators do read disclosure scheme applications; this child has none.)
        assert.deepEqual(c.areas.map((a) => a.area), ['people', 'incidents', 'voice', 'missing', 'referrals', 'investigations', 'disclosure']);
        assert.deepEqual(rowsOf(c), EXPECTED().filter((e) => !['protection', 'online'].includes(e[1])));
        assert.deepEqual(c.summary.now, []);
        assert.deepEqual(c.connections[0].links.map((l) => l.how).includes('suspect in an online referral; the child lives with them'), false);
        for (const who of ['resp', 'ch', 'coord', 'analyst', 'board', 'admin', 'pcsc'])
            assertError(await chron(who), 403, 'forbidden');
        assertError(await api('inv', 'GET', `/api/people/${fx.child.id}/chronology/export.pdf`), 403, 'forbidden');
        assertError(await api('sup', 'GET', '/api/people/999999/chronology'), 404, 'not_found');
        assertError(await api('sup', 'GET', '/api/people/abc/chronology'), 404, 'not_found');
    });

    test('restricted people: the chronology answers 404 (audited); in connections they are unnamed', async () => {
        const hidden = await createPerson(srv, { given_name: 'Quinn', family_name: 'Hidden', dob: '2010-01-01', confirmed_new: true,
            restricted_to: { teams: ['CAIT'] } });
        assertError(await api('sup', 'GET', `/api/people/${hidden.id}/chronology`), 404, 'not_found');
        const denied = sqlite(srv.dbPath, `SELECT action FROM audit_log WHERE record_type = 'person' AND record_id = ${hidden.id} AND username = 'chsup'`);
        assert.deepEqual(denied.map((a) => a.action), ['denied_restricted']);
        // The investigator's team may see them, and names them in a referral about the friend.
        await ok(api('inv', 'POST', '/api/referrals', { person_id: fx.friend.id, categories: ['neglect'],
            members: [{ person_id: hidden.id, relationship: 'cousin' }] }), 201);
        const c = await ok(api('sup', 'GET', `/api/people/${fx.friend.id}/chronology`));
        const h = c.connections.find((p) => p.person_id === hidden.id);
        assert.deepEqual([h.restricted, h.name, h.dob], [true, null, null]);
        const seen = await ok(api('inv', 'GET', `/api/people/${fx.friend.id}/chronology`)); // team CAIT may see them
        assert.equal(seen.connections.find((p) => p.person_id === hidden.id).name, 'Quinn Hidden');
    });

    test('export: PDF and JSON, recorded in the audit trail with what was included and who exported it', async () => {
        const pdf = await srv.fetch(`/api/people/${fx.child.id}/chronology/export.pdf?area=missing`, { headers: as('sup') });
        assert.equal(pdf.status, 200);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        const bytes = Buffer.from(await pdf.arrayBuffer());
        assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
        const js = await ok(api('hub', 'GET', `/api/people/${fx.child.id}/chronology/export.json`));
        assert.deepEqual(rowsOf(js), rowsOf(await ok(chron('hub'))));
        assert.deepEqual(js.exported, { at: iso(now), by: 'chhub', username: 'chhub' });
        const audit = sqlite(srv.dbPath, `SELECT action, username, route, detail FROM audit_log WHERE record_type = 'person'
            AND record_id = ${fx.child.id} AND action = 'export' ORDER BY id`);
        assert.deepEqual(audit.map((a) => [a.username, a.route, JSON.parse(a.detail)]), [
            ['chsup', 'GET /api/people/{id}/chronology/export.pdf',
                { format: 'pdf', area: 'missing', from: null, to: null, areas: ['missing'], entries: 4, voice_entries: 0 }],
            ['chhub', 'GET /api/people/{id}/chronology/export.json',
                // The hub reads neither police protection nor online referrals.
                { format: 'json', area: null, from: null, to: null, areas: ['referrals', 'investigations', 'missing', 'voice', 'incidents', 'people'],
                    entries: 18, voice_entries: 1 }],
        ]);
        // A plain read is audited as a read of the person, naming the view.
        const reads = sqlite(srv.dbPath, `SELECT detail FROM audit_log WHERE record_type = 'person' AND record_id = ${fx.child.id}
            AND route = 'GET /api/people/{id}/chronology' ORDER BY id DESC LIMIT 1`);
        assert.equal(JSON.parse(reads[0].detail).view, 'chronology');
    });

    test('partners: only the steps of referrals sent to their own agency; nothing else, and 404 for the rest', async () => {
        const csc = await ok(api('pcsc', 'GET', `/api/portal/people/${fx.child.id}/chronology`));
        assert.deepEqual(csc.entries.map((e) => [e.at, e.area, e.kind, e.summary, e.link]), [
            ['2026-05-12T09:00:00Z', 'referrals', 'opened', 'Opened in the portal', `/portal/referrals/${fx.ref.id}`],
            ['2026-05-12T09:00:00Z', 'referrals', 'acknowledged', 'Acknowledged by Eastshire Children\'s Services: Received', `/portal/referrals/${fx.ref.id}`],
            ['2026-05-11T10:00:00Z', 'referrals', 'sent', 'Sent to Eastshire Children\'s Services (portal)', `/portal/referrals/${fx.ref.id}`],
        ]);
        assert.deepEqual(Object.keys(csc).sort(), ['agency', 'entries', 'exported', 'filters', 'person', 'total', 'voice_entries']);
        assert.deepEqual(csc.person, { id: fx.child.id, given_name: 'Ruby', family_name: 'Chronicle', dob: '2012-04-04', age: 14 });
        const health = await ok(api('phealth', 'GET', `/api/portal/people/${fx.child.id}/chronology`));
        assert.deepEqual(health.entries.map((e) => e.summary), ['Sent to Eastshire Health (portal)']);
        // An agency sent nothing, another child, a made-up id: the same 404.
        const none = await api('pschool', 'GET', `/api/portal/people/${fx.child.id}/chronology`);
        assertError(none, 404, 'not_found');
        assertError(await api('pcsc', 'GET', `/api/portal/people/${fx.friend.id}/chronology`), 404, 'not_found');
        assertError(await api('pcsc', 'GET', '/api/portal/people/999999/chronology'), 404, 'not_found');
        // Partners cannot use the force's chronology, and staff cannot use the portal's.
        assertError(await api('pcsc', 'GET', `/api/people/${fx.child.id}/chronology/export.json`), 403, 'forbidden');
        assertError(await api('sup', 'GET', `/api/portal/people/${fx.child.id}/chronology`), 403, 'forbidden');
        const pdf = await srv.fetch(`/api/portal/people/${fx.child.id}/chronology.pdf`, { headers: as('phealth') });
        assert.equal(pdf.status, 200);
        const audit = sqlite(srv.dbPath, `SELECT username, detail FROM audit_log WHERE record_id = ${fx.child.id}
            AND route LIKE 'GET /api/portal/people/%' AND action = 'export' ORDER BY id`);
        assert.deepEqual(audit.map((a) => [a.username, JSON.parse(a.detail).agency, JSON.parse(a.detail).entries, JSON.parse(a.detail).format]),
            [['chpcsc', 'Eastshire Children\'s Services', 3, 'json'], ['chphealth', 'Eastshire Health', 1, 'json'],
                ['chphealth', 'Eastshire Health', 1, 'pdf']]);
    });

    test('children at risk now: missing and in police protection, deadlines first; the change token moves with the records', async () => {
        let b = await ok(api('sup', 'GET', '/api/children-at-risk'));
        assert.deepEqual(b.children.map((x) => [x.state, x.reference, x.name, x.time_in_state, x.risk, x.next_due, x.officer, x.overdue]), [
            ['missing', 'MIS-2026-000002', 'Sam Otherside', '39 days 2 h', 'medium', '2026-04-21T11:00:00Z', 'chcoord', true],
            ['protection', 'PP-2026-000001', 'Ruby Chronicle', '2 h 0 min', null, '2026-05-30T10:00:00Z', 'chresp', true],
        ]);
        assert.deepEqual(b.states, [{ state: 'missing', label: 'Missing', count: 1 }, { state: 'protection', label: 'In police protection', count: 1 },
            { state: 'custody', label: 'In custody', count: 0 }]);
        const v1 = (await ok(api('sup', 'GET', '/api/children-at-risk/version'))).change_token;
        assert.equal(v1, b.change_token);
        assert.doesNotMatch(v1, /Ruby|Sam|Chronicle/);
        // Polling the token is not a read of anyone's data: not audited.
        const n = sqlite(srv.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE route = 'GET /api/children-at-risk/version'")[0].n;
        assert.equal(n, 0);
        // A new missing report moves the token and joins the board.
        at(now + 5 * MIN);
        const kid = await createPerson(srv, { given_name: 'Nell', family_name: 'Newcase', dob: '2013-03-03', confirmed_new: true });
        await ok(api('coord', 'POST', '/api/missing', { person_id: kid.id, reported_by: 'Father', last_seen_at: iso(now - HOUR),
            last_seen_location: 'Park', missing_from: '1 New Street', circumstances: 'Ran off', risk: 'high', risk_rationale: 'Age 13' }), 201);
        const v2 = (await ok(api('sup', 'GET', '/api/children-at-risk/version'))).change_token;
        assert.notEqual(v2, v1);
        b = await ok(api('ch', 'GET', '/api/children-at-risk'));
        assert.deepEqual(b.children.map((x) => x.name), ['Sam Otherside', 'Ruby Chronicle', 'Nell Newcase']);
        // Releasing the child takes them off the board.
        await ok(api('resp', 'POST', `/api/police-protection/${fx.pp.id}/release`, { at: iso(now), released_to: 'Grandmother' }));
        b = await ok(api('sup', 'GET', '/api/children-at-risk'));
        assert.deepEqual(b.children.map((x) => x.state), ['missing', 'missing']);
        assert.deepEqual((await ok(chron('sup'))).summary.in, { missing: false, protection: false, custody: false });
        // A missing coordinator sees the missing children only (no police protection read).
        b = await ok(api('coord', 'GET', '/api/children-at-risk'));
        assert.deepEqual(b.states.map((x) => x.state), ['missing']);
        for (const who of ['resp', 'inv', 'analyst', 'board', 'admin', 'pcsc']) {
            assertError(await api(who, 'GET', '/api/children-at-risk'), 403, 'forbidden');
            assertError(await api(who, 'GET', '/api/children-at-risk/version'), 403, 'forbidden');
        }
    });
});
