// offenders.test.mjs — registered sex offender management pages (issue 13,
// recommendation 7) in a browser, the done-when: the offender
// manager's My work shows their due visits and reviews grouped by risk, and
// an overdue visit turns Overdue when the injected clock moves past it; the
// record shows the derived notification period with its rule, the plan's
// visit frequency or its fallback, and recording-quality warnings; its forms
// record a visit (a refused one first: the error summary names the field and
// what was typed is kept) and raise a briefing concern; a local officer finds
// their area's briefing from the menu and opens it (audited); an officer of
// another area is refused it. The linked child's person page leads to the
// offender record. Every page is checked with axe (also at 375 px) and
// screenshotted to test-output/browser/offenders-*.png.
//
// The clock is a file (--clock file:PATH): rewriting it moves the server's
// time.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, cli, sqlite,
    startBrowserEnv, screenshot, axeCheck, errorSummary, submit, signIn,
} from './browser.mjs';
import { makeUser, tempDir, TEST_PASSWORD } from '../api/harness.mjs';

const T0 = Date.parse('2026-07-01T09:00:00Z');
const DAY = 24 * 60 * 60 * 1000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('registered sex offenders: My work by risk, the record and its forms, the local briefing', () => {
    let env, clockDir, clockFile, omToken;
    let high, low, unassessed; // offenders registered through the API
    let child;
    let om; // the demo offender manager's page
    const setClock = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const asOm = (method, path, body) =>
        env.srv.api(method, path, { body, headers: { Authorization: `Bearer ${omToken}` } });
    const text = async (page, sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();
    const openAll = (page) => page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));

    async function person(given, family, dob, addresses) {
        const r = await env.srv.api('POST', '/api/people', {
            body: { given_name: given, family_name: family, dob, confirmed_new: true, ...(addresses ? { addresses } : {}) },
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    async function register(p, extra) {
        const r = await asOm('POST', '/api/offenders', {
            person_id: p.id, registered_on: '2026-05-01', offender_manager_id: omId(), area: 'North',
            convictions: [{ offence: 'Sexual assault (synthetic)', convicted_on: '2026-03-02', disposal: 'custody', custody_months: 18 }],
            ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    }
    const omId = () => sqlite(env.srv.dbPath, "SELECT id FROM app_user WHERE username = 'offender_manager'")[0].id;

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        env = await startBrowserEnv({ people: 20, seed: 13, clock: `file:${clockFile}` });
        omToken = cli(['token', 'create', '--db', env.srv.dbPath, '--username', 'offender_manager', '--name', 'tests']).stdout.trim();
        makeUser(env.srv.dbPath, 'south_officer', ['response_officer'], { team: 'South response', area: 'South' });
        // The safeguarding hub of the child's area (the task's team is the area).
        makeUser(env.srv.dbPath, 'north_hub', ['safeguarding_hub'], { team: 'North', area: 'North' });

        // High risk, monthly visits by the plan, last seen 5 June: next due 5 July.
        high = await register(await person('Harold', 'Vance', '1970-02-03',
            [{ line1: '4 Rowan Terrace', postcode: 'NR1 4RT' }]), { photo_ref: 'CUST-PHOTO-4411', mappa_category: 1, mappa_level: 2 });
        let r = await asOm('POST', `/api/offenders/${high.id}/risk-assessments`,
            { level: 'high', assessed_on: '2026-05-20', summary: 'ARMS: high, new relationship' });
        assert.equal(r.status, 200, r.text);
        r = await asOm('POST', `/api/offenders/${high.id}/plan`, { visit_months: 1, summary: 'Monthly unannounced visits' });
        assert.equal(r.status, 200, r.text);
        r = await asOm('POST', `/api/offenders/${high.id}/visits`, { kind: 'announced', done_on: '2026-06-05', findings: 'Seen at home' });
        assert.equal(r.status, 200, r.text);
        // Low risk, the plan sets no frequency: the yearly fallback.
        low = await register(await person('Lionel', 'Marsh', '1961-11-11'), {});
        r = await asOm('POST', `/api/offenders/${low.id}/risk-assessments`, { level: 'low', assessed_on: '2026-05-10', summary: 'ARMS: low' });
        assert.equal(r.status, 200, r.text);
        // Not yet assessed: visited as very high until assessed.
        unassessed = await register(await person('Ulric', 'Dunmore', '1988-08-08'), {});
        // A child who later moves to Harold's address (through the people area).
        child = await person('Poppy', 'Vance', '2016-03-03', [{ line1: '9 Other Street', postcode: 'NR9 9OS' }]);
        om = await env.newPage('offender_manager');
    });
    after(async () => {
        await om?.context().close();
        await env?.close();
        if (clockDir) rmSync(clockDir, { recursive: true, force: true });
    });

    test("the offender manager's My work shows due visits and reviews by risk; the clock makes a visit overdue", async () => {
        await om.goto('/work');
        assert.equal(await text(om, '#offenders-by-risk'), 'Offender management by risk');
        const captions = await om.locator('#offenders-by-risk ~ table caption').allInnerTexts();
        assert.deepEqual(captions.map((c) => c.replace(/:.*/, '')),
            ['Not yet assessed (visited as very high until assessed)', 'High risk', 'Low risk'], 'the highest risk first');
        const highRows = await text(om, '#risk-high');
        assert.match(highRows, new RegExp(`${high.reference} Home visit due .* Due`));
        assert.match(highRows, /ARMS risk assessment due/);
        assert.match(await text(om, '#risk-low'), new RegExp(`${low.reference} Home visit due`));
        await axeCheck(om, 'My work with offenders by risk');
        await screenshot(om, 'offenders-1-my-work');

        // 6 July: Harold's monthly visit (due 5 July) is overdue. Five days
        // on, the session has lapsed: sign in again.
        setClock(T0 + 5 * DAY);
        await om.reload();
        await signIn(om, 'offender_manager');
        assert.equal(new URL(om.url()).pathname, '/work');
        const visit = om.locator('#risk-high tr', { hasText: 'Home visit due' });
        assert.match(await visit.innerText(), /Overdue 1 days|Overdue \d+ hours/);
        await Promise.all([om.waitForURL((u) => u.pathname === `/offenders/${high.id}`),
            visit.getByRole('link', { name: high.reference }).click()]);
        assert.match(await text(om, '#next-visit'), /Next visit due by 5 July 2026 Overdue/);
        await screenshot(om, 'offenders-2-my-work-overdue');
    });

    test('the record: the period with its rule, the plan\'s frequency or the fallback, quality warnings', async () => {
        await om.goto(`/offenders/${high.id}`);
        assert.match(await text(om, 'h1'), /Harold Vance High risk Active management/);
        assert.match(await text(om, '#period'), /Ends 2 March 2036 10 years: custody of more than 6 and under 30 months \(SOA 2003 s82\)/);
        assert.match(await text(om, '#convictions'), /Custody, 18 months 10 years, to 2 March 2036/);
        assert.match(await text(om, '#visit-frequency'), /Every 1 month\(s\), set by the plan/);
        assert.match(await text(om, '#quality'), /Stale .*visit/i);
        await openAll(om);
        await axeCheck(om, 'offender record with every form open');
        await screenshot(om, 'offenders-3-record');

        await om.goto(`/offenders/${low.id}`);
        assert.match(await text(om, '#visit-frequency'), /Every 12 month\(s\), the minimum for the risk level \(the plan sets none\)/);
        await om.goto(`/offenders/${unassessed.id}`);
        assert.match(await text(om, 'h1'), /Not yet assessed/);
        assert.match(await text(om, '#quality'), /risk assessment/i);

        await om.goto('/offenders');
        const row = om.locator('#offenders tr', { hasText: 'Harold Vance' });
        assert.match(await row.innerText(), /High risk\s+Active\s+Demo Offender manager\s+5 July 2026 Overdue/);
        assert.match(await om.locator('#offenders tr', { hasText: 'Lionel Marsh' }).innerText(), /Low risk/);
        await axeCheck(om, 'offender list');
        await om.setViewportSize({ width: 375, height: 800 });
        await axeCheck(om, 'offender list at 375 px');
        await screenshot(om, 'offenders-4-list-375');
        await om.setViewportSize({ width: 1280, height: 900 });
    });

    test('recording a visit: refused without findings (named, typed kept), then recorded; the overdue task closes', async () => {
        await om.goto(`/offenders/${high.id}`);
        await om.locator('summary', { hasText: 'Record a home visit' }).click();
        await om.locator('#visit-form #visit-kind-unannounced').check();
        await om.locator('#visit-done_on').fill('6');
        await om.locator('#visit-done_on-month').fill('7');
        await om.locator('#visit-done_on-year').fill('2026');
        let resp = await submit(om, 'Record the visit');
        assert.equal(resp.status(), 422);
        assert.match(await errorSummary(om), /findings/);
        assert.equal(await om.locator('#done_on').inputValue(), '6', 'what was typed is kept');
        assert.ok(await om.locator('#kind-unannounced').isChecked());
        await axeCheck(om, 'visit refused');
        await screenshot(om, 'offenders-5-visit-refused');
        await om.locator('#findings').fill('Seen alone; phone checked; no children present');
        resp = await submit(om, 'Record the visit');
        assert.equal(new URL(om.url()).pathname, `/offenders/${high.id}`);
        assert.match(await text(om, '#next-visit'), /Next visit due by 6 August 2026/);
        assert.match(await text(om, '#visits'), /Unannounced Done 6 July 2026 .*Seen alone; phone checked/);
        await om.goto('/work');
        assert.doesNotMatch(await text(om, '#risk-high'), /Home visit due .*Overdue/);
    });

    test('a risk-level change prompts a plan review; raising a concern puts the offender in the North briefing', async () => {
        await om.goto(`/offenders/${high.id}`);
        await om.locator('summary', { hasText: 'Record a risk assessment' }).click();
        await om.locator('#risk-level').check(); // very high
        await om.locator('#risk-summary').fill('ARMS: very high, contact with a child reported');
        await submit(om, 'Record the assessment');
        assert.match(await text(om, 'h1'), /Very high risk/);
        assert.match(await text(om, '#plan-review-prompted'), /risk level changed from high to very_high/);
        await om.locator('summary', { hasText: 'Raise a concern for local officers' }).click();
        assert.equal(await om.locator('#concern-area').inputValue(), 'North', 'the offender\'s area');
        await om.locator('#concern-risk_summary').fill('Very high risk to girls aged 8 to 12');
        await om.locator('#concern-look_for').fill('Near the leisure centre after school; a blue van');
        await om.locator('#concern-if_seen').fill('Note the time and company; call the offender manager');
        await submit(om, 'Raise the concern');
        assert.match(await text(om, '#concerns'), /North .*Very high risk to girls aged 8 to 12 .*Active/);
    });

    test('a local officer opens their area\'s briefing from the menu; the view is audited', async () => {
        const officer = await env.newPage('response_officer'); // area North
        try {
            await officer.goto('/work');
            await Promise.all([officer.waitForURL((u) => u.pathname === '/offender-briefings'),
                officer.getByRole('link', { name: 'Offender briefing', exact: true }).click()]);
            assert.match(await text(officer, '#briefings'), /North Your area 1/);
            await axeCheck(officer, 'briefings list (officer)');
            await Promise.all([officer.waitForURL((u) => u.pathname === '/offender-briefings/North'),
                officer.getByRole('link', { name: 'North', exact: true }).click()]);
            const card = await text(officer, '.govuk-summary-card');
            assert.match(card, /Harold Vance, 56 Very high risk/);
            assert.match(card, /Photograph reference CUST-PHOTO-4411/);
            assert.match(card, /What to look for Near the leisure centre after school; a blue van/);
            assert.match(card, /What to do if seen Note the time and company; call the offender manager/);
            assert.equal(await officer.getByRole('link', { name: /The offender record/ }).count(), 0, 'an officer cannot open the record');
            await axeCheck(officer, 'North briefing');
            await officer.setViewportSize({ width: 375, height: 800 });
            await axeCheck(officer, 'North briefing at 375 px');
            await screenshot(officer, 'offenders-6-briefing-375');
            const audit = sqlite(env.srv.dbPath, "SELECT a.detail FROM audit_log a JOIN app_user u ON u.id = a.user_id"
                + " WHERE u.username = 'response_officer' AND a.record_type = 'offender_briefing' AND a.action = 'read'"
                + " AND a.route = 'GET /api/offender-briefings/{area}'");
            assert.ok(audit.some((a) => JSON.parse(a.detail).offenders.includes(high.id)), JSON.stringify(audit));
        } finally {
            await officer.context().close();
        }
    });

    test('an officer of another area is refused the briefing, and the refusal is audited', async () => {
        const ctx = await env.newContext();
        const south = await ctx.newPage();
        try {
            await signIn(south, 'south_officer', TEST_PASSWORD);
            await south.goto('/offender-briefings');
            assert.match(await text(south, '#briefings'), /South Your area 0/);
            assert.equal(await south.getByRole('link', { name: 'North', exact: true }).count(), 0);
            const resp = await south.goto('/offender-briefings/North');
            assert.equal(resp.status(), 403);
            assert.doesNotMatch(await south.content(), /Harold|leisure centre/);
            await axeCheck(south, 'briefing refused');
            await screenshot(south, 'offenders-7-refused');
            const denied = sqlite(env.srv.dbPath, "SELECT a.action FROM audit_log a JOIN app_user u ON u.id = a.user_id"
                + " WHERE u.username = 'south_officer' AND a.record_type = 'offender_briefing'");
            assert.deepEqual(denied.map((a) => a.action), ['read', 'denied_area'], 'the list, then the refusal');
        } finally {
            await ctx.close();
        }
    });

    test('a child who moves to the offender\'s address is linked; the person page leads to the offender record', async () => {
        const cur = await env.srv.api('GET', `/api/people/${child.id}`);
        const r = await env.srv.api('PATCH', `/api/people/${child.id}`, {
            body: { version: cur.json.version, addresses: [{ line1: '4 rowan terrace', postcode: 'nr14rt' }] },
        });
        assert.equal(r.status, 200, r.text);
        const hub = await (await env.newContext()).newPage();
        try {
            await signIn(hub, 'north_hub', TEST_PASSWORD);
            await hub.goto('/work');
            const task = hub.locator('tr', { hasText: 'Safeguard the child living with a registered sex offender' });
            await Promise.all([hub.waitForURL((u) => u.pathname === `/people/${child.id}/offender-links`),
                task.getByRole('link').click()]);
            assert.match(await text(hub, '.govuk-summary-card'), new RegExp(`Offender ${high.reference} Safeguarding action due`));
            await axeCheck(hub, 'child\'s offender links');
            await hub.locator('textarea').first().fill('Strategy discussion requested with children\'s social care');
            await submit(hub, 'Record the action');
            assert.match(await text(hub, '.govuk-summary-card'), /Actioned/);
            await screenshot(hub, 'offenders-8-child-links');
        } finally {
            await hub.context().close();
        }
        // The offender manager follows the child's page to the offender record.
        await om.goto(`/people/${child.id}`);
        await om.locator('#offender-links').click();
        await Promise.all([om.waitForURL((u) => u.pathname === `/offenders/${high.id}`),
            om.getByRole('link', { name: /The offender record/ }).click()]);
        assert.match(await text(om, '#children'), /Poppy Vance: Address match/);
    });
});
