// case_audits.test.mjs — a case audit from sampling to the board, in a real
// browser (docs/case-audits.md):
//
//   the force's auditor opens Case audits from the menu, asks for a sample
//   without a month and is told what is missing, samples half of each area's
//   closed child incidents from May, opens one, grades a criterion
//   inadequate without a reason and is told which one (the answers kept),
//   completes the grading, sees it as version 2 in the history, and the
//   board sees the result on the assurance page as a measure, but cannot
//   open the audits.
//
// Every page on the way is checked with axe (no serious or critical
// violations); screenshots go to test-output/browser/case-audit-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit, sqlite,
} from './browser.mjs';

describe('case audits: sample, grade, and the board\'s measure', () => {
    let env;
    let page;
    const incidents = [];

    before(async () => {
        env = await startBrowserEnv({ people: 20, seed: 11 });
        const db = env.srv.dbPath;
        const child = await env.srv.api('POST', '/api/people', {
            body: { given_name: 'Ottilie', family_name: 'Auditwell', dob: '2016-02-02', confirmed_new: true },
        });
        assert.equal(child.status, 201, child.text);
        const [officer] = sqlite(db, "SELECT id FROM app_user WHERE username = 'response_officer'");
        // Four closed child incidents in May 2026, attended by the demo officer (area North).
        for (let i = 1; i <= 4; i++) {
            const [row] = sqlite(db, `INSERT INTO incident (reference, received_at, location, address_key, nature, status,
                grade, attended_at, closed_at, officer_id, created_at, updated_at) VALUES ('INC-2026-80000${i}',
                '2026-05-0${i}T09:00:00Z', '${i} Browser Row', '', 'domestic_abuse', 'closed', 'priority',
                '2026-05-0${i}T09:40:00Z', '2026-05-0${i}T15:00:00Z', ${officer.id}, '2026-05-0${i}T09:00:00Z',
                '2026-05-0${i}T15:00:00Z') RETURNING id`);
            sqlite(db, `INSERT INTO incident_person (incident_id, person_id, role, is_child, linked_at)
                VALUES (${row.id}, ${child.json.id}, 'child_present', 1, '2026-05-0${i}T09:00:00Z')`);
            incidents.push(row.id);
        }
        page = await env.newPage('auditor');
    });
    after(async () => {
        await page?.context().close();
        await env?.close();
    });

    test('the auditor finds Case audits in the menu; nothing is waiting yet', async () => {
        await page.goto('/work');
        await Promise.all([page.waitForURL((u) => u.pathname === '/case-audits'),
            page.getByRole('link', { name: 'Case audits', exact: true }).click()]);
        assert.match(await page.locator('h1').innerText(), /Case audits/);
        assert.match(await page.locator('#no-audits').innerText(), /No audits/);
        await axeCheck(page, 'case audits (empty)');
        await screenshot(page, 'case-audit-list-empty');
    });

    test('sampling without a month is refused naming it; with May, half of each area\'s cases are sampled', async () => {
        await Promise.all([page.waitForURL((u) => u.pathname === '/case-audits/samples/new'),
            page.getByRole('link', { name: 'Sample cases' }).click()]);
        await axeCheck(page, 'sampling form');
        assert.equal(await page.locator('#percent').inputValue(), '10', 'starts at a tenth of each area\'s');
        await page.locator('#month').fill('');
        await page.locator('#percent').fill('50');
        const bad = await submit(page, 'Sample the cases');
        assert.equal(bad.status(), 422);
        assert.match(await errorSummary(page), /Enter the month the records closed in/);
        assert.equal(await page.locator('#percent').inputValue(), '50', 'the percentage is kept');
        assert.ok(await page.locator('#method').isChecked(), 'the method is kept');
        await axeCheck(page, 'sampling form with an error');
        await screenshot(page, 'case-audit-sample-error');

        await page.locator('#month').fill('2026-05');
        const ok = await submit(page, 'Sample the cases');
        assert.equal(ok.status(), 200);
        assert.equal(new URL(page.url()).pathname, '/case-audits');
        assert.match(await page.locator('.govuk-notification-banner').innerText(), /Cases sampled for audit: 2 closed in 2026-05/);
        const rows = page.locator('tbody .govuk-table__row');
        assert.equal(await rows.count(), 2);
        assert.match(await rows.first().innerText(), /INC-2026-80000\d.*2026-05.*North.*Pending/s);
        await axeCheck(page, 'case audits after sampling');
        await screenshot(page, 'case-audit-sampled');
    });

    test('grading: a missing reason is named at its criterion with the answers kept; then saved as version 2', async () => {
        await Promise.all([page.waitForURL((u) => /^\/case-audits\/\d+$/.test(u.pathname)),
            page.locator('tbody .govuk-table__row a').first().click()]);
        const auditPath = new URL(page.url()).pathname;
        assert.match(await page.locator('#record-summary').innerText(), /Domestic abuse/);
        const recordLink = page.getByRole('link', { name: /Open the whole record of INC-2026-80000\d/ });
        assert.match(await recordLink.getAttribute('href'), /^\/incidents\/\d+$/);
        await axeCheck(page, 'an audit to grade');
        await screenshot(page, 'case-audit-form');

        const radio = (key, suffix = '') => page.locator(`[id="grades.${key}.grade${suffix}"]`);
        await radio('risk_assessed').check();
        await radio('response_matched_risk').check();
        await radio('voice_recorded', '-inadequate').check();
        await radio('partners_informed', '-na').check();
        await radio('supervision_evident', '-ri').check();
        await page.locator('[id="grades.supervision_evident.reason"]').fill('No supervisor review of the decision to close');
        await page.locator('#overall_grade-ri').check();
        await page.locator('#overall_reason').fill('Risk handled well; the child was not heard');
        const bad = await submit(page, 'Save the grading');
        assert.equal(bad.status(), 422);
        assert.match(await errorSummary(page), /Give the reason for grading 'Were the child's words.*' as inadequate/);
        assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#grades.voice_recorded.reason');
        assert.ok(await radio('voice_recorded', '-inadequate').isChecked(), 'the grade is kept');
        assert.equal(await page.locator('[id="grades.supervision_evident.reason"]').inputValue(),
            'No supervisor review of the decision to close');
        assert.equal(await page.locator('#overall_reason').inputValue(), 'Risk handled well; the child was not heard');
        assert.equal(await page.locator('[id="grades.voice_recorded.reason-error"]').count(), 1);
        // The summary's link takes the auditor to the field.
        await page.locator('.govuk-error-summary a').click();
        assert.equal(await page.evaluate(() => document.activeElement.id), 'grades.voice_recorded.reason');
        await axeCheck(page, 'the grading form with an error');
        await screenshot(page, 'case-audit-form-error');

        await page.locator('[id="grades.voice_recorded.reason"]').fill('Child present but not spoken to; no reason recorded');
        const ok = await submit(page, 'Save the grading');
        assert.equal(ok.status(), 200);
        assert.equal(new URL(page.url()).pathname, auditPath);
        assert.match(await page.locator('h1').innerText(), /Completed/);
        const card = page.locator('.govuk-summary-card').first();
        assert.match(await card.innerText(), /Version 2/);
        assert.match(await card.innerText(), /Inadequate: Child present but not spoken to/);
        assert.match(await page.locator('#audit-details').innerText(), /Requires improvement/);
        await axeCheck(page, 'a completed audit');
        await screenshot(page, 'case-audit-completed');
    });

    test('the board sees the result only as a measure, and cannot open the audits', async () => {
        const board = await env.newPage('assurance_board');
        try {
            await board.goto('/assurance?from=2026-06-01&to=2026-06-30');
            const text = await board.locator('main').innerText();
            assert.match(text, /Audited case criteria graded good/);
            assert.match(text, /Audited incidents graded good overall/);
            assert.doesNotMatch(text, /INC-2026-80000/);
            assert.equal(await board.getByRole('link', { name: 'Case audits', exact: true }).count(), 0);
            await axeCheck(board, 'assurance for the board');
            await screenshot(board, 'case-audit-board-measures');
            const resp = await board.goto('/case-audits');
            assert.equal(resp.status(), 403);
        } finally {
            await board.context().close();
        }
    });
});
