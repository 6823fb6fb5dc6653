// ocse.test.mjs — the Online referrals pages (issue 11) in a browser, the
// issue's done-when as an OCSET analyst: import a batch (first with a
// mistake: every fault listed in the error summary with its row, the batch
// kept; then corrected), see it ranked by risk with its reasons and due
// times, open a referral, identify its suspect as a person who lives with a
// child and is a registered sex offender (created through the API in setup,
// at the same address), see the band become very high with its reasons,
// and escalate it: the investigation and the safeguarding referral exist
// (the links are followed). Every page is checked with axe and
// screenshotted to test-output/browser/ocse-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after,
    startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';

describe('online referrals: import, ranked by risk, resolve, escalate', () => {
    let env;
    let page; // the demo OCSET analyst's page
    let suspect, child; // the people the referral resolves to
    let referralPath; // the grooming referral's page
    const text = async (sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();
    const open = (summary) => page.locator('summary', { hasText: summary }).click();
    const header = 'source,source_reference,received_at,platform,content_category,summary,identifier_kind,identifier_value,seen_at';
    const rows = [
        'NCA CEOP,CEOP-5001,2026-06-01T08:00:00Z,ChatApp,grooming,Adult grooming a 12-year-old,email,night.owl@example.org,',
        'NCA CEOP,CEOP-5001,2026-06-01T08:00:00Z,ChatApp,grooming,Adult grooming a 12-year-old,postcode,ex2 7zz,',
        'NCA CEOP,CEOP-5002,2026-06-01T07:00:00Z,StreamNow,live_streaming,Live stream of abuse,ip,203.0.113.44,2026-05-30T22:10:00Z',
        'NCA CEOP,CEOP-5003,2026-06-01T06:00:00Z,PhotoShare,indecent_images,Images uploaded,username,owl_watcher,',
    ];

    before(async () => {
        env = await startBrowserEnv({ people: 20, seed: 7 });
        // The suspect (a registered sex offender) and a child at the same
        // address, written differently: compared without case or spaces.
        const s = await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Orson', family_name: 'Nightingale', dob: '1978-04-12', confirmed_new: true,
                addresses: [{ line1: '12 Example Lane', town: 'Exampleton', postcode: 'EX2 7ZZ', valid_from: '2021-01-01' }],
                flags: [{ flag: 'registered_sex_offender', valid_from: '2018-05-01' }],
            },
        });
        assert.equal(s.status, 201, s.text);
        suspect = s.json;
        const c = await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Poppy', family_name: 'Nightingale', dob: '2015-09-03', confirmed_new: true,
                addresses: [{ line1: '12 example lane', town: 'Exampleton', postcode: 'ex27zz', valid_from: '2021-01-01' }],
            },
        });
        assert.equal(c.status, 201, c.text);
        child = c.json;
        page = await env.newPage('ocse_analyst');
    });
    after(async () => {
        await page?.context().close();
        await env?.close();
    });

    test('the analyst finds Online referrals from the menu; the queue is empty', async () => {
        await page.goto('/work');
        await Promise.all([page.waitForURL((u) => u.pathname === '/online-referrals'),
            page.getByRole('link', { name: 'Online referrals', exact: true }).click()]);
        assert.equal(await text('h1'), 'Online referrals');
        assert.match(await text('#queue'), /No open online referrals/);
        await axeCheck(page, 'empty queue');
        await screenshot(page, 'ocse-1-empty');
    });

    test('a batch with a mistake lists every fault with its row, keeps the batch and imports nothing', async () => {
        await open('Import a batch');
        await page.locator('#format').check();
        const bad = [header, rows[0], rows[1], rows[2].replace('live_streaming', 'streaming'),
            rows[3].replace(',username,', ',handle,')].join('\n');
        await page.locator('#content').fill(bad);
        const resp = await submit(page, 'Import');
        assert.equal(resp.status(), 422);
        assert.equal(new URL(page.url()).pathname, '/online-referrals/import');
        const summary = await errorSummary(page);
        assert.ok(summary, 'an error summary');
        const items = await page.locator('#import-errors li').allInnerTexts();
        assert.equal(items.length, 2, summary);
        assert.match(items[0], /^row 4: /);
        assert.match(items[1], /^row 5: /);
        assert.match(await text('#content-error'), /2 problems/);
        assert.equal(await page.locator('#content').inputValue(), bad, 'the batch is kept');
        assert.equal(await page.locator('#format').isChecked(), true, 'the format is kept');
        // Each fault links to the batch.
        assert.deepEqual(await page.locator('#import-errors a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))),
            ['#content', '#content']);
        await axeCheck(page, 'import refused');
        await screenshot(page, 'ocse-2-import-errors');
        const list = await env.srv.api('GET', '/api/online-referrals');
        assert.equal(list.json.referrals.length, 0, 'nothing half-imported');
    });

    test('the corrected batch imports; the queue ranks it by risk with reasons and due times', async () => {
        await page.locator('#content').fill([header, ...rows].join('\n'));
        await submit(page, 'Import');
        assert.equal(new URL(page.url()).pathname, '/online-referrals');
        const queue = page.locator('#queue tbody tr');
        assert.equal(await queue.count(), 3);
        const row = (i) => queue.nth(i).innerText().then((t) => t.replace(/\s+/g, ' '));
        // Nothing is known of the suspects yet: all low, so the oldest first,
        // each with its score, the reasons and the action due time.
        const first = await row(0);
        assert.match(first, /NCA CEOP CEOP-5003/);
        assert.match(first, /Low Score 1 indecent images \(\+1\)/);
        assert.match(first, /PhotoShare/);
        assert.match(first, /29 June 2026, 07:00/, 'low: action within 28 days of receipt');
        assert.match(await row(1), /CEOP-5002 Low Score 3 live-streamed abuse \(\+3\)/);
        assert.match(await row(2), /CEOP-5001 Low Score 2 grooming of a child \(\+2\)/);
        await axeCheck(page, 'queue');
        await screenshot(page, 'ocse-3-queue');
        const link = queue.filter({ hasText: 'CEOP-5001' }).locator('a').first();
        referralPath = await link.getAttribute('href');
        await Promise.all([page.waitForURL((u) => u.pathname === referralPath), link.click()]);
    });

    test('the referral shows its identifiers, possible people, tasks and the scoring settings', async () => {
        assert.match(await text('h1'), /Grooming on ChatApp/);
        const ids = await text('#identifiers-table');
        assert.match(ids, /night\.owl@example\.org/);
        assert.match(ids, /EX27ZZ/);
        assert.match(await text('#possible-people'), /Orson Nightingale.*lives at postcode EX27ZZ/);
        assert.equal(await page.locator('#possible-people a', { hasText: 'Orson Nightingale' }).getAttribute('href'),
            `/people/${suspect.id}`);
        assert.match(await text('#tasks-table'), /4 June 2026/, 'identification within 3 days');
        assert.match(await text('#suspect'), /Not identified yet/);
        await open('How the score is worked out');
        assert.match(await text('#bands'), /Very high 10 24 hours of receipt/);
        await axeCheck(page, 'referral, suspect not identified');
        await screenshot(page, 'ocse-4-referral');
    });

    test('a person who does not exist is refused with the error summary', async () => {
        await page.locator('#person_id').fill('999999');
        const resp = await submit(page, 'Identify the suspect');
        assert.equal(resp.status(), 422);
        assert.match(await errorSummary(page), /there is no person with id 999999/);
        assert.equal(await page.locator('#person_id').inputValue(), '999999');
        await axeCheck(page, 'resolve refused');
        await screenshot(page, 'ocse-5-resolve-refused');
        await page.goto(referralPath);
    });

    test('resolved to a registered offender living with a child, it becomes very high with its reasons', async () => {
        await page.getByLabel(/Orson Nightingale/).check();
        await submit(page, 'Identify the suspect');
        assert.equal(new URL(page.url()).pathname, referralPath);
        assert.match(await text('h1'), /Very high/);
        const reasons = await page.locator('#reasons li').allInnerTexts();
        assert.deepEqual(reasons, ['lives with a child (+5)', 'a registered sex offender (+4)', 'grooming of a child (+2)']);
        assert.match(await text('#priority'), /Score 11/);
        const card = await text('#suspect');
        assert.match(card, /Orson Nightingale/);
        assert.match(card, /Registered sex offender/);
        assert.match(card, /Poppy Nightingale, 10/);
        assert.equal(await page.locator('#children-at-home a').getAttribute('href'), `/people/${child.id}`);
        assert.match(await text('#tasks-table'), /2 June 2026/, 'very high: action within 24 hours of receipt');
        assert.match(await text('#escalate-explained'), /draft an urgent safeguarding referral .* \(1\)/);
        await axeCheck(page, 'referral, very high');
        await screenshot(page, 'ocse-6-very-high');
        // The queue puts it first.
        await page.goto('/online-referrals');
        const first = (await page.locator('#queue tbody tr').first().innerText()).replace(/\s+/g, ' ');
        assert.match(first, /CEOP-5001/);
        assert.match(first, /Very high/);
        assert.match(await page.locator('#queue tbody tr').first().locator('td[data-label="Children at home"]').innerText(), /1/);
        await page.goto(referralPath);
    });

    test('escalated in one step: an investigation and a safeguarding referral, both linked', async () => {
        await submit(page, 'Open an investigation and safeguard the children');
        assert.equal(new URL(page.url()).pathname, referralPath);
        const banner = await text('#escalated');
        assert.match(banner, /This referral is investigation INV-/);
        assert.match(banner, /1 safeguarding referral was drafted/);
        assert.equal(await page.locator('#escalate-form').count(), 0, 'no second escalation');
        await axeCheck(page, 'referral, escalated');
        await screenshot(page, 'ocse-7-escalated');
        const refLink = page.locator('#escalation-links a', { hasText: 'Safeguarding referral' });
        const refHref = await refLink.getAttribute('href');
        await Promise.all([page.waitForURL((u) => u.pathname.startsWith('/investigations/')),
            page.locator('#escalation-links a', { hasText: 'Investigation' }).click()]);
        assert.match(await text('h1'), /Online child sexual exploitation/);
        assert.match(await text('#people'), /Orson Nightingale/);
        assert.match(await text('#risk'), /lives with a child/);
        await screenshot(page, 'ocse-8-investigation');
        await page.goto(referralPath);
        await Promise.all([page.waitForURL((u) => u.pathname === refHref), page.locator(`#escalation-links a[href="${refHref}"]`).click()]);
        const body = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
        assert.match(body, /Poppy Nightingale/);
        await screenshot(page, 'ocse-9-safeguarding-referral');
    });
});
