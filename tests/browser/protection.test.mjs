// protection.test.mjs — the police protection pages (issue 12, DOMAIN.md
// R6, Children Act 1989 s46) in a browser:
//
//   a sergeant (the demo supervisor) finds Police protection in the menu and,
//   on a 375 px phone screen, records a case: an adult is refused on the
//   child, a police station without a reason is refused on the reason, then
//   the case is recorded; the case page prompts for a designated officer;
//   designating the sergeant (who used the power) is refused on the field,
//   the inspector is designated; the local authority is informed; when the
//   clock has moved three hours the parents' and child's clocks are Overdue
//   (on the case and on the list); the parents not informed needs a reason;
//   the child's views are recorded in their words; the inspector records the
//   inquiry; the child is released within the 72 hours. The child's record
//   lists the case and links to it; an incident shows the child in
//   protection from it, and a supervisor records the protection decision on
//   another incident (a refusal first).
//
// The server's clock is a file (--clock file:PATH): rewriting it moves the
// server's time. Screenshots go to test-output/browser/protection-*.png.

import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit, signIn,
} from './browser.mjs';
import { tempDir } from '../api/harness.mjs';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true };

const THRIVE = {
    threat: 'Child found alone with an intoxicated adult', harm: 'Risk of serious neglect',
    risk: 'High', investigation: 'Neglect offences possible', vulnerability: 'Child aged 6',
    engagement: 'Adult unable to engage',
};

describe('police protection pages: record on a phone, designate, notify, clocks, release', () => {
    let env;
    let clockDir;
    let clockFile;
    let child;
    let adult;
    let incident;
    let casePath;
    let phone; // the sergeant's phone
    let inspector;
    const setClock = (ms) => writeFileSync(clockFile, `${iso(ms)}\n`);
    const api = (method, path, body) => env.srv.api(method, path, { body });
    const text = async (page, sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();
    const clock = (page, rule) => text(page, `[id="clock-protection.${rule}"]`);
    const open = (page, summary) => page.locator('summary', { hasText: summary }).click();
    /** Moves the server's clock; sessions idle for 30 minutes end, so both
     * officers sign in again when it moves further. */
    async function moveClock(ms) {
        setClock(ms);
        for (const [page, who] of [[phone, 'supervisor'], [inspector, 'inspector']]) {
            await page.context().clearCookies();
            await signIn(page, who);
        }
    }
    /** The page is no wider than the phone's screen. */
    async function fitsPhone(page) {
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= 375, `the page is ${w} px wide at 375 px`);
    }

    before(async () => {
        clockDir = tempDir();
        clockFile = join(clockDir, 'clock');
        setClock(T0);
        env = await startBrowserEnv({ people: 20, seed: 5, clock: `file:${clockFile}` });
        const mk = async (p) => {
            const r = await api('POST', '/api/people', { ...p, confirmed_new: true });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        child = await mk({ given_name: 'Ada', family_name: 'Shelterwood', dob: '2019-03-14' });
        adult = await mk({ given_name: 'Rex', family_name: 'Shelterwood', dob: '1980-02-02' });
        const r = await api('POST', '/api/incidents', {
            location: '4 Haven Close', postcode: 'EA4 4HC', nature: 'child_concern',
            persons: [{ person_id: child.id, role: 'child_present' }, { person_id: adult.id, role: 'subject' }],
        });
        assert.equal(r.status, 201, r.text);
        incident = r.json;
        phone = await env.newPage('supervisor', PHONE);
        inspector = await env.newPage('inspector');
    });
    after(async () => {
        await phone?.context().close();
        await inspector?.context().close();
        await env?.close();
        if (clockDir) rmSync(clockDir, { recursive: true, force: true });
    });

    test('Police protection is in the menu; the list says no child is in protection', async () => {
        await inspector.goto('/work');
        await Promise.all([inspector.waitForURL((u) => u.pathname === '/police-protection'),
            inspector.getByRole('link', { name: 'Police protection', exact: true }).click()]);
        assert.equal(await text(inspector, 'h1'), 'Police protection');
        assert.match(await text(inspector, '#cases-empty'), /No child is in police protection/);
        await axeCheck(inspector, 'empty list');
    });

    test('on a phone, from the incident: an adult is refused on the child, a police station needs a reason', async () => {
        await phone.goto(`/police-protection/new?incident_id=${incident.id}`);
        assert.match(await text(phone, '#from-incident'), new RegExp(incident.reference));
        // The incident's children only: the adult is not offered.
        assert.equal(await phone.locator('input[name="person_id"][type="radio"]').count(), 1);
        assert.equal(await phone.locator('#person_id').isChecked(), true);
        await fitsPhone(phone);
        await axeCheck(phone, 'record form at 375 px (from an incident)');
        await screenshot(phone, 'protection-1-form-phone');

        // The adult, through their record: refused on the child.
        await phone.goto(`/police-protection/new?person_id=${adult.id}`);
        await phone.locator('#power').check();
        await phone.locator('#circumstances').fill('Found alone at night in a flat with no heating');
        await phone.locator('#grounds').fill('Likely to suffer significant harm if left');
        let resp = await submit(phone, 'Record police protection');
        assert.equal(resp.status(), 422);
        assert.match(await errorSummary(phone), /18 or over/);
        assert.match(await text(phone, '#person_id-error'), /18 or over/);
        assert.equal(await phone.locator('.govuk-error-summary a[href="#person_id"]').count(), 1);
        assert.equal(await phone.locator('#grounds').inputValue(), 'Likely to suffer significant harm if left');

        // The child, found by name; a police station with no reason.
        await phone.goto('/police-protection/new');
        await phone.locator('#q').fill('Shelterwood');
        await submit(phone, 'Find');
        await Promise.all([phone.waitForURL((u) => u.searchParams.get('person_id') === String(child.id)),
            phone.getByRole('link', { name: /Ada Shelterwood/ }).click()]);
        await phone.locator('input[name="incident_id"]').count().then((n) => assert.equal(n, 0));
        await phone.locator('#power').check();
        await phone.locator('#circumstances').fill('Found alone at night in a flat with no heating');
        await phone.locator('#grounds').fill('Likely to suffer significant harm if left');
        await phone.locator('#place_kind').selectOption('police_station');
        await phone.locator('#place_detail').fill('Eastville police station');
        resp = await submit(phone, 'Record police protection');
        assert.equal(resp.status(), 422);
        assert.match(await text(phone, '#place_reason-error'), /police station is a place of safety only in exceptional/);
        assert.equal(await phone.locator('.govuk-error-summary a[href="#place_reason"]').count(), 1);
        assert.equal(await phone.locator('#place_kind').inputValue(), 'police_station');
        await fitsPhone(phone);
        await axeCheck(phone, 'refused record form at 375 px');
        await screenshot(phone, 'protection-2-refused-phone');
        const none = await api('GET', '/api/police-protection?status=all');
        assert.equal(none.json.cases.length, 0);
    });

    test('recorded: the case page prompts for a designated officer and shows every clock', async () => {
        await phone.locator('#place_kind').selectOption('foster_carer');
        await phone.locator('#place_detail').fill('Emergency foster carer, Eastville');
        await phone.locator('#place_reason').fill('');
        const resp = await submit(phone, 'Record police protection');
        assert.equal(resp.status(), 200);
        assert.match(new URL(phone.url()).pathname, /^\/police-protection\/\d+$/);
        casePath = new URL(phone.url()).pathname;
        assert.match(await text(phone, 'h1'), /Ada Shelterwood In police protection/);
        assert.match(await text(phone, '#clock'), /3 days 0 h left: the 72 hours end at 4 June 2026, 13:00/);
        assert.match(await text(phone, '#designate-prompt'), /No designated officer has been appointed/);
        assert.match(await text(phone, '#designated'), /Not designated/);
        assert.match(await text(phone, '#place'), /Foster carer: Emergency foster carer, Eastville/);
        for (const rule of ['designate', 'inform_la', 'inform_parents', 'inform_child', 'inquiry', 'release_or_epo', 'expiry'])
            assert.match(await clock(phone, rule), /Due$/, rule);
        assert.match(await clock(phone, 'designate'), /1 June 2026, 14:00/); // 13:00 UTC is 14:00 BST
        assert.match(await clock(phone, 'release_or_epo'), /4 June 2026, 07:00/);
        assert.match(await clock(phone, 'expiry'), /4 June 2026, 13:00/);
        await fitsPhone(phone);
        await axeCheck(phone, 'case page at 375 px');
        await screenshot(phone, 'protection-3-case-phone');
    });

    test('designating the officer who used the power is refused on the field; the inspector is designated', async () => {
        setClock(T0 + 10 * MIN);
        await phone.goto(casePath);
        // The designate form is open while nobody is designated.
        const options = await phone.locator('#dg-designated_officer_id option').allInnerTexts();
        assert.ok(options.includes('Demo Supervisor (used the power)'), options.join(', '));
        await phone.locator('#dg-designated_officer_id').selectOption({ label: 'Demo Supervisor (used the power)' });
        let resp = await submit(phone, 'Record the designated officer');
        assert.equal(resp.status(), 422);
        assert.equal(new URL(phone.url()).pathname, `${casePath}/designate`);
        assert.match(await text(phone, '#designated_officer_id-error'), /must not be the officer who used the power/);
        assert.equal(await phone.locator('.govuk-error-summary a[href="#designated_officer_id"]').count(), 1);
        await axeCheck(phone, 'refused designation');
        await phone.locator('#designated_officer_id').selectOption({ label: 'Demo Inspector' });
        resp = await submit(phone, 'Record the designated officer');
        assert.equal(resp.status(), 200);
        assert.equal(new URL(phone.url()).pathname, casePath);
        assert.equal(await phone.locator('#designate-prompt').count(), 0);
        assert.match(await text(phone, '#designated'), /Demo Inspector, from 1 June 2026, 13:10/);
        assert.match(await clock(phone, 'designate'), /Done$/);
    });

    test('the local authority informed; three hours on, the parents and the child are Overdue', async () => {
        await open(phone, 'Record that the local authority was informed');
        await phone.locator('#la-detail').fill('Eastshire emergency duty team, J Okafor');
        await submit(phone, 'Record the local authority informed');
        assert.match(await text(phone, '#la'), /Informed 1 June 2026, 13:10: Eastshire emergency duty team/);
        assert.match(await clock(phone, 'inform_la'), /Done$/);

        await moveClock(T0 + 3 * HOUR);
        await phone.goto(casePath);
        assert.match(await clock(phone, 'inform_parents'), /Overdue by 1 h 0 min/);
        assert.match(await clock(phone, 'inform_child'), /Overdue by 1 h 0 min/);
        assert.match(await clock(phone, 'inquiry'), /Due$/);
        assert.match(await text(phone, '#clock'), /2 days 21 h left/);
        await screenshot(phone, 'protection-4-overdue-phone');
        // The list shows them too, with the designated officer and the place.
        await inspector.goto('/police-protection');
        const row = await text(inspector, '#cases tbody tr');
        assert.match(row, /Ada Shelterwood/);
        assert.match(row, /3 h 0 min in protection/);
        assert.match(row, /2 days 21 h left/);
        assert.match(row, /Foster carer/);
        assert.match(row, /Demo Inspector/);
        assert.match(row, /Overdue Inform the parents/);
        assert.match(row, /Overdue Tell the child what is happening/);
        await axeCheck(inspector, 'list with overdue clocks');
        await screenshot(inspector, 'protection-5-list');
    });

    test('parents not informed needs a reason; the child\'s views in their own words', async () => {
        await open(phone, 'Record the parents informed, or why not');
        await phone.locator('#pa-informed-false').check();
        let resp = await submit(phone, 'Record the parents');
        assert.equal(resp.status(), 422);
        assert.match(await text(phone, '#reason-error'), /'reason' must say why/);
        assert.equal(await phone.locator('#informed-false').isChecked(), true);
        await axeCheck(phone, 'refused notification');
        await phone.locator('#reason').fill('Mother arrested; father not known');
        resp = await submit(phone, 'Record the notification');
        assert.equal(resp.status(), 200);
        assert.match(await text(phone, '#parents'), /Not informed: Mother arrested; father not known/);
        assert.match(await clock(phone, 'inform_parents'), /Done late$/);

        await open(phone, 'Record that the child was told, and their views');
        await phone.locator('#ch-views').fill('I want to stay with my nan');
        await submit(phone, 'Record the child\'s views');
        assert.match(await text(phone, '#child-views'), /In their words: I want to stay with my nan/);
        assert.match(await clock(phone, 'inform_child'), /Done late$/);
    });

    test('the inspector (designated) records the inquiry; the child is released within the 72 hours', async () => {
        await moveClock(T0 + 5 * HOUR);
        await inspector.goto(casePath);
        await open(inspector, 'Record the inquiry and decision');
        await inspector.locator('#iq-text').fill('Spoke to the duty social worker and the grandmother');
        await inspector.locator('#iq-decision').check();
        await submit(inspector, 'Record the inquiry');
        assert.match(await text(inspector, '#inquiry'), /release to the parents/);
        assert.match(await clock(inspector, 'inquiry'), /Done$/);
        await axeCheck(inspector, 'case page with forms');

        setClock(T0 + 5 * HOUR + 20 * MIN);
        await inspector.reload();
        await open(inspector, 'Record the release');
        await inspector.locator('#rl-released_to').fill('The grandmother, Mrs Shelterwood');
        await submit(inspector, 'Record the release');
        assert.match(await text(inspector, 'h1'), /Released/);
        assert.match(await text(inspector, '#released'), /after 5 h 20 min\. Within 72 hours/);
        assert.match(await clock(inspector, 'expiry'), /Done$/);
        assert.match(await clock(inspector, 'release_or_epo'), /Done$/);
        const kinds = await inspector.locator('#timeline tbody tr').count();
        assert.equal(kinds, 8); // initiated, placed, designated, LA, parents, child, inquiry, released
        assert.equal(await inspector.locator('a[href$="/summary.pdf"]').count(), 1);
        await screenshot(inspector, 'protection-6-released');
    });

    test('the child\'s record lists the case and links to it', async () => {
        await inspector.goto(`/people/${child.id}`);
        const ref = await text(inspector, '#police-protection-cases');
        assert.match(ref, /PP-2026-\d{6} Released/);
        await Promise.all([inspector.waitForURL((u) => u.pathname === casePath),
            inspector.locator('#police-protection-cases a').first().click()]);
        await inspector.goto(`/people/${adult.id}`);
        assert.match(await text(inspector, '#police-protection-cases'), /Never in police protection/);
        await axeCheck(inspector, 'person page with police protection');
    });

    test('incidents: a child in protection from it; a supervisor records the protection decision', async () => {
        // A second child in protection from the incident.
        const c2 = await api('POST', '/api/people', { given_name: 'Bo', family_name: 'Harbour', dob: '2020-01-01', confirmed_new: true });
        const pp = await api('POST', '/api/police-protection', {
            person_id: c2.json.id, incident_id: incident.id, power: 'removed', circumstances: 'x', grounds: 'y',
        });
        assert.equal(pp.status, 201, pp.text);
        await inspector.goto(`/incidents/${incident.id}`);
        assert.match(await text(inspector, '#police-protection'), new RegExp(`${pp.json.reference} \\(from this incident`));

        // Another incident whose risk said a child may need protection.
        const r = await api('POST', '/api/incidents', {
            location: '9 Opportunity Lane', nature: 'child_concern', persons: [{ person_id: child.id, role: 'child_present' }],
        });
        const t = await api('POST', `/api/incidents/${r.json.id}/thrive`, { ...THRIVE, child_immediate_risk: true });
        assert.equal(t.status, 200, t.text);
        const sup = await env.newPage('supervisor');
        await sup.goto(`/incidents/${r.json.id}`);
        assert.match(await text(sup, '#protection-decision'), /Police protection decision/);
        await sup.locator('#pd-used-false').check();
        let resp = await submit(sup, 'Record the decision');
        assert.equal(resp.status(), 422);
        assert.equal(await sup.locator('.govuk-error-summary a[href="#reason"]').count(), 1);
        await axeCheck(sup, 'refused protection decision');
        await sup.locator('#reason').fill('Grandmother arrived and took the child home safely');
        resp = await submit(sup, 'Record the decision');
        assert.equal(resp.status(), 200);
        assert.equal(new URL(sup.url()).pathname, `/incidents/${r.json.id}`);
        assert.equal(await sup.locator('#protection-decision').count(), 0);
        await sup.context().close();
    });
});
