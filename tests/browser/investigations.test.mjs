// investigations.test.mjs — the Investigations pages (issue 10, R5) in a
// browser: a supervisor opens an unallocated investigation, opens Allocate,
// sees the officers ranked with their reasons, is refused a choice outside
// the recommendation without a reason (error summary, choice kept), gives
// one and allocates; the allocation review is in the supervisor's My work;
// the chosen officer records a risk to a child and the information-sharing
// task is in their My work; sharing lands on the referral. The demo data
// (`seed --investigations 8`, at the test clock) is the setup. Every page
// is checked with axe and screenshotted to
// test-output/browser/investigations-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, cli, sqlite, CLOCK,
    startBrowserEnv, signIn, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';

describe('investigations: allocate with reasons, supervision and sharing in My work', () => {
    let env;
    let sup; // the demo supervisor's page
    let inv; // the first demo investigation: unallocated, a child victim
    let ranking; // its ranking, from the API
    let chosen; // the officer chosen outside the recommendation
    const text = async (page, sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();
    const open = (page, summary) => page.locator('summary', { hasText: summary }).click();

    before(async () => {
        env = await startBrowserEnv({ people: 200, seed: 7 });
        // The demo teams, investigators and investigations, at the server's clock.
        cli(['seed', '--db', env.srv.dbPath, '--people', '0', '--users', '--investigations', '8', '--clock', CLOCK]);
        const list = await env.srv.api('GET', '/api/investigations?status=new');
        assert.equal(list.status, 200, list.text);
        inv = list.json.investigations.find((i) => i.crime_type === 'Sexual assault of a child under 13');
        assert.ok(inv, 'the demo investigation waiting to be allocated');
        const r = await env.srv.api('GET', `/api/investigations/${inv.id}/allocation`);
        assert.equal(r.status, 200, r.text);
        ranking = r.json;
        assert.ok(ranking.recommended, 'someone is recommended');
        chosen = ranking.officers.find((o) => o.user_id !== ranking.recommended.officer_id);
        sup = await env.newPage('supervisor');
    });
    after(async () => {
        await sup?.context().close();
        await env?.close();
    });

    test('the supervisor finds the unallocated investigation from the menu', async () => {
        await sup.goto('/work');
        await Promise.all([sup.waitForURL((u) => u.pathname === '/investigations'),
            sup.getByRole('link', { name: 'Investigations', exact: true }).click()]);
        assert.equal(await text(sup, 'h1'), 'Investigations');
        const row = sup.locator('#investigations tbody tr', { hasText: inv.reference });
        assert.match((await row.innerText()).replace(/\s+/g, ' '), /Not allocated/);
        await axeCheck(sup, 'investigations list');
        await screenshot(sup, 'investigations-1-list');
        await Promise.all([sup.waitForURL((u) => u.pathname === `/investigations/${inv.id}`),
            row.getByRole('link', { name: inv.reference }).click()]);
        assert.match(await text(sup, '#allocate-prompt'), /has not been allocated/);
        await axeCheck(sup, 'unallocated investigation');
        await screenshot(sup, 'investigations-2-unallocated');
    });

    test('Allocate shows what the case needs and the officers ranked with their reasons', async () => {
        await Promise.all([sup.waitForURL((u) => u.pathname === `/investigations/${inv.id}/allocation`),
            sup.locator('#allocate-button').click()]);
        assert.equal(await text(sup, 'h1'), 'Allocate');
        const needs = await text(sup, '#needs');
        assert.match(needs, /Child abuse/);
        assert.match(needs, /PIP2 or above/);
        const rec = ranking.officers.find((o) => o.user_id === ranking.recommended.officer_id);
        assert.match(await text(sup, '#recommendation'), new RegExp(`Recommended: ${rec.name}`));
        // Ranked as the engine ranks them, eligible first, each with its reasons.
        const labels = await sup.locator('#officers .govuk-radios__label').allInnerTexts();
        assert.deepEqual(labels.map((l) => l.split(',')[0].trim()), ranking.officers.map((o) => o.name));
        const first = await text(sup, `#officer_id-${rec.user_id}-hint`);
        assert.match(first, /Recommended/);
        assert.match(first, /Meets every need/);
        for (const o of ranking.officers) {
            const items = await sup.locator(`[id="officer_id-${o.user_id}-hint"] li`).allInnerTexts();
            assert.deepEqual(items, o.reasons, `${o.name}'s reasons`);
        }
        assert.ok(ranking.officers.some((o) => o.reasons.includes('PIP1, below PIP2')), 'a reason against someone');
        assert.ok(await sup.locator('#teams tbody tr').count() >= 3);
        await axeCheck(sup, 'allocate');
        await screenshot(sup, 'investigations-3-allocate');
    });

    test('choosing anyone but the recommended officer needs a reason; the choice is kept', async () => {
        await sup.locator(`[id="officer_id-${chosen.user_id}"]`).check();
        let r = await submit(sup, 'Allocate');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(sup), /not the recommended officer: give the reason/);
        assert.match(await text(sup, '#reason-error'), /give the reason/);
        assert.ok(await sup.locator(`[id="officer_id-${chosen.user_id}"]`).isChecked(), 'the choice is kept');
        assert.equal(await sup.locator('#officers .govuk-radios__item').count(), ranking.officers.length, 'the ranking is shown again');
        await axeCheck(sup, 'allocate refused');
        await screenshot(sup, 'investigations-4-allocate-refused');
        await sup.locator('#reason').fill('Knows the family from an earlier case; continuity for the child');
        r = await submit(sup, 'Allocate');
        assert.equal(r.status(), 200, await text(sup, 'main'));
        assert.equal(new URL(sup.url()).pathname, `/investigations/${inv.id}`);
        const to = await text(sup, '#allocated-to');
        assert.match(to, new RegExp(chosen.name));
        assert.match(to, /Reason for the choice: Knows the family from an earlier case/);
        await screenshot(sup, 'investigations-5-allocated');
    });

    test('the allocation review is in the supervisor\'s My work, and the review form records it', async () => {
        await sup.goto('/work');
        const row = sup.locator('table.govuk-table tbody tr', { hasText: 'Supervisory review of the newly allocated investigation' })
            .filter({ has: sup.locator(`a[href="/investigations/${inv.id}"]`) });
        assert.equal(await row.count(), 1, 'the review is in My work');
        await screenshot(sup, 'investigations-6-supervisor-work');
        await sup.goto(`/investigations/${inv.id}`);
        await open(sup, 'Record a supervisory review');
        await sup.locator('#trigger_point').check();
        await sup.locator('#plan_quality').check();
        // Nothing on the direction: refused, shown again with what was typed.
        await sup.locator('#actions_assessment').fill('ABE booked; download requested');
        await sup.locator('#risk_assessment').fill('Suspect bailed away from the child');
        await sup.locator('#victim_contact').fill('Mother updated by phone');
        let r = await submit(sup, 'Save the review');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(sup), /direction/);
        assert.equal(await sup.locator('#victim_contact').inputValue(), 'Mother updated by phone');
        assert.ok(await sup.locator('#trigger_point').isChecked());
        await axeCheck(sup, 'review refused');
        await screenshot(sup, 'investigations-7-review-refused');
        await sup.locator('#direction').fill('ABE within 7 days; update me after the download');
        r = await submit(sup, 'Save the review');
        assert.equal(r.status(), 200, await text(sup, 'main'));
        assert.match(await text(sup, '#reviews-table'), /Allocation/);
        await sup.goto('/work');
        assert.equal(await sup.locator('table.govuk-table tbody tr', { hasText: 'newly allocated' })
            .filter({ has: sup.locator(`a[href="/investigations/${inv.id}"]`) }).count(), 0, 'the review task is done');
    });

    test('the officer records a risk to a child; sharing is in their My work; sharing drafts the referral', async () => {
        const username = sqlite(env.srv.dbPath, `SELECT username FROM app_user WHERE id = ${chosen.user_id}`)[0].username;
        const page = await env.newPage(null);
        await signIn(page, username);
        await page.goto(`/investigations/${inv.id}`);
        await axeCheck(page, 'investigation (officer)');
        await open(page, 'Record a risk to a child');
        let r = await submit(page, 'Record the risk');
        assert.equal(r.status(), 422, 'a risk needs its detail');
        assert.match(await errorSummary(page), /detail/);
        await axeCheck(page, 'risk refused');
        await page.locator('#detail').fill('The suspect lives two streets away and has been seen near the school');
        r = await submit(page, 'Record the risk');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#share-warning'), /has not been shared with children's social care yet/);
        await screenshot(page, 'investigations-8-risk-recorded');
        await page.goto('/work');
        const row = page.locator('table.govuk-table tbody tr', { hasText: "Share the risk to the child with children's social care" })
            .filter({ has: page.locator(`a[href="/investigations/${inv.id}"]`) });
        assert.equal(await row.count(), 1, 'the sharing task is in the officer\'s My work');
        await screenshot(page, 'investigations-9-officer-work');
        await page.goto(`/investigations/${inv.id}`);
        await Promise.all([page.waitForURL((u) => /^\/referrals\/\d+$/.test(u.pathname)),
            page.getByRole('button', { name: "Share with children's social care" }).click()]);
        const referral = Number(new URL(page.url()).pathname.split('/').pop());
        const after = await env.srv.api('GET', `/api/investigations/${inv.id}`);
        assert.ok(after.json.links.some((l) => l.record_type === 'referral' && l.record_id === referral), 'the referral is linked');
        await page.context().close();
    });

    test('the ageing view, teams and investigators', async () => {
        await sup.goto('/investigations/ageing');
        assert.equal(await text(sup, 'h1'), 'Ageing of investigations');
        assert.match(await text(sup, '#cases'), /Stale/, 'the demo\'s stale case is tagged');
        assert.match(await text(sup, '#stages'), /Awaiting forensics/);
        await axeCheck(sup, 'ageing');
        await screenshot(sup, 'investigations-10-ageing');
        await sup.goto('/teams');
        assert.match(await text(sup, '#teams'), /Child Abuse Investigation Unit/);
        await axeCheck(sup, 'teams');
        await screenshot(sup, 'investigations-11-teams');
        await sup.goto('/officers');
        assert.match(await text(sup, '#officers'), /Video-interview \(ABE\) trained/);
        await axeCheck(sup, 'officers');
        await screenshot(sup, 'investigations-12-officers');
    });
});
