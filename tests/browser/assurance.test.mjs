// assurance.test.mjs — the Force Assurance Board's pages in Chromium: the
// overview with live measures from seeded incidents, a recommendation with
// its trend charts (the images load), commentary and a new action written
// by a supervisor through the forms (with an error put right on the way),
// the action's history, and the board's read-only view. axe runs on every
// page; screenshots go to test-output/browser/assurance-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, cli, startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';

describe('assurance pages', () => {
    let env;
    before(async () => {
        env = await startBrowserEnv({ people: 300, seed: 11 });
        // Demo incidents through the same domain functions as the API.
        cli(['seed', '--db', env.srv.dbPath, '--people', '0', '--incidents', '80', '--clock', '2026-06-01T12:00:00Z']);
    });
    after(() => env?.close());

    /** Waits for every chart image on the page and returns their natural widths. */
    const chartWidths = (page) => page.locator('img.sg-chart').evaluateAll((imgs) => Promise.all(imgs.map((el) =>
        el.complete ? el.naturalWidth : new Promise((r) => { el.onload = el.onerror = () => r(el.naturalWidth); }))));

    test('the overview shows every recommendation with live measures, off-target ones and overdue actions', async () => {
        const page = await env.newPage('supervisor');
        assert.equal((await page.goto('/assurance')).status(), 200);
        assert.equal(await page.locator('h1').innerText(), 'Assurance: inspection recommendations');
        assert.equal(await page.locator('table.govuk-table').first().locator('tbody tr').count(), 8);
        const body = await page.locator('main').innerText();
        assert.match(body, /Response reflects the risk: (Green|Amber|Red)/, 'a live RAG from the seeded incidents');
        assert.match(body, /Measures off target/);
        assert.match(body, /Overdue actions/);
        assert.ok(await page.getByRole('link', { name: /board pack/ }).count());
        assert.ok(await page.getByRole('link', { name: /monthly figures/ }).count());
        await screenshot(page, 'assurance-overview');
        await axeCheck(page, 'assurance overview');
        await page.context().close();
    });

    test('a supervisor writes the commentary and adds an action, putting a bad date right', async () => {
        const page = await env.newPage('supervisor');
        await page.goto('/assurance');
        await Promise.all([page.waitForURL(/\/assurance\/recommendations\/\d+$/),
            page.getByRole('link', { name: /^1\. / }).click()]);
        assert.equal(await page.locator('h1').innerText(), 'Recommendation 1');
        const widths = await chartWidths(page);
        assert.ok(widths.length >= 2, 'a chart per measure');
        for (const w of widths) assert.ok(w > 0, 'every trend chart loads');
        await axeCheck(page, 'recommendation 1');

        // Commentary for this month.
        await page.getByText(/Write the commentary for/).click();
        await page.locator('#text').fill('Grading now follows THRIVE; attendance still slips at night.');
        await submit(page, 'Save commentary');
        assert.match(page.url(), /\/assurance\/recommendations\/\d+$/);
        assert.match(await page.locator('.govuk-inset-text').innerText(), /Grading now follows THRIVE/);

        // An action with an impossible due date: the form comes back with the error and the text kept.
        await page.getByText('Add an action', { exact: true }).click();
        await page.locator('#new-title').fill('Night-shift grading audit');
        await page.locator('#new-owner').fill('Control room superintendent');
        await page.locator('#new-due_on').fill('2026-02-30');
        await submit(page, 'Add the action');
        assert.match(await errorSummary(page), /due_on/);
        assert.equal(await page.locator('#title').inputValue(), 'Night-shift grading audit');
        await screenshot(page, 'assurance-action-error');
        await axeCheck(page, 'add action with an error');
        await page.locator('#due_on').fill('2026-09-30');
        await submit(page, 'Add the action');
        assert.match(page.url(), /\/assurance\/recommendations\/\d+$/);
        const card = page.locator('.govuk-summary-card', { hasText: 'Night-shift grading audit' });
        assert.match(await card.innerText(), /30 September 2026/);

        // Change it, then read its history.
        await Promise.all([page.waitForURL(/\/assurance\/actions\/\d+$/), card.getByRole('link').click()]);
        await page.locator('#status').selectOption('in_progress');
        await page.locator('#attachments').fill('DOC-2026-118\nDOC-2026-119');
        await submit(page, 'Save changes');
        await Promise.all([page.waitForURL(/\/assurance\/actions\/\d+$/),
            page.locator('.govuk-summary-card', { hasText: 'Night-shift grading audit' }).getByRole('link').click()]);
        const history = await page.locator('table.govuk-table').innerText();
        assert.match(history, /Status\s+Not started|Status\s+not_started/i);
        assert.match(history, /Attachments/);
        assert.match(history, /Created/);
        assert.match(await page.locator('dl').innerText(), /DOC-2026-119/);
        await screenshot(page, 'assurance-action');
        await axeCheck(page, 'action with history');
        await page.context().close();
    });

    test('the board reads the same pages with no forms, no evidence and no names', async () => {
        const page = await env.newPage('assurance_board');
        assert.equal((await page.goto('/assurance')).status(), 200);
        await axeCheck(page, 'assurance overview (board)');
        await Promise.all([page.waitForURL(/\/assurance\/recommendations\/\d+$/),
            page.getByRole('link', { name: /^1\. / }).click()]);
        assert.equal(await page.locator('form[method="post"]:not(.sg-header__signout)').count(), 0, 'no forms for the board');
        assert.match(await page.locator('main').innerText(), /Grading now follows THRIVE/, 'the commentary is for the board');
        for (const w of await chartWidths(page)) assert.ok(w > 0);
        await screenshot(page, 'assurance-recommendation-board');
        await axeCheck(page, 'recommendation 1 (board)');
        const card = page.locator('.govuk-summary-card', { hasText: 'Night-shift grading audit' });
        await Promise.all([page.waitForURL(/\/assurance\/actions\/\d+$/), card.getByRole('link').click()]);
        const text = await page.locator('main').innerText();
        assert.doesNotMatch(text, /DOC-2026-119/, 'no document references for the board');
        assert.doesNotMatch(text, /\bsupervisor\b/, 'no staff names for the board');
        await axeCheck(page, 'action (board)');
        await page.context().close();
    });
});
