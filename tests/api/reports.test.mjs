// Data quality: aggregates computed from the live records, the chart drawn
// by the one chart module as SVG (pages) and PDF (report packs), and only
// for roles that may see aggregates.
import assert from 'node:assert/strict';
import { startServer, makeUser, sqlite, describe, before, after, test } from './harness.mjs';

describe('data quality aggregates, SVG chart and PDF report', () => {
    let srv, board, partner;
    before(async () => {
        srv = await startServer({ people: 300, seed: 11, roles: ['supervisor'] });
        board = makeUser(srv.dbPath, 'board1', ['assurance_board']);
        partner = makeUser(srv.dbPath, 'partner1', ['partner_agency'], { agency: 'Demo LA' });
    });
    after(async () => srv?.stop());

    test('counts match the database', async () => {
        const r = await srv.api('GET', '/api/data-quality', { headers: { Authorization: `Bearer ${board}` } });
        assert.equal(r.status, 200, r.text);
        const n = (sql) => sqlite(srv.dbPath, sql)[0].n;
        assert.equal(r.json.people, n('SELECT COUNT(*) n FROM person'));
        assert.equal(r.json.without_dob, n('SELECT COUNT(*) n FROM person WHERE dob IS NULL'));
        const banded = r.json.age_bands.reduce((a, b) => a + b.people, 0);
        assert.equal(banded, n('SELECT COUNT(*) n FROM person WHERE dob IS NOT NULL'),
            'every person with a date of birth falls in exactly one band');
    });

    test('a repeated name and date of birth counts as a possible duplicate', async () => {
        const before = (await srv.api('GET', '/api/data-quality')).json.possible_duplicates;
        const body = { given_name: 'Dupli', family_name: 'Catesworth', dob: '2012-01-02', confirmed_new: true };
        assert.equal((await srv.api('POST', '/api/people', { body })).status, 201);
        assert.equal((await srv.api('POST', '/api/people', { body })).status, 201);
        const afterCount = (await srv.api('GET', '/api/data-quality')).json.possible_duplicates;
        assert.equal(afterCount, before + 1);
    });

    test('the chart is SVG and the report is PDF', async () => {
        const svg = await srv.fetch('/api/data-quality/chart.svg');
        assert.equal(svg.status, 200);
        assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
        assert.match(await svg.text(), /<svg[\s\S]*People by age band/);
        const pdf = await srv.fetch('/api/data-quality/report.pdf');
        assert.equal(pdf.status, 200);
        assert.equal(pdf.headers.get('content-type'), 'application/pdf');
        const bytes = Buffer.from(await pdf.arrayBuffer());
        assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    });

    test('partner agencies see no aggregates', async () => {
        for (const path of ['/api/data-quality', '/api/data-quality/chart.svg', '/api/data-quality/report.pdf']) {
            const r = await srv.api('GET', path, { headers: { Authorization: `Bearer ${partner}` } });
            assert.equal(r.status, 403, path);
        }
    });
});

describe('search marks likely duplicates', () => {
    let srv;
    before(async () => {
        srv = await startServer({ roles: ['supervisor'] });
    });
    after(async () => srv?.stop());

    test('two records with the same name and date of birth are both marked', async () => {
        const body = { given_name: 'Twinnie', family_name: 'Doublerecord', dob: '2013-05-06', confirmed_new: true };
        const a = await srv.api('POST', '/api/people', { body });
        const b = await srv.api('POST', '/api/people', { body: { ...body, given_name: 'TWINNIE' } });
        const c = await srv.api('POST', '/api/people', { body: { ...body, dob: '2013-05-07' } });
        assert.equal(a.status + b.status + c.status, 603);
        const r = await srv.api('GET', '/api/people?q=Twinnie%20Doublerecord');
        const marked = Object.fromEntries(r.json.results.map((p) => [p.id, p.possible_duplicate]));
        assert.equal(marked[a.json.id], true);
        assert.equal(marked[b.json.id], true);
        assert.equal(marked[c.json.id], false, 'a different date of birth is not marked');
    });
});
