// missing.test.mjs — a missing child's episode from the report to closure in
// a real browser (DOMAIN.md R3, issue 8):
//
//   a coordinator finds a looked-after child, records their Philomena
//   profile, reports them missing from their record (the form pre-filled
//   from the record and the profile; a report without a rationale comes
//   back with the error summary and everything typed kept); the board shows
//   the episode with its risk and next review; an action goes on the
//   timeline; when the clock passes the review time, My work shows the
//   overdue review to supervisors (and, escalated, to inspectors) but not to
//   the coordinator, and the board marks it overdue; a supervisor reviews
//   late and lowers the risk; the coordinator records the return, the
//   prevention interview with a criminal-exploitation indicator and the
//   request for a return home interview; closing is refused with what is
//   still needed (the referral), the referral is recorded and the episode
//   closes; the interview's outcome is still taken after closure.
//
// The server's clock is a file (--clock file:PATH): rewriting it moves the
// server's time. axe runs on every page; screenshots go to
// test-output/browser/missing-*.png (the board also at 375 px wide).

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';
import { tempDir } from '../api/harness.mjs';

const T0 = Date.parse('2026-06-01T12:00:00Z'); // 13:00 in BST
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('missing children: an episode from the report to closure', () => {
    let env;
    let clockDir;
    let clockFile;
    let child;
    let episodeId;
    let reference;
    const pages = {};

    const setClock = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const api = (method, path, body) => env.srv.api(method, path, { body });
    /** A signed-in page for a role (one context per role, reused). */
    async function as(role) {
        if (!pages[role]) pages[role] = await env.newPage(role);
        return pages[role];
    }
    /** Sessions end after 30 idle minutes: sign everyone in again. */
    async function signInAgain() {
        for (const [role, p] of Object.entries(pages)) {
            await p.context().close();
            delete pages[role];
        }
    }
    const text = async (page, sel) => (await page.locator(sel).innerText()).replace(/\s+/g, ' ').trim();
    const episode = async () => (await api('GET', `/api/missing/${episodeId}`)).json;
    /** Opens a details section on the episode page by its summary text. */
    const open = (page, summary) => page.locator('summary', { hasText: summary }).click();

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        env = await startBrowserEnv({ people: 20, seed: 9, clock: `file:${clockFile}` });
        const p = await api('POST', '/api/people', {
            given_name: 'Keira', family_name: 'Ashdown', dob: '2012-09-14', confirmed_new: true,
            flags: [{ flag: 'looked_after', valid_from: '2025-02-01', local_authority: 'Leeds City Council' }],
        });
        assert.equal(p.status, 201, p.text);
        child = p.json;
    });
    after(async () => {
        for (const p of Object.values(pages)) await p.context().close().catch(() => {});
        await env?.close();
        if (clockDir) rmSync(clockDir, { recursive: true, force: true });
    });

    test('a coordinator finds the child and records their Philomena profile', async () => {
        const page = await as('missing_coordinator');
        await page.goto('/people?q=Ashdown');
        const link = page.getByRole('link', { name: /Keira Ashdown/ });
        await Promise.all([page.waitForURL((u) => u.pathname === `/people/${child.id}`), link.first().click()]);
        await page.getByRole('link', { name: 'Philomena profile' }).click();
        await page.waitForURL((u) => u.pathname === `/people/${child.id}/philomena`);
        assert.equal(await text(page, 'h1'), 'Philomena profile');
        assert.match(await text(page, '#profile'), /No profile is recorded yet/);
        await axeCheck(page, 'philomena profile, none yet');
        await page.locator('#description').fill('Slim, about 5 ft 2, dark curly hair; usually a grey hoodie');
        await page.locator('#photo_ref').fill('PHOTO-LCC-0042');
        await page.locator('#contacts').fill('Aunt, Tess Ashdown, 14 Moor Lane, Leeds');
        await page.locator('#places_frequented').fill('Leeds bus station; Kirkgate Market');
        await page.locator('#carer').fill('Sam Fielding (foster carer)');
        await page.locator('#carer_contact').fill('07700 900123');
        const r = await submit(page, 'Save the profile');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/people/${child.id}/philomena`);
        assert.match(await text(page, '#profile'), /dark curly hair/);
        assert.match(await text(page, 'main'), /Version 1/);
        await screenshot(page, 'missing-1-philomena');
        await axeCheck(page, 'philomena profile');
    });

    test('reporting from the person record: the form is pre-filled; a missing rationale is refused, input kept', async () => {
        const page = await as('missing_coordinator');
        await page.goto(`/people/${child.id}`);
        await page.getByRole('link', { name: 'Report missing' }).click();
        await page.waitForURL((u) => u.pathname === '/missing/new' && u.search === `?person_id=${child.id}`);
        assert.match(await text(page, '#person'), /Keira Ashdown/);
        assert.match(await text(page, '#person'), /Looked after Yes, by Leeds City Council/);
        assert.ok(await page.locator('#looked_after').isChecked(), 'looked after, from the record');
        assert.equal(await page.locator('#responsible_la').inputValue(), 'Leeds City Council');
        assert.match(await page.locator('#description').inputValue(), /dark curly hair/, 'the description from the profile');
        assert.equal(await page.locator('#photo_ref').inputValue(), 'PHOTO-LCC-0042');
        await axeCheck(page, 'report form, pre-filled');

        await page.locator('#reported_by').fill('Sam Fielding');
        await page.locator('#reported_by_relationship').fill('Foster carer');
        await page.locator('#reported_by_contact').fill('07700 900123');
        await page.locator('#last_seen_at').fill(iso(T0 - 3 * HOUR));
        await page.locator('#last_seen_location').fill('Leeds bus station');
        await page.locator('#missing_from').fill('7 Holly Bank, Leeds LS6 2AB');
        await page.locator('#circumstances').fill('Did not come home from school; phone switched off');
        await page.locator('#risk-medium').check();
        await screenshot(page, 'missing-2-report');
        let r = await submit(page, 'Report missing');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(page), /risk_rationale/);
        assert.equal(await page.locator('.govuk-error-message').count(), 1, 'the error beside its field');
        assert.equal(await page.locator('#risk_rationale').count(), 1, 'the summary links to the field');
        // Everything typed is kept.
        assert.equal(await page.locator('#reported_by').inputValue(), 'Sam Fielding');
        assert.equal(await page.locator('#circumstances').inputValue(), 'Did not come home from school; phone switched off');
        assert.equal(await page.locator('#person_id').inputValue(), String(child.id));
        assert.ok(await page.locator('#risk-medium').isChecked());
        assert.ok(await page.locator('#looked_after').isChecked());
        assert.equal(await page.locator('#responsible_la').inputValue(), 'Leeds City Council');
        await screenshot(page, 'missing-3-report-error');
        await axeCheck(page, 'report refused');
        assert.equal((await api('GET', '/api/missing?status=all')).json.episodes.length, 0, 'nothing was saved');

        await page.locator('#risk_rationale').fill('Looked after; seen with older males at the bus station last week');
        r = await submit(page, 'Report missing');
        assert.equal(r.status(), 200, await text(page, 'main'));
        const m = /^\/missing\/(\d+)$/.exec(new URL(page.url()).pathname);
        assert.ok(m, `ended on the episode page, not ${page.url()}`);
        episodeId = Number(m[1]);
        reference = (await episode()).reference;
        assert.match(await text(page, 'h1'), /Keira Ashdown Medium risk Still missing/);
        assert.match(await text(page, '#summary'), /Looked after Yes, by Leeds City Council/);
        assert.match(await text(page, '#summary'), /Description Slim, about 5 ft 2/);
        assert.match(await text(page, '#next-review'), /Next supervisory review due 1 June 2026, 19:00/);
        assert.match(await text(page, '#close-needs-list'), /Record the return/);
        await screenshot(page, 'missing-4-episode');
        for (const s of await page.locator('details.govuk-details').all()) await s.locator('summary').click();
        await axeCheck(page, 'episode with its forms open');
    });

    test('the board shows the episode by risk with its next review', async () => {
        const page = await as('missing_coordinator');
        await page.goto('/work');
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/missing'),
            page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Missing' }).click(),
        ]);
        assert.equal(await text(page, 'h1'), 'Missing children');
        assert.match(await text(page, '#still-missing'), /0 High risk 1 Medium risk 0 Low risk/);
        const row = page.locator('#board tbody tr', { has: page.locator(`a[href="/missing/${episodeId}"]`) });
        assert.equal(await row.count(), 1);
        const t = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(t, /Keira Ashdown/);
        assert.match(t, /Looked after/);
        assert.match(t, new RegExp(reference));
        assert.match(t, /Medium risk/);
        assert.match(t, /3 h 0 min/, 'time missing since last seen');
        assert.match(t, /1 June 2026, 19:00/, 'the next review, six hours after the report');
        assert.doesNotMatch(t, /Overdue/);
        assert.equal(await page.getByRole('link', { name: 'Report a missing child' }).count(), 1);
        await screenshot(page, 'missing-5-board');
        await axeCheck(page, 'board');
    });

    test('an action goes on the timeline and stops the first-action clock', async () => {
        const page = await as('missing_coordinator');
        await page.goto(`/missing/${episodeId}`);
        assert.match(await text(page, '#tasks'), /First action or enquiry: medium-risk missing/);
        await open(page, 'Add to the timeline');
        await page.locator('#ev-kind-enquiry').check();
        await page.locator('#ev-text').fill('Called the aunt at 14 Moor Lane: not seen Keira since Sunday');
        const r = await submit(page, 'Add entry');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/missing/${episodeId}`);
        const last = page.locator('#timeline-table tbody tr').last();
        assert.match((await last.innerText()).replace(/\s+/g, ' '), /Enquiry Called the aunt at 14 Moor Lane.*Demo Missing persons coordinator/);
        assert.doesNotMatch(await text(page, '#tasks'), /First action/);
        assert.ok((await episode()).first_action_at);
    });

    test('once the review is overdue, My work shows it to supervisors and inspectors and the board marks it', async () => {
        setClock(T0 + 6 * HOUR + 10 * MIN);
        await signInAgain();
        for (const role of ['supervisor', 'inspector']) {
            const page = await as(role);
            await page.goto('/work');
            const row = page.locator('table.govuk-table tbody tr', { hasText: 'Supervisory review: medium-risk missing child' })
                .filter({ has: page.locator(`a[href="/missing/${episodeId}"]`) });
            assert.equal(await row.count(), 1, `the overdue review is in the ${role}'s My work`);
            assert.match((await row.innerText()).replace(/\s+/g, ' '), /1 June 2026, 19:00 Overdue 10 min/);
            if (role === 'supervisor') await screenshot(page, 'missing-6-my-work-overdue');
        }
        const coord = await as('missing_coordinator');
        await coord.goto('/work');
        assert.equal(await coord.locator('tr', { hasText: 'Supervisory review' }).count(), 0,
            'the review is not the coordinator\'s to do');
        await coord.goto('/missing');
        const row = coord.locator('#board tbody tr', { has: coord.locator(`a[href="/missing/${episodeId}"]`) });
        assert.match(await row.innerText(), /Overdue/);
        assert.equal(await row.locator('.govuk-tag--red', { hasText: 'Overdue' }).count(), 1);
        await screenshot(coord, 'missing-7-board-overdue');
        await coord.setViewportSize({ width: 375, height: 800 });
        await coord.reload();
        await screenshot(coord, 'missing-7-board-overdue-375');
        await axeCheck(coord, 'board at 375 px');
        await coord.setViewportSize({ width: 1280, height: 900 });
    });

    test('a supervisor reviews from My work, late, and lowers the risk', async () => {
        const page = await as('supervisor');
        await page.goto('/work');
        await Promise.all([
            page.waitForURL((u) => u.pathname === `/missing/${episodeId}`),
            page.locator(`a[href="/missing/${episodeId}"]`).first().click(),
        ]);
        assert.match(await text(page, '#review-warning'), /The supervisory review is overdue by 10 min/);
        await open(page, 'Record a supervisory review');
        await page.locator('#rv-risk-low').check();
        await page.locator('#rv-rationale').fill('Seen on CCTV at the bus station with a friend from school; phone back on');
        await screenshot(page, 'missing-8-review');
        const r = await submit(page, 'Save the review');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/missing/${episodeId}`);
        assert.match(await text(page, 'h1'), /Low risk/);
        assert.equal(await page.locator('#review-warning').count(), 0);
        const review = (await page.locator('#reviews-table tbody tr').last().innerText()).replace(/\s+/g, ' ');
        assert.match(review, /Demo Supervisor/);
        assert.match(review, /Medium to Low/);
        assert.match(review, /Late/);
        // Low risk: the next review twelve hours on.
        assert.match(await text(page, '#next-review'), /due 2 June 2026, 07:10/);
        await axeCheck(page, 'episode after the review');
        await page.goto('/work');
        assert.equal(await page.locator('tr', { hasText: 'Supervisory review' }).filter({ hasText: 'Overdue' }).count(), 0);
    });

    test('the coordinator records the return, the prevention interview with a CCE indicator and the RHI request', async () => {
        const page = await as('missing_coordinator');
        await page.goto(`/missing/${episodeId}`);
        await open(page, 'Record the return');
        await page.locator('#ret-location').fill('Kirkgate Market, Leeds');
        await page.locator('#ret-found_by').fill('PC 4121 Okafor');
        await page.locator('#ret-state').check();
        let r = await submit(page, 'Save the return');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, 'h1'), /Returned/);
        assert.match(await text(page, '#summary'), /Returned .*Kirkgate Market, Leeds; found by PC 4121 Okafor; Safe and well/);
        assert.match(await text(page, '#next-review'), /No supervisory review is due/);
        assert.equal(await page.locator('summary', { hasText: 'Record the return' }).count(), 0, 'the return form has gone');
        await screenshot(page, 'missing-9-returned');

        await open(page, 'Record the prevention interview');
        await page.locator('#pi-where_they_were').fill('A flat above the market with two older boys');
        await page.locator('#pi-with_whom').fill('Two boys, about 17, not known by name');
        await page.locator('#pi-exploitation_cce').check();
        await page.locator('#pi-exploitation_notes').fill('Given a phone and asked to carry a bag to Bradford');
        r = await submit(page, 'Save the interview');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#summary'), /Exploitation CCE indicated/);
        assert.match(await text(page, '#close-needs-list'), /Record the referral the exploitation indicators need/);
        assert.equal(await page.locator('summary', { hasText: 'Record the prevention interview' }).count(), 0);

        await open(page, 'Ask for a return home interview');
        assert.equal(await page.locator('#rhi-local_authority').inputValue(), 'Leeds City Council', 'pre-filled');
        r = await submit(page, 'Save the request');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#summary'), /Return home interview Asked of Leeds City Council/);
        await screenshot(page, 'missing-10-after-return');
        await axeCheck(page, 'episode after the return');
        const e = await episode();
        assert.equal(e.exploitation_cce, true);
        assert.deepEqual(e.close_needs, ['record the referral the exploitation indicators need']);
    });

    test('closing is refused with what is still needed, then the referral is recorded and the episode closes', async () => {
        const page = await as('missing_coordinator');
        await page.goto(`/missing/${episodeId}`);
        await open(page, 'Close the episode');
        await page.locator('#cl-note').fill('Home safe; CCE concerns referred');
        let r = await submit(page, 'Close episode');
        assert.equal(r.status(), 409);
        assert.equal(new URL(page.url()).pathname, `/missing/${episodeId}/close`);
        assert.match(await errorSummary(page), new RegExp(`episode ${reference} cannot be closed yet: record the referral the exploitation indicators need`));
        assert.equal(await page.locator('#note').inputValue(), 'Home safe; CCE concerns referred', 'the note is kept');
        await screenshot(page, 'missing-11-close-refused');
        await axeCheck(page, 'close refused');
        assert.equal((await episode()).status, 'returned');

        await Promise.all([page.waitForURL((u) => u.pathname === `/missing/${episodeId}`),
            page.getByRole('link', { name: 'Back to the episode' }).click()]);
        await open(page, 'Record the referral to children\'s social care');
        await page.locator('#ref-note').fill('Leeds Front Door by phone; ref LFD-5531');
        r = await submit(page, 'Save the referral');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#close-needs-list'), /Nothing: the episode can be closed/);

        await open(page, 'Close the episode');
        await page.locator('#cl-note').fill('Home safe; CCE concerns referred');
        r = await submit(page, 'Close episode');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, 'h1'), /Closed/);
        assert.match(await text(page, '#summary'), /Closed .*Home safe; CCE concerns referred/);
        assert.equal(await page.getByRole('button', { name: 'Close episode' }).count(), 0);
        assert.equal(await page.locator('summary', { hasText: 'Add to the timeline' }).count(), 0, 'a closed episode takes no more entries');
        const kinds = await page.locator('#timeline-table tbody tr td:nth-child(2) strong').allInnerTexts();
        assert.deepEqual(kinds, ['Reported missing', 'Risk changed', 'Enquiry', 'Supervisory review', 'Returned',
            'Prevention interview', 'Exploitation indicators', 'Return home interview asked for',
            'Referral to social care', 'Closed']);
        await screenshot(page, 'missing-12-closed');
        await axeCheck(page, 'closed episode');
        assert.equal((await episode()).status, 'closed');

        // Off the open board; on the closed one.
        await page.goto('/missing');
        assert.equal(await page.locator(`a[href="/missing/${episodeId}"]`).count(), 0);
        await page.locator('#status').selectOption('closed');
        await submit(page, 'Show');
        assert.equal(new URL(page.url()).search, '?status=closed');
        assert.equal(await page.locator(`#board a[href="/missing/${episodeId}"]`).count(), 1);
    });

    test('the return home interview\'s outcome is still taken after closure', async () => {
        const page = await as('missing_coordinator');
        await page.goto(`/missing/${episodeId}`);
        await open(page, 'Record the return home interview\'s outcome');
        await page.locator('#rho-outcome').check();
        await page.locator('#rho-notes').fill('Keira spoke about being given a phone; shared with the exploitation team');
        const r = await submit(page, 'Save the outcome');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#summary'), /Completed .*shared with the exploitation team/);
        assert.equal(await page.locator('details.govuk-details').count(), 0, 'nothing left to record');
    });
});
