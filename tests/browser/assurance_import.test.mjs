// assurance_import.test.mjs — a supervisor imports an inspection in Chromium:
// follows "Import an inspection" from /assurance, pastes a CSV file with
// faults, sees every one in the error summary with the text kept, corrects
// it and lands back on /assurance with the new recommendations listed. The
// form, empty and with errors, is checked with axe (no serious or critical
// violations) and screenshotted to test-output/browser/import-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';

const HEADER = 'body,title,force,published_on,number,text,timescale,owner,points';
const ROW = (n, text, timescale) =>
    `HMICFRS,Browser inspection,Exampleshire Police,2025-03-31,${n},${text},${timescale},,`;
const BAD = [HEADER, ROW(1, 'Record the voice of the child', 'soon'), ROW(1, '', 'immediately')].join('\n');
const GOOD = [HEADER, ROW(1, 'Record the voice of the child', 'within 3 months'),
    ROW(2, 'Review missing episodes', 'immediately')].join('\n');

describe('importing an inspection in the browser (supervisor)', () => {
    let env;
    let page;

    before(async () => {
        env = await startBrowserEnv({ people: 0, seed: 1 });
        page = await env.newPage('supervisor');
    });
    after(async () => {
        await page?.context().close();
        await env?.close();
    });

    test('/assurance links to the import form; the form passes axe', async () => {
        assert.equal((await page.goto('/assurance')).status(), 200);
        await Promise.all([page.waitForURL('**/assurance/inspections/new'),
            page.getByRole('link', { name: 'Import an inspection' }).click()]);
        assert.equal((await page.locator('h1').innerText()).trim(), 'Import an inspection');
        assert.equal(await page.locator('#format').isChecked(), true, 'CSV is chosen at first');
        await screenshot(page, 'import-form');
        await axeCheck(page, 'import form');
    });

    test('a file with faults: every one in the summary, the text kept; then imported', async () => {
        await page.locator('#content').fill(BAD);
        const r = await submit(page, 'Import');
        assert.equal(r.status(), 422);
        const summary = await errorSummary(page);
        assert.match(summary, /row 2, timescale: 'soon' is not a timescale/);
        assert.match(summary, /row 3, number: recommendation 1 is also given at row 2/);
        assert.match(summary, /row 3, text: must not be empty/);
        assert.equal(await page.locator('.govuk-error-summary__list li').count(), 3);
        assert.match(await page.locator('#content-error').innerText(), /The document has 3 problems/);
        assert.equal(await page.locator('#content').inputValue(), BAD);
        await screenshot(page, 'import-errors');
        await axeCheck(page, 'import form with errors');
        // A summary link moves focus to the text.
        await page.locator('.govuk-error-summary__list a').first().click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'content');

        await page.locator('#content').fill(GOOD);
        const ok = await submit(page, 'Import');
        assert.equal(ok.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/assurance');
        const table = await page.locator('table').first().innerText();
        assert.match(table, /1\. Record the voice of the child/);
        assert.match(table, /2\. Review missing episodes/);
        assert.match(table, /30 June 2025/); // 31 March + 3 months, clamped
    });
});
