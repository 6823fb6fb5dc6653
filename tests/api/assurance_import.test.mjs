// assurance_import.test.mjs — importing further inspections
// (docs/assurance-import.md) through the API, the form and the CLI: a good
// JSON document and a good CSV file with due dates derived from the
// timescales, a file with several bad rows answered with every error and
// nothing written, an inspection already recorded refused, the declared body
// fields, who may import and list, and the form's round trip (every error in
// the summary, the input kept, 303 to /assurance on success).
//
// Every example is synthetic: "Exampleshire Police" is an invented force.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, makeUser, runCli, sqlite, TEST_PASSWORD,
} from './harness.mjs';

const IMPORT_TABLES = ['inspection', 'recommendation', 'recommendation_point', 'recommendation_action', 'audit_log'];

function counts(db) {
    const sql = IMPORT_TABLES.map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`).join(' UNION ALL ');
    return Object.fromEntries(sqlite(db, sql).map((r) => [r.t, r.n]));
}

/** The counts after fn, minus audit rows fn was allowed to add (denials). */
function unchangedExceptAudit(before, after) {
    const { audit_log: a, ...rest } = before;
    const { audit_log: b, ...restAfter } = after;
    assert.deepEqual(restAfter, rest, 'the request changed the inspection tables');
    return b - a;
}

const GOOD_JSON = {
    body: 'HMICFRS',
    title: 'PEEL inspection of child protection',
    force: 'Exampleshire Police',
    published_on: '2024-01-31',
    recommendations: [
        {
            number: 1, text: 'Within one month, the force should improve triage of calls about children.',
            timescale: 'within 1 month', owner: 'Head of Contact',
            points: [{ label: 'a', text: 'Grade by risk' }, { label: 'b', text: 'Review repeat callers' }],
            actions: [
                { title: 'Audit 50 calls', owner: 'Control room inspector', due_on: '2024-02-28', status: 'in_progress' },
                { title: 'Brief call handlers' },
            ],
        },
        { number: 2, text: 'Immediately, the force should record the voice of the child.', timescale: 'immediately',
            measures: ['r2_voice_recorded'] },
        { number: 3, text: 'Review custody for children.', timescale: 'Within six months', owner: null },
    ],
};

// CRLF line ends, a byte order mark, quoted fields with commas, doubled
// quotes and a line break, sub-points, and a trailing blank row.
const GOOD_CSV = '\ufeff' + [
    'body,title,force,published_on,number,text,timescale,owner,points',
    'HMICFRS,Joint targeted area inspection,Exampleshire Police,2023-08-31,1,"Improve ""front door"" decisions, quickly.",within 3 months,Head of MASH,"a) Record reasons | b) Share within 24 hours"',
    'HMICFRS,Joint targeted area inspection,Exampleshire Police,2023-08-31,2,"Two lines:\r\nsecond line",6 months,,',
    'HMICFRS,Joint targeted area inspection,Exampleshire Police,2023-08-31,3,Plain text,immediately,Head of Crime,(i) First | (ii) Second',
    ',,,,,,,,',
    '',
].join('\r\n');

const HEADER = 'body,title,force,published_on,number,text,timescale,owner,points';
const ROW = (n, rest) => `HMICFRS,Thematic inspection,Exampleshire Police,2025-02-28,${n},${rest}`;
// Row numbers count the header as row 1, as a spreadsheet does.
const BAD_CSV = [
    HEADER,
    ROW(1, 'Fine text,immediately,,'), //                          row 2: fine
    ROW(0, 'Text,soon,,'), //                                      row 3: number, timescale
    ROW(1, ',within 61 months,,'), //                              row 4: duplicate, empty text, timescale
    'HMICFRS,Thematic inspection,Exampleshire Police,2025-02-30,4,Text,immediately,,', // row 5: differs
    ROW(5, 'Text,immediately'), //                                 row 6: too few fields
    ROW(6, '"quoted" text,immediately,,'), //                      row 7: text after a closing quote
    ROW(7, 'Text,immediately,,a) one | a) two | c three'), //      row 8: label twice, no label
    ROW(8, `${'x'.repeat(4001)},immediately,,`), //                row 9: too long
    '',
].join('\n');

const BAD_CSV_ERRORS = [
    ['row 3, number', 'invalid_number', 'row 3, number: must be 1 or more, not 0'],
    ['row 3, timescale', 'invalid_timescale',
        "row 3, timescale: 'soon' is not a timescale: write 'immediately' or 'within N months' with N from 1 to 60"],
    ['row 4, number', 'duplicate_number', 'row 4, number: recommendation 1 is also given at row 2'],
    ['row 4, text', 'empty_field', 'row 4, text: must not be empty'],
    ['row 4, timescale', 'invalid_timescale',
        "row 4, timescale: 'within 61 months' is not a timescale: write 'immediately' or 'within N months' with N from 1 to 60"],
    ['row 5, published_on', 'different_inspection',
        "row 5, published_on: '2025-02-30' differs from row 2 ('2025-02-28'): every row must describe the same inspection"],
    ['row 6', 'wrong_column_count', 'row 6: has 7 fields but the header has 9'],
    ['row 7, text', 'malformed_csv',
        'row 7, text: text follows the closing quote of a quoted field (a quote inside a quoted field is written twice: "")'],
    ['row 8, points', 'duplicate_label', "row 8, points: sub-point 'a' is given twice"],
    ['row 8, points', 'invalid_points',
        "row 8, points: sub-point 3 does not start with its label and ')', such as 'a) Improve supervision'"],
    ['row 9, text', 'too_long', 'row 9, text: is 4001 characters long; at most 4000 are allowed'],
];

describe('assurance: importing further inspections', () => {
    let srv;
    const tok = {};
    const as = (who) => ({ Authorization: `Bearer ${tok[who]}` });
    const post = (who, body) => srv.api('POST', '/api/assurance/inspections', { body, headers: as(who) });

    before(async () => {
        srv = await startServer({ people: 0 }); // `seed` loads the 2022 inspection
        tok.sup = makeUser(srv.dbPath, 'isup', ['supervisor']);
        tok.board = makeUser(srv.dbPath, 'iboard', ['assurance_board']);
        tok.partner = makeUser(srv.dbPath, 'ipartner', ['partner_agency'], { agency: 'Test Children\'s Services' });
    });
    after(() => srv?.stop());

    test('a good JSON document: 201 with due dates from the timescales, sub-points and actions; audited', async () => {
        const r = await post('sup', { format: 'json', content: JSON.stringify(GOOD_JSON) });
        assert.equal(r.status, 201, r.text);
        const insp = r.json;
        assert.deepEqual([insp.body, insp.title, insp.force, insp.published_on],
            ['HMICFRS', GOOD_JSON.title, 'Exampleshire Police', '2024-01-31']);
        const recs = insp.recommendations;
        assert.deepEqual(recs.map((x) => x.number), [1, 2, 3]);
        // 31 January + 1 month is clamped to 29 February (2024 is a leap year).
        assert.deepEqual(recs.map((x) => x.due_on), ['2024-02-29', '2024-01-31', '2024-07-31']);
        assert.deepEqual(recs.map((x) => [x.timescale, x.timescale_months]),
            [['months', 1], ['immediately', null], ['months', 6]]);
        assert.deepEqual(recs.map((x) => x.owner), ['Head of Contact', null, null]);
        assert.deepEqual(recs[0].points, GOOD_JSON.recommendations[0].points);
        assert.deepEqual(recs[0].actions.map((a) => [a.title, a.owner, a.due_on, a.status]), [
            ['Audit 50 calls', 'Control room inspector', '2024-02-28', 'in_progress'],
            ['Brief call handlers', null, null, 'not_started'],
        ]);
        const audit = sqlite(srv.dbPath,
            `SELECT action, route, detail FROM audit_log WHERE record_type = 'inspection' AND record_id = ${insp.id}`);
        assert.deepEqual(audit, [{ action: 'create', route: 'POST /api/assurance/inspections',
            detail: '{"format":"json","recommendations":3}' }]);
        // The overview shows the new recommendations beside the seeded eight.
        const o = await srv.api('GET', '/api/assurance', { headers: as('sup') });
        assert.equal(o.status, 200, o.text);
        const mine = o.json.recommendations.filter((x) => x.inspection.id === insp.id);
        assert.equal(mine.length, 3);
        // Measures go where the document puts them, never by number: this
        // inspection's recommendation 1 does not borrow the 2022 one's.
        assert.deepEqual(mine.map((x) => x.measures.map((m) => m.key)), [[], ['r2_voice_recorded'], []]);
        const seeded1 = o.json.recommendations.find((x) => x.inspection.published_on === '2022-08-05' && x.number === 1);
        assert.ok(seeded1.measures.some((m) => m.key === 'r1_grade_reflects_risk'));
    });

    test('measures named in a document must be in the registry, once each', async () => {
        const doc = { ...GOOD_JSON, title: 'Measures check', recommendations: [
            { number: 1, text: 'x', timescale: 'immediately', measures: ['r1_grade_reflects_risk', 'no_such_measure', 'r1_grade_reflects_risk', 7] },
        ] };
        const r = await post('sup', { format: 'json', content: JSON.stringify(doc) });
        assert.equal(r.status, 422, r.text);
        const where = r.json.errors.map((e) => [e.code, e.location]);
        assert.deepEqual(where, [
            ['unknown_measure', 'recommendations[0].measures[1]'],
            ['duplicate_measure', 'recommendations[0].measures[2]'],
            ['invalid_type', 'recommendations[0].measures[3]'],
        ]);
    });

    test('a good CSV file (BOM, CRLF, quotes, a line break in a field, sub-points): 201', async () => {
        const r = await post('sup', { format: 'csv', content: GOOD_CSV });
        assert.equal(r.status, 201, r.text);
        const recs = r.json.recommendations;
        assert.equal(r.json.title, 'Joint targeted area inspection');
        assert.deepEqual(recs.map((x) => x.text),
            ['Improve "front door" decisions, quickly.', 'Two lines:\nsecond line', 'Plain text']);
        assert.deepEqual(recs.map((x) => x.due_on), ['2023-11-30', '2024-02-29', '2023-08-31']);
        assert.deepEqual(recs.map((x) => x.owner), ['Head of MASH', null, 'Head of Crime']);
        assert.deepEqual(recs[0].points, [{ label: 'a', text: 'Record reasons' }, { label: 'b', text: 'Share within 24 hours' }]);
        assert.deepEqual(recs[2].points.map((p) => p.label), ['i', 'ii']);
        assert.deepEqual(recs[1].points, []);
        assert.deepEqual(recs[0].actions, []);
    });

    test('a CSV file with several bad rows: 422 with every error and its location; nothing written', async () => {
        const before = counts(srv.dbPath);
        const r = await post('sup', { format: 'csv', content: BAD_CSV });
        assert.equal(r.status, 422, r.text);
        assert.deepEqual(Object.keys(r.json).sort(), ['error', 'errors']);
        assert.deepEqual(r.json.errors.map((e) => [e.location, e.code, e.message]), BAD_CSV_ERRORS);
        for (const e of r.json.errors) {
            assert.deepEqual(Object.keys(e).sort(), ['code', 'field', 'location', 'message', 'status']);
            assert.equal(e.status, 422);
            assert.equal(e.field, 'content');
        }
        // "error" is the first of them, in the shape every error has.
        const first = assertError({ ...r, json: { error: r.json.error } }, 422, 'invalid_number', 'content');
        assert.equal(first.message, BAD_CSV_ERRORS[0][2]);
        assert.equal(unchangedExceptAudit(before, counts(srv.dbPath)), 0, 'a refused import writes no audit row');
    });

    test('a JSON document with faults at every level: each named by its path', async () => {
        const doc = {
            body: 'HMICFRS', title: 'Spot check', force: 'Exampleshire Police', published_on: '2026-06-02', colour: 'red',
            recommendations: [
                { number: 1, text: 'A', timescale: { months: 3 } },
                { number: '2', text: 'B', timescale: 'immediately', points: [{ label: 'a', text: 'x' }, { label: 'a', text: 'y' }] },
                { number: 3, text: 'C', timescale: 'immediately', actions: [{ title: 'T', status: 'done', due_on: '2024-02-30' }] },
            ],
        };
        const r = await post('sup', { format: 'json', content: JSON.stringify(doc) });
        assert.equal(r.status, 422, r.text);
        assert.deepEqual(r.json.errors.map((e) => e.message), [
            "colour: is not a field of an inspection document (those are body, title, force, published_on and recommendations)",
            'published_on: 2026-06-02 is after today (2026-06-01)',
            "recommendations[0].timescale: must be text: 'immediately' or 'within N months'",
            'recommendations[1].number: must be a whole number, such as 3',
            "recommendations[1].points[1].label: sub-point 'a' is given twice",
            "recommendations[2].actions[0].due_on: '2024-02-30' is not a real date written YYYY-MM-DD, such as 2023-03-01",
            "recommendations[2].actions[0].status: 'done' is not an action status: use not_started, in_progress, complete or blocked",
        ]);
        const bad = await post('sup', { format: 'json', content: '{"body": "HMICFRS",' });
        assert.equal(bad.status, 422, bad.text);
        assert.equal(bad.json.errors.length, 1);
        assert.match(bad.json.errors[0].message, /^line 1, column \d+: is not valid JSON: /);
    });

    test('an inspection already recorded is refused, with nothing written', async () => {
        const seeded = {
            body: 'HMICFRS', title: 'National child protection inspection', force: 'Warwickshire Police',
            published_on: '2022-08-05', recommendations: [{ number: 1, text: 'Again', timescale: 'immediately' }],
        };
        const before = counts(srv.dbPath);
        const r = await post('sup', { format: 'json', content: JSON.stringify(seeded) });
        assert.equal(r.status, 422, r.text);
        assert.equal(r.json.errors.length, 1);
        assert.equal(r.json.error.code, 'inspection_exists');
        assert.match(r.json.error.message,
            /^document: this inspection \(HMICFRS, 'National child protection inspection', Warwickshire Police, published 2022-08-05\) is already recorded as inspection \d+$/);
        // The JSON document imported earlier, sent again as it was.
        const again = await post('sup', { format: 'json', content: JSON.stringify(GOOD_JSON) });
        assert.equal(again.status, 422, again.text);
        assert.deepEqual(again.json.errors.map((e) => e.code), ['inspection_exists']);
        assert.equal(unchangedExceptAudit(before, counts(srv.dbPath)), 0);
    });

    test('the body is declared: format and content are required, format is csv or json, content is capped', async () => {
        assertError(await post('sup', { content: 'x' }), 422, 'missing_field', 'format');
        assertError(await post('sup', { format: 'xml', content: 'x' }), 422, 'invalid_field', 'format');
        assertError(await post('sup', { format: 'csv' }), 422, 'missing_field', 'content');
        assertError(await post('sup', { format: 'csv', content: '   ' }), 422, 'invalid_field', 'content');
        assertError(await post('sup', { format: 'csv', content: 'x', extra: 1 }), 422, 'unknown_field', 'extra');
        assertError(await post('sup', { format: 'csv', content: 'x'.repeat(512 * 1024 + 1) }), 422, 'invalid_field', 'content');
        const empty = await post('sup', { format: 'csv', content: `${HEADER}\n` });
        assert.equal(empty.status, 422);
        assert.deepEqual(empty.json.errors.map((e) => e.message),
            ['row 2: there are no recommendation rows: give one row per recommendation below the header']);
    });

    test('who may: the board lists inspections but cannot import; a partner agency may do neither', async () => {
        const list = await srv.api('GET', '/api/assurance/inspections', { headers: as('board') });
        assert.equal(list.status, 200, list.text);
        const byTitle = Object.fromEntries(list.json.inspections.map((i) => [i.title, i]));
        assert.equal(byTitle['National child protection inspection'].recommendations, 8);
        assert.equal(byTitle[GOOD_JSON.title].recommendations, 3);
        assert.equal(byTitle['Joint targeted area inspection'].recommendations, 3);
        assert.deepEqual(Object.keys(list.json.inspections[0]).sort(),
            ['body', 'force', 'id', 'published_on', 'recommendations', 'title']);
        // Newest first.
        const dates = list.json.inspections.map((i) => i.published_on);
        assert.deepEqual(dates, [...dates].sort().reverse());
        assertError(await post('board', { format: 'json', content: '{}' }), 403, 'forbidden');
        assertError(await srv.api('GET', '/api/assurance/inspections/new', { headers: as('board') }), 403, 'forbidden');
        assertError(await srv.api('GET', '/api/assurance/inspections', { headers: as('partner') }), 403, 'forbidden');
        assertError(await post('partner', { format: 'json', content: '{}' }), 403, 'forbidden');
    });

    test('the form: every error in the summary, the input kept; then 303 to /assurance', async () => {
        const login = await srv.api('POST', '/api/session', {
            body: { username: 'isup', password: TEST_PASSWORD }, headers: { Authorization: null },
        });
        assert.equal(login.status, 201, login.text);
        const cookie = /sg_session=([^;]*)/.exec(login.headers.get('set-cookie'))[1];
        const headers = { Authorization: null, Cookie: `sg_session=${cookie}` };
        const form = await srv.fetch('/assurance/inspections/new', { headers });
        assert.equal(form.status, 200);
        const html = await form.text();
        assert.match(html, /<form method="post" action="\/assurance\/inspections"/);
        assert.match(html, /id="format" name="format" type="radio" value="csv" checked/);
        assert.match(html, /<textarea[^>]*id="content"/);

        const send = (format, content) => srv.fetch('/assurance/inspections', {
            method: 'POST', redirect: 'manual',
            headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ csrf_token: login.json.csrf_token, format, content }).toString(),
        });
        const before = counts(srv.dbPath);
        const bad = await send('csv', BAD_CSV);
        assert.equal(bad.status, 422);
        const page = await bad.text();
        const summary = /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(page)[1];
        const items = [...summary.matchAll(/<li><a href="#content">(.*?)<\/a><\/li>/g)].map((m) => m[1]);
        const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
            .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        assert.deepEqual(items, BAD_CSV_ERRORS.map((e) => esc(e[2])));
        assert.match(page, /The document has 11 problems, listed above. Nothing was imported./);
        // The input is kept, escaped, and the chosen format stays chosen.
        assert.ok(page.includes(`>${esc(BAD_CSV)}</textarea>`), 'the pasted text is kept');
        assert.match(page, /value="csv" checked/);
        assert.equal(unchangedExceptAudit(before, counts(srv.dbPath)), 0);

        const doc = { ...GOOD_JSON, title: 'Inspection imported through the form' };
        const ok = await send('json', JSON.stringify(doc, null, 2));
        assert.equal(ok.status, 303);
        assert.equal(ok.headers.get('location'), '/assurance');
        assert.equal(sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM inspection WHERE title = '${doc.title}'`)[0].n, 1);

        // /assurance links to the form for those who may import, not for the board.
        const mine = await (await srv.fetch('/assurance', { headers })).text();
        assert.match(mine, /<a class="govuk-link" href="\/assurance\/inspections\/new">Import an inspection<\/a>/);
        const board = await (await srv.fetch('/assurance', { headers: as('board') })).text();
        assert.doesNotMatch(board, /Import an inspection/);
    });

    test('the CLI: imports a file and audits it; a bad file prints every error, imports nothing and exits 1', () => {
        const good = join(srv.dir, 'cli-good.csv');
        writeFileSync(good, GOOD_CSV.replace(/Joint targeted area inspection/g, 'Imported from the command line'));
        const r = runCli(['import', 'inspection', '--db', srv.dbPath, '--file', good]);
        assert.equal(r.status, 0, r.stderr);
        const m = /^safeguard: imported inspection (\d+) \(HMICFRS, 'Imported from the command line', Exampleshire Police, published 2023-08-31\) with 3 recommendations from '.*cli-good\.csv'\n$/.exec(r.stdout);
        assert.ok(m, r.stdout);
        const audit = sqlite(srv.dbPath, `SELECT username, action, route, detail FROM audit_log WHERE record_type = 'inspection' AND record_id = ${m[1]}`);
        assert.deepEqual(audit, [{ username: 'cli', action: 'create', route: 'cli import inspection',
            detail: '{"format":"csv","recommendations":3}' }]);

        const bad = join(srv.dir, 'cli-bad.txt');
        writeFileSync(bad, BAD_CSV);
        const before = counts(srv.dbPath);
        const b = runCli(['import', 'inspection', '--db', srv.dbPath, '--file', bad, '--format', 'csv']);
        assert.equal(b.status, 1);
        assert.equal(b.stdout, '');
        assert.deepEqual(b.stderr.trimEnd().split('\n'), [
            ...BAD_CSV_ERRORS.map((e) => `safeguard import inspection: ${e[2]}`),
            `safeguard import inspection: 11 problems in '${bad}'; nothing was imported`,
        ]);
        assert.deepEqual(counts(srv.dbPath), before);
        // Usage errors exit 2: no format known, no file given.
        assert.equal(runCli(['import', 'inspection', '--db', srv.dbPath, '--file', bad]).status, 2);
        assert.equal(runCli(['import', 'inspection', '--db', srv.dbPath]).status, 2);
        assert.equal(runCli(['import', 'inspections']).status, 2);
    });
});
