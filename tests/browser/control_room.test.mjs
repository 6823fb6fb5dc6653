// control_room.test.mjs — the control room's "done when" journey in a real
// browser (DOMAIN.md R1, R2):
//
//   a call handler finds a child, records a call about them and sees the
//   child's and the address's history; records THRIVE; tries to grade below
//   the grade the risk supports without a reason and is told why not; with a
//   reason, the incident stays at the risk-supported grade awaiting a
//   supervisor (red warning); a supervisor authorises the lower grade; when
//   the clock has moved, My work shows the call handler an overdue re-review;
//   an officer tries to close the incident, is told the child's voice is
//   missing (naming the child), records it and closes the incident.
//
// The server's clock is a file (--clock file:PATH): rewriting it moves the
// server's time. Screenshots go to test-output/browser/control-room-*.png.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';
import { tempDir } from '../api/harness.mjs';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;
const DAY = 24 * 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const LOCATION = '27 Larch Avenue';
const POSTCODE = 'LS8 3PD';

describe('control room: a call about a child, from the call to closure', () => {
    let env;
    let clockDir;
    let clockFile;
    let child;
    let priors;
    let incidentId;
    const pages = {};

    const setClock = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const api = (method, path, body) => env.srv.api(method, path, { body });
    /** The incident page as `role` (one context per role, reused). */
    async function as(role) {
        if (!pages[role]) pages[role] = await env.newPage(role);
        return pages[role];
    }
    const text = async (page, sel) => (await page.locator(sel).innerText()).replace(/\s+/g, ' ').trim();

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        env = await startBrowserEnv({ people: 20, seed: 5, clock: `file:${clockFile}` });
        const p = await api('POST', '/api/people', {
            given_name: 'Maisie', family_name: 'Thornbury', dob: '2015-04-22', confirmed_new: true,
        });
        assert.equal(p.status, 201, p.text);
        child = p.json;
        // Two earlier calls about the same child at the same address, within 28 days.
        priors = [];
        for (const [days, nature] of [[10, 'child_concern'], [3, 'domestic_abuse']]) {
            const r = await api('POST', '/api/incidents', {
                received_at: iso(T0 - days * DAY), location: LOCATION, postcode: POSTCODE, nature,
                description: 'Earlier call', persons: [{ person_id: child.id, role: 'child_present' }],
            });
            assert.equal(r.status, 201, r.text);
            priors.push(r.json);
        }
    });
    after(async () => {
        for (const p of Object.values(pages)) await p.context().close().catch(() => {});
        await env?.close();
        if (clockDir) rmSync(clockDir, { recursive: true, force: true });
    });

    test('a call handler finds the child and records the call, linking them', async () => {
        const page = await as('call_handler');
        await page.goto('/people?q=Thornbury');
        const link = page.getByRole('link', { name: /Maisie Thornbury/ });
        await link.first().waitFor();
        await screenshot(page, 'control-room-1-find-child');
        await Promise.all([page.waitForURL((u) => /^\/people\/\d+$/.test(u.pathname)), link.first().click()]);
        const personId = new URL(page.url()).pathname.split('/').pop();
        assert.equal(Number(personId), child.id, 'the search found the child');

        await page.goto('/incidents');
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/incidents/new'),
            page.getByRole('link', { name: 'Record a new incident' }).click(),
        ]);
        await page.locator('#nature').selectOption('domestic_abuse');
        await page.locator('#location').fill(LOCATION);
        await page.locator('#postcode').fill(POSTCODE);
        await page.locator('#description').fill('Neighbour hears shouting and a child screaming');
        await page.locator('#caller_name').fill('Pat Neighbour');
        await page.locator('#caller_phone').fill('07700 900456');
        await page.locator('[id="persons[0].person_id"]').fill(personId);
        await page.locator('[id="persons[0].role"]').selectOption('child_present');
        await screenshot(page, 'control-room-2-new-incident');
        const resp = await submit(page, 'Record incident');
        assert.equal(resp.status(), 200, await text(page, 'main'));
        const m = /^\/incidents\/(\d+)$/.exec(new URL(page.url()).pathname);
        assert.ok(m, `ended on the incident page, not ${page.url()}`);
        incidentId = Number(m[1]);
        assert.match(await text(page, 'table.govuk-table'), /Maisie Thornbury Child Child present/);
    });

    test('the incident shows the child\'s and the address\'s history', async () => {
        const page = await as('call_handler');
        const banner = page.locator('.govuk-notification-banner', { has: page.locator('#history-title') });
        await banner.waitFor();
        const t = (await banner.innerText()).replace(/\s+/g, ' ');
        assert.match(t, /Previous incidents in the last 28 days/);
        assert.match(t, /The same child/);
        assert.match(t, /The same address/);
        for (const p of priors) assert.ok(t.includes(p.reference), `${p.reference} is listed`);
        // The third incident in 28 days: re-assess the risk.
        assert.match(await text(page, '#reassess-warning'), /Re-assess the risk/);
        await screenshot(page, 'control-room-3-history');
        await axeCheck(page, 'incident with history');
    });

    test('THRIVE sets the grade the risk supports', async () => {
        const page = await as('call_handler');
        await page.getByText('Record a THRIVE assessment').click();
        await page.locator('#t-threat').fill('Man shouting threats; a child screaming');
        await page.locator('#t-harm').fill('Physical harm to the child and her mother');
        await page.locator('#t-risk').fill('High: third call about this child in 28 days');
        await page.locator('#t-investigation').fill('Assault and threats likely');
        await page.locator('#t-vulnerability').fill('Child of 11 in the house');
        await page.locator('#t-engagement').fill('Caller engaging; family not yet contacted');
        await page.locator('#t-cir').check();
        await page.locator('#t-dacp').check();
        const r = await submit(page, 'Record THRIVE');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/incidents/${incidentId}`);
        const thrive = await text(page, 'h2#thrive + dl');
        assert.match(thrive, /a child is at immediate risk of significant harm: at least Emergency/i);
        const grade = await text(page, 'h2#grade + dl');
        assert.match(grade, /The risk supports At least Emergency/);
        await screenshot(page, 'control-room-4-thrive');
    });

    test('grading below the risk without a reason is refused with an error summary', async () => {
        const page = await as('call_handler');
        await page.getByText('Grade this incident').click();
        await page.locator('#g-priority').check();
        const r = await submit(page, 'Save grade');
        assert.equal(r.status(), 422);
        const summary = await errorSummary(page);
        assert.match(summary, /There is a problem/);
        assert.match(summary, /'grade_reason' is required: the THRIVE assessment supports at least emergency/);
        await screenshot(page, 'control-room-5-grade-error');
        await axeCheck(page, 'grade refused');
        const inc = (await api('GET', `/api/incidents/${incidentId}`)).json;
        assert.equal(inc.grade, null, 'nothing was saved');
    });

    test('with a reason, the incident stays at the risk-supported grade awaiting a supervisor', async () => {
        const page = await as('call_handler');
        await page.goto(`/incidents/${incidentId}`);
        await page.getByText('Grade this incident').click();
        await page.locator('#g-priority').check();
        await page.locator('#g-reason').fill('Caller says the man has now left; mother and child safe inside');
        const r = await submit(page, 'Save grade');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/incidents/${incidentId}`);
        const warning = await text(page, '#grade-warning');
        assert.match(warning, /Below the risk/);
        assert.match(warning, /Priority was asked for, below the Emergency grade the risk supports: the incident stays Emergency until a supervisor authorises it/);
        assert.equal(await page.locator('#grade-warning .govuk-tag--red').count(), 1, 'a red tag');
        assert.match(await text(page, 'h2#grade + dl'), /Grade Emergency \(Priority asked for, awaiting a supervisor\)/);
        await screenshot(page, 'control-room-6-below-risk-warning');
        await axeCheck(page, 'below-risk warning');
        const inc = (await api('GET', `/api/incidents/${incidentId}`)).json;
        assert.equal(inc.grade, 'emergency');
        assert.equal(inc.grade_requested, 'priority');
    });

    test('a supervisor sees the authorisation task and authorises the grade', async () => {
        const page = await as('supervisor');
        await page.goto('/work');
        const row = page.locator('table.govuk-table tbody tr', { hasText: 'Authorise or correct a grade below' });
        assert.ok(await row.count() >= 1, 'the supervisor has the authorisation task');
        await screenshot(page, 'control-room-7-supervisor-work');
        await page.goto(`/incidents/${incidentId}`);
        await page.locator('#auth-reason').fill('Suspect gone; officer to attend within the hour');
        const r = await submit(page, 'Authorise this grade');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/incidents/${incidentId}`);
        assert.equal(await page.locator('#grade-warning').count(), 0, 'the warning is gone');
        const grade = await text(page, 'h2#grade + dl');
        assert.match(grade, /Grade Priority/);
        assert.match(grade, /Authorised By Demo Supervisor, .*: Suspect gone; officer to attend within the hour/);
        await screenshot(page, 'control-room-8-authorised');
    });

    test('My work shows the call handler an overdue re-review once the clock has moved', async () => {
        // The re-review of an un-resourced priority child incident is due 30
        // minutes after the call. Sessions idle for 30 minutes end, so sign in again.
        setClock(T0 + 31 * MIN);
        await pages.call_handler.context().close();
        delete pages.call_handler;
        const page = await as('call_handler');
        await page.goto('/work');
        const row = page.locator('table.govuk-table tbody tr', { hasText: 'Re-review un-resourced priority incident' })
            .filter({ has: page.locator(`a[href="/incidents/${incidentId}"]`) });
        assert.equal(await row.count(), 1, 'the re-review is in My work');
        const t = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(t, /Overdue 1 min/);
        assert.match(t, /1 June 2026, 13:30/, 'due 30 minutes after the call (12:00Z, shown in BST)');
        const first = page.locator('table.govuk-table tbody tr').first();
        assert.match(await first.innerText(), /Overdue/, 'overdue tasks are listed first');
        assert.match(await text(page, 'main'), /\d+ overdue/);
        await screenshot(page, 'control-room-9-overdue-rereview');
        // The call handler re-reviews from the incident; it is no longer overdue.
        await page.goto(`/incidents/${incidentId}`);
        const r = await submit(page, 'Record a re-review');
        assert.equal(r.status(), 200, await text(page, 'main'));
        await page.goto('/work');
        const after = page.locator('table.govuk-table tbody tr', { hasText: 'Re-review un-resourced priority incident' })
            .filter({ has: page.locator(`a[href="/incidents/${incidentId}"]`) });
        assert.ok(!/Overdue/.test(await after.innerText().catch(() => '')), 'no longer overdue');
    });

    test('closing is refused until the child\'s voice is recorded, naming the child', async () => {
        const page = await as('response_officer');
        await page.goto(`/incidents/${incidentId}`);
        let r = await submit(page, 'Record attendance now');
        assert.equal(r.status(), 200, await text(page, 'main'));
        await screenshot(page, 'control-room-10-attended');
        r = await submit(page, 'Close incident');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(page), /Record the voice of the child for Maisie Thornbury \(born 22 April 2015\) before closing/);
        await screenshot(page, 'control-room-11-close-refused');
        await axeCheck(page, 'close refused');
        assert.equal((await api('GET', `/api/incidents/${incidentId}`)).json.status, 'attended');
    });

    test('an officer records the child\'s voice, then the incident closes', async () => {
        const page = await as('response_officer');
        await page.goto(`/incidents/${incidentId}`);
        await page.locator('.govuk-summary-card', { hasText: 'Maisie Thornbury' })
            .getByRole('link', { name: /Record voice/ }).click();
        await page.waitForURL((u) => u.pathname === `/incidents/${incidentId}/voice/${child.id}`);
        await page.locator('#seen').check();
        await page.locator('#seen_alone').check();
        await page.locator('#spoken_to').check();
        await page.locator('#words').fill('He was shouting at Mum and I hid under my bed.');
        await page.locator('#views_wishes').fill('Wants to stay with Mum; wants the shouting to stop');
        await page.locator('#behaviour-fearful').check();
        await page.locator('#demeanour').fill('Quiet, kept close to her mother');
        await screenshot(page, 'control-room-12-voice');
        let r = await submit(page, 'Save the child\'s voice');
        assert.equal(r.status(), 200, await text(page, 'main'));
        const card = page.locator('.govuk-summary-card', { hasText: 'Maisie Thornbury' });
        assert.match(await card.innerText(), /Recorded/);
        assert.match(await card.innerText(), /He was shouting at Mum and I hid under my bed\./);
        await screenshot(page, 'control-room-13-voice-recorded');

        r = await submit(page, 'Close incident');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/incidents/${incidentId}`);
        assert.match(await text(page, 'h1'), /Closed/);
        assert.equal(await page.getByRole('button', { name: 'Close incident' }).count(), 0);
        await screenshot(page, 'control-room-14-closed');
        await axeCheck(page, 'closed incident');
        const inc = (await api('GET', `/api/incidents/${incidentId}`)).json;
        assert.equal(inc.status, 'closed');
        assert.equal(inc.voice_missing, false);
    });
});
