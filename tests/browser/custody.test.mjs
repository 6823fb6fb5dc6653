// custody.test.mjs — the children in custody pages (issue 14, DOMAIN.md R8,
// PACE Code C and s38(6)) in a browser, the done-when of the issue:
//
//   a custody officer finds Custody in the menu and, on a 375 px phone,
//   books in a 15-year-old (a cell without a reason is refused on the
//   reason); requests an appropriate adult (a solicitor is refused on the
//   role) and watches the clock: with the server's clock moved it shows the
//   time since the request, and at 2 hours it turns Overdue on the record
//   and the list; an interview without the AA is refused; the AA's late
//   arrival needs the delay attributed; an exploitation concern prompts the
//   mandatory referral, drafted through the referral path; the charge with
//   bail refused and the request to the local authority are one step; the
//   sergeant's s38(7) certificate and its PDF; after UK midnight the child is
//   flagged held overnight, and the overnight figure appears per local
//   authority on the assurance page for recommendation 8 (and as "fewer than
//   5" for the board, who see aggregates only).
//
// The server's clock is a file (--clock file:PATH): rewriting it moves the
// server's time. Screenshots go to test-output/browser/custody-*.png.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit, signIn,
} from './browser.mjs';
import { tempDir } from '../api/harness.mjs';

const T0 = Date.parse('2026-06-10T14:00:00Z'); // 15:00 BST
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

describe('children in custody pages: book in, the appropriate adult clock, s38(6), overnight per local authority', () => {
    let env;
    let clockDir;
    let clockFile;
    let child;
    let recordPath;
    let officer; // the custody officer's phone
    let sergeant;
    let inspector;
    const setClock = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const api = (method, path, body) => env.srv.api(method, path, { body });
    const text = async (page, sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();
    const open = (page, summary) => page.locator('summary', { hasText: summary }).first().click();
    /** Moves the server's clock; idle sessions end after 30 minutes, so
     * everyone signs in again. */
    async function moveClock(ms) {
        setClock(ms);
        for (const [page, who] of [[officer, 'custody_officer'], [sergeant, 'custody_sergeant'], [inspector, 'inspector']]) {
            await page.context().clearCookies();
            await signIn(page, who);
        }
    }
    async function fitsPhone(page) {
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= 375, `the page is ${w} px wide at 375 px`);
    }

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        env = await startBrowserEnv({ people: 20, seed: 5, clock: `file:${clockFile}` });
        const r = await api('POST', '/api/people', {
            given_name: 'Remy', family_name: 'Holdfast', dob: '2011-01-15', confirmed_new: true,
        });
        assert.equal(r.status, 201, r.text);
        child = r.json;
        officer = await env.newPage('custody_officer', PHONE);
        sergeant = await env.newPage('custody_sergeant');
        inspector = await env.newPage('inspector');
    });
    after(async () => {
        for (const p of [officer, sergeant, inspector]) await p?.context().close();
        await env?.close();
        if (clockDir) rmSync(clockDir, { recursive: true, force: true });
    });

    test('Custody is in the menu; the list says no child is in custody', async () => {
        await sergeant.goto('/work');
        await Promise.all([sergeant.waitForURL((u) => u.pathname === '/custody'),
            sergeant.getByRole('link', { name: 'Custody', exact: true }).click()]);
        assert.equal(await text(sergeant, 'h1'), 'Children in custody');
        assert.match(await text(sergeant, '#records-empty'), /No child is in custody/);
        await axeCheck(sergeant, 'empty custody list');
    });

    test('on a phone, a custody officer books in a 15-year-old; a cell needs the reason', async () => {
        await officer.goto('/custody');
        await Promise.all([officer.waitForURL((u) => u.pathname === '/custody/new'),
            officer.getByRole('link', { name: 'Book a child in' }).click()]);
        assert.match(await text(officer, '#age-rule'), /Anyone who appears to be under 18 is treated as a child/);
        await officer.locator('#q').fill('Holdfast');
        await submit(officer, 'Find');
        await Promise.all([officer.waitForURL((u) => u.searchParams.get('person_id') === String(child.id)),
            officer.getByRole('link', { name: /Remy Holdfast/ }).click()]);
        await officer.locator('#suite').fill('Eastgate custody suite');
        await officer.locator('#grounds').fill('Suspected robbery; detention authorised to question');
        await officer.locator('#apparent_age').fill('15');
        await officer.locator('#stated_age').fill('15');
        await officer.locator('#local_authority').fill('Eastshire County Council');
        await officer.locator('#cell_used-true').check();
        await fitsPhone(officer);
        await axeCheck(officer, 'book-in form at 375 px');
        await screenshot(officer, 'custody-1-book-in-phone');
        let resp = await submit(officer, 'Book in');
        assert.equal(resp.status(), 422);
        assert.match(await text(officer, '#cell_reason-error'), /no other secure accommodation/);
        assert.equal(await officer.locator('.govuk-error-summary a[href="#cell_reason"]').count(), 1);
        assert.equal(await officer.locator('#grounds').inputValue(), 'Suspected robbery; detention authorised to question');
        assert.match(await text(officer, '#person_id'), /Remy Holdfast/);
        await fitsPhone(officer);
        await axeCheck(officer, 'refused book-in form at 375 px');
        await officer.locator('#cell_used').check();
        resp = await submit(officer, 'Book in');
        assert.equal(resp.status(), 200);
        assert.match(new URL(officer.url()).pathname, /^\/custody\/\d+$/);
        recordPath = new URL(officer.url()).pathname;
        assert.match(await text(officer, 'h1'), /Remy Holdfast In custody Treated as a child/);
        assert.match(await text(officer, '#aa-clock'), /No appropriate adult has been requested/);
        assert.match(await text(officer, '#due-review'), /First detention review \(6 hours\) 10 June 2026, 21:00 Due/);
        assert.match(await text(officer, '#due-visit'), /10 June 2026, 15:30 Due/);
        assert.equal(await officer.locator('#aa-request-form').getAttribute('open'), '');
        await fitsPhone(officer);
        await screenshot(officer, 'custody-2-record-phone');
    });

    test('the appropriate adult: a solicitor is refused; the clock runs and turns Overdue at 2 hours', async () => {
        setClock(T0 + 5 * MIN);
        await officer.goto(recordPath);
        await officer.locator('#aa-source-scheme').check();
        await officer.locator('#aa-name').fill('Jo Fairweather');
        await officer.locator('#aa-declared_role').selectOption('solicitor');
        let resp = await submit(officer, 'Request the appropriate adult');
        assert.equal(resp.status(), 422);
        assert.match(await text(officer, '#declared_role-error'), /solicitor|cannot act|may not/i);
        assert.equal(await officer.locator('.govuk-error-summary a[href="#declared_role"]').count(), 1);
        await axeCheck(officer, 'refused appropriate adult request');
        await officer.locator('#declared_role').selectOption('aa_scheme_volunteer');
        resp = await submit(officer, 'Request the appropriate adult');
        assert.equal(resp.status(), 200);
        assert.equal(new URL(officer.url()).pathname, recordPath);
        assert.match(await text(officer, '#aa-elapsed'), /Waiting Requested 0 min ago/);
        assert.match(await text(officer, '#aa-thresholds'), /120 minutes, 10 June 2026, 17:05: the custody sergeant escalates/);
        assert.match(await text(officer, '#aa-thresholds'), /240 minutes, 10 June 2026, 19:05: the inspector escalates/);
        // The page keeps counting from the server's time.
        assert.equal(await officer.locator('#aa-elapsed .sg-tick').getAttribute('data-since'), String((T0 + 5 * MIN) / 1000));

        // Without the appropriate adult, a child's interview is refused.
        await open(officer, 'Record an interview');
        resp = await submit(officer, 'Record the interview');
        assert.equal(resp.status(), 409);
        assert.match(await errorSummary(officer), /appropriate adult/);
        await axeCheck(officer, 'refused interview');

        await moveClock(T0 + 5 * MIN + 70 * MIN);
        await officer.goto(recordPath);
        assert.match(await text(officer, '#aa-elapsed'), /Waiting Requested 1 h 10 min ago/);
        assert.doesNotMatch(await text(officer, '#aa-thresholds'), /Passed/);
        await officer.goto('/custody');
        assert.match(await text(officer, '#records'), /Waiting requested 1 h 10 min ago/);

        await moveClock(T0 + 5 * MIN + 2 * HOUR + 5 * MIN);
        await officer.goto(recordPath);
        assert.match(await text(officer, '#aa-elapsed'), /Overdue Requested 2 h 5 min ago/);
        assert.match(await text(officer, '#aa-thresholds'), /the custody sergeant escalates Passed/);
        assert.doesNotMatch(await text(officer, '#aa-thresholds'), /the inspector escalates Passed/);
        assert.match(await text(officer, '#overdue'), /Overdue Appropriate adult not yet arrived: the custody sergeant escalates/);
        await fitsPhone(officer);
        await screenshot(officer, 'custody-3-aa-overdue-phone');
        await officer.goto('/custody');
        const row = await text(officer, '#records tbody tr');
        assert.match(row, /Remy Holdfast/);
        assert.match(row, /Overdue requested 2 h 5 min ago/);
        assert.match(row, /Review 10 June 2026, 21:00/);
        await fitsPhone(officer);
        await axeCheck(officer, 'custody list at 375 px');
        await screenshot(officer, 'custody-4-list-phone');
    });

    test('the late arrival needs the delay attributed', async () => {
        await officer.goto(recordPath);
        assert.equal(await officer.locator('#aa-arrival-form').getAttribute('open'), '');
        let resp = await submit(officer, 'Record the arrival');
        assert.equal(resp.status(), 422);
        assert.equal(await officer.locator('.govuk-error-summary a[href="#delay_cause"]').count(), 1);
        await axeCheck(officer, 'refused arrival');
        await officer.locator('#delay_cause-scheme').check();
        await officer.locator('#delay_reason').fill('Scheme volunteer attending another station first');
        resp = await submit(officer, 'Record the arrival');
        assert.equal(resp.status(), 200);
        assert.match(await text(officer, '#aa-elapsed'), /Arrived late Arrived 2 h 5 min after the request/);
        assert.match(await text(officer, '#aa-arrived'), /Delay caused by: Scheme\. Scheme volunteer attending another station first/);
    });

    test('an exploitation concern makes the referral mandatory; it is drafted through the referral path', async () => {
        await open(officer, "Record the child's welfare needs");
        await officer.locator('#wf-exploitation_concern').check();
        await officer.locator('#wf-welfare_concern-false').check();
        let resp = await submit(officer, 'Record welfare needs');
        assert.equal(resp.status(), 422);
        assert.equal(await officer.locator('.govuk-error-summary a[href="#concern_detail"]').count(), 1);
        await officer.locator('#concern_detail').fill('Found with two phones and cash; says he owes someone');
        resp = await submit(officer, 'Record welfare needs');
        assert.equal(resp.status(), 200);
        assert.match(await text(officer, '#referral-prompt'), /A referral to children's social care is mandatory: an exploitation concern was recorded/);
        await officer.locator('#referral-prompt a', { hasText: 'Draft it through the referral path' }).click();
        resp = await submit(officer, 'Draft the referral');
        assert.equal(resp.status(), 200);
        assert.match(new URL(officer.url()).pathname, /^\/referrals\/\d+$/);
        await officer.goto(recordPath);
        assert.match(await text(officer, '#referral-prompt'), /Send the referral drafted/);
    });

    test('charged and refused bail: the transfer request is one step', async () => {
        await moveClock(T0 + 4 * HOUR);
        await officer.goto(recordPath);
        await open(officer, 'Record the outcome');
        await officer.locator('#oc-outcome-charged_refused_bail').check();
        await officer.locator('#oc-transfer_accommodation-non_secure').check();
        await officer.locator('#oc-transfer_la').fill('Westbury City Council');
        await officer.locator('#oc-transfer_contact').fill('Emergency duty team, by phone');
        await fitsPhone(officer);
        await screenshot(officer, 'custody-5-charge-phone');
        const resp = await submit(officer, 'Record the outcome');
        assert.equal(resp.status(), 200);
        assert.match(await text(officer, '#outcome'), /Charged and refused bail/);
        assert.match(await text(officer, '#transfer-request'),
            /10 June 2026, 19:00: Non secure accommodation from Westbury City Council, asked of Emergency duty team, by phone/);
        const rec = (await api('GET', `/api/custody${recordPath.slice('/custody'.length)}`)).json;
        assert.equal(rec.transfer_requested_at, rec.charged_at, 'asked at the charge, in the same step');
        assert.match(await text(officer, '#s38-summary'), /Not held past midnight after charge/);
        await fitsPhone(officer);
        await axeCheck(officer, 'record with s38(6) at 375 px');
    });

    test("the authority has no answer; the sergeant's s38(7) certificate and its PDF", async () => {
        await officer.locator('#ta-answer-no_answer').check();
        let resp = await submit(officer, 'Record the answer');
        assert.equal(resp.status(), 200);
        assert.match(await text(officer, '#la-answer'), /No answer/);
        await sergeant.goto(recordPath);
        assert.match(await text(sergeant, '#certificate-age'), /15/);
        await open(sergeant, "The custody officer's s38(7) certificate");
        await sergeant.locator('#ct-reason').check();
        resp = await submit(sergeant, 'Certify');
        assert.equal(resp.status(), 422);
        assert.equal(await sergeant.locator('.govuk-error-summary a[href="#detail"]').count(), 1);
        await sergeant.locator('#detail').fill('No answer from the authority overnight; no transport available');
        resp = await submit(sergeant, 'Certify');
        assert.equal(resp.status(), 200);
        assert.match(await text(sergeant, '#certificate'), /Impracticable to move the child, certified 10 June 2026, 19:00 by Demo Custody sergeant/);
        const pdf = await sergeant.request.get(`${recordPath}/certificate.pdf`);
        assert.equal(pdf.status(), 200);
        assert.equal(pdf.headers()['content-type'], 'application/pdf');
        await screenshot(sergeant, 'custody-6-certified');
    });

    test('after UK midnight: held overnight on the record and the list, and per local authority on the assurance page', async () => {
        // Before midnight the authority's overnight figure is 0.
        await inspector.goto('/assurance');
        await Promise.all([inspector.waitForURL(/\/assurance\/recommendations\/\d+$/),
            inspector.getByRole('link', { name: /^8\. / }).click()]);
        const rec8 = new URL(inspector.url()).pathname;
        const westbury = () => inspector.locator('#by-local-authority tr', { hasText: 'Westbury City Council' });
        assert.equal(await westbury().locator('.sg-overnight').innerText(), '0');

        // 23:30 UTC is 00:30 BST on 11 June.
        await moveClock(Date.parse('2026-06-10T23:30:00Z'));
        await officer.goto(recordPath);
        assert.match(await text(officer, '#overnight'), /Held overnight after charge/);
        await officer.goto('/custody');
        assert.match(await text(officer, '#records tbody tr'), /Charged, refused bail Held overnight/);

        await inspector.goto(rec8);
        assert.match(await text(inspector, '#breakdown-custody_by_la'), /Children in custody by local authority/);
        assert.equal(await westbury().locator('.sg-overnight').innerText(), '1');
        assert.match(await text(inspector, '#by-local-authority'), /certified impracticable: 1/);
        assert.match(await westbury().innerText(), /1 requested, 0 achieved/);
        await axeCheck(inspector, 'assurance recommendation 8 with the custody breakdown');
        await screenshot(inspector, 'custody-7-assurance');
        // The board sees aggregates only.
        const board = await env.newPage('assurance_board');
        await board.goto(rec8);
        const row = board.locator('#by-local-authority tr', { hasText: 'Westbury City Council' });
        assert.equal(await row.locator('.sg-overnight').innerText(), 'fewer than 5');
        assert.match(await text(board, '#main-content'), /Counts under 5 are shown as "fewer than 5"/);
        await board.context().close();
        // The same figure on the custody measures page.
        await inspector.goto('/custody/measures');
        assert.equal(await westbury().locator('.sg-overnight').innerText(), '1');
        await axeCheck(inspector, 'custody measures page');
    });
});
