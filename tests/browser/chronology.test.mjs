// chronology.test.mjs — one child, one view in the browser: a supervisor
// opens a child's record, follows "Chronology", sees every area's events
// newest first with the child's own words highlighted (and announced as
// theirs to screen readers), filters to the child's voice, and exports the
// PDF with their session; the children at risk board shows a new missing
// report without being reloaded, and works without JavaScript (it reloads
// itself every minute). Pages are checked with axe (no serious or critical
// violations) and screenshotted to test-output/browser/chronology-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck,
} from './browser.mjs';

describe('chronology and the children at risk board (supervisor)', () => {
    let env;
    let page;
    let child;
    let api;

    before(async () => {
        env = await startBrowserEnv({ people: 20, seed: 5 });
        api = async (method, path, body, status = 201) => {
            const r = await env.srv.api(method, path, { body });
            assert.equal(r.status, status, r.text);
            return r.json;
        };
        child = await api('POST', '/api/people', {
            given_name: 'Esme', family_name: 'Timeline', dob: '2013-05-05', confirmed_new: true,
            flags: [{ flag: 'child_protection_plan', valid_from: '2026-01-05' }],
        });
        const mum = await api('POST', '/api/people', { given_name: 'Jo', family_name: 'Timeline', dob: '1987-01-01', confirmed_new: true });
        const inc = await api('POST', '/api/incidents', {
            location: '3 Chronicle Close', nature: 'domestic_abuse',
            persons: [{ person_id: child.id, role: 'child_present' }, { person_id: mum.id, role: 'victim' }],
        });
        await api('PUT', `/api/incidents/${inc.id}/voice/${child.id}`,
            { seen: true, spoken_to: true, words: 'I want my mum to be safe' }, 200);
        await api('POST', '/api/missing', {
            person_id: child.id, reported_by: 'Mother', last_seen_at: '2026-06-01T10:00:00Z', last_seen_location: 'School gates',
            missing_from: '3 Chronicle Close', circumstances: 'Did not come home', risk: 'high', risk_rationale: 'On a plan, aged 13',
        });
        page = await env.newPage('supervisor');
    });
    after(async () => {
        await page?.context().close();
        await env?.close();
    });

    test('from the record to the chronology: every area, newest first, the child\'s words highlighted', async () => {
        await page.goto(`/people/${child.id}`);
        await page.getByRole('link', { name: 'Chronology' }).click();
        await page.waitForURL(`**/people/${child.id}/chronology`);
        assert.equal((await page.locator('h1').innerText()).trim(), 'Chronology: Esme Timeline');
        const areas = await page.locator('#chronology tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.area));
        // The fixed clock makes today's records simultaneous: they keep the
        // source table's order; the flag (January) is oldest.
        assert.deepEqual(areas, ['people', 'incidents', 'voice', 'missing', 'missing', 'people']);
        const voice = page.locator('#chronology tr.sg-voice');
        assert.equal(await voice.count(), 1);
        assert.equal((await voice.locator('.sg-voice__words').innerText()).replace(/\s+/g, ' ').trim(), 'In the child\'s own words: I want my mum to be safe');
        // The highlight is visible: the row has its own background and border.
        const style = await voice.evaluate((el) => getComputedStyle(el).borderLeftStyle);
        assert.equal(style, 'solid');
        const summary = await page.locator('#risk-summary').innerText();
        assert.match(summary, /Child protection plan/);
        assert.match(summary, /Missing\s+MIS-2026-\d+ for/);
        await screenshot(page, 'chronology-page');
        await axeCheck(page, 'chronology page');
    });

    test('filter to the child\'s voice; export the PDF with the session', async () => {
        await page.locator('#area').selectOption('voice');
        await Promise.all([page.waitForURL(/area=voice/), page.getByRole('button', { name: 'Show' }).click()]);
        assert.equal(await page.locator('#chronology tbody tr').count(), 1);
        assert.match(await page.locator('#entry-count').innerText(), /1 entries, newest first; 1 in the child's own voice/);
        const href = await page.getByRole('link', { name: 'Export as PDF' }).getAttribute('href');
        assert.match(href, /export\.pdf\?area=voice&from=&to=$/);
        const pdf = await page.request.get(href);
        assert.equal(pdf.status(), 200);
        assert.equal(pdf.headers()['content-type'], 'application/pdf');
        await axeCheck(page, 'chronology filtered');
    });

    test('the board shows a new missing report without a reload', async () => {
        await page.goto('/children-at-risk');
        assert.equal((await page.locator('h1').innerText()).trim(), 'Children at risk now');
        assert.equal(await page.locator('#at-risk-board tbody tr').count(), 1);
        await screenshot(page, 'chronology-board');
        await axeCheck(page, 'children at risk board');
        // Mark the document: a reload would lose the mark.
        await page.evaluate(() => { window.notReloaded = true; });
        const other = await api('POST', '/api/people', { given_name: 'Fin', family_name: 'Newlymissing', dob: '2012-02-02', confirmed_new: true });
        const ep = await api('POST', '/api/missing', {
            person_id: other.id, reported_by: 'Carer', last_seen_at: '2026-06-01T11:00:00Z', last_seen_location: 'Park',
            missing_from: '9 Home Street', circumstances: 'Ran off', risk: 'medium', risk_rationale: 'Aged 14',
        });
        await page.locator(`#at-risk-board tr[data-reference="${ep.reference}"]`).waitFor({ timeout: 15000 });
        assert.equal(await page.evaluate(() => window.notReloaded), true, 'the board updated in place');
        assert.match(await page.locator(`tr[data-reference="${ep.reference}"]`).innerText(), /Fin Newlymissing/);
        assert.equal(await page.locator('#at-risk-status').innerText(), 'The board has been updated.');
        await screenshot(page, 'chronology-board-updated');
    });

    test('without JavaScript the board is a plain page that reloads itself', async () => {
        const ctx = await env.newContext({ javaScriptEnabled: false });
        const plain = await ctx.newPage();
        await plain.goto('/sign-in');
        await plain.locator('#username').fill('inspector');
        await plain.locator('#password').fill('safeguard-demo-2026');
        await Promise.all([plain.waitForURL((u) => !u.pathname.startsWith('/sign-in')), plain.getByRole('button', { name: 'Sign in' }).click()]);
        const resp = await plain.goto('/children-at-risk');
        assert.equal(resp.status(), 200);
        assert.equal(await plain.locator('#at-risk-board tbody tr').count(), 2);
        assert.match(await resp.text(), /<noscript><meta http-equiv="refresh" content="60"><\/noscript>/);
        await ctx.close();
    });
});
