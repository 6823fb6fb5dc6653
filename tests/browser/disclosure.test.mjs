// disclosure.test.mjs — the Child Sex Offender Disclosure Scheme pages
// (issue 13) in a browser, the done-when: an application runs
// through its stages with its clock visible. As the demo offender manager:
// find "Disclosure scheme" in the menu; record an application (first with
// nothing filled in: every fault in the error summary), received 30 hours
// before the server's fixed clock, so its 24-hour clock shows Overdue; record
// the initial contact (Done late), the face-to-face meeting (first in the
// future: refused, typed text kept), the checks; see the decision left to a
// supervisor, who records it; record an immediate risk (the banner and the
// urgent referral appear, the supervisor records the safeguarding action);
// the undertaking, the disclosure and the outcome, every clock then done;
// the list shows the application and its clocks. Every page is checked with
// axe (also at 375 px) and screenshotted to test-output/browser/csod-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, CLOCK,
    startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';

const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const NOW = Date.parse(CLOCK);

describe('disclosure scheme: an application through its stages, its clocks visible', () => {
    let env;
    let om, sup; // the demo offender manager's and supervisor's pages
    let child, subject;
    let appPath;
    const text = async (page, sel) => (await page.locator(sel).first().innerText()).replace(/\s+/g, ' ').trim();
    const clockState = async (page, stage) => text(page, `#clocks tr[data-stage="${stage}"] td:last-child`);

    before(async () => {
        env = await startBrowserEnv({ people: 20, seed: 7 });
        const c = await env.srv.api('POST', '/api/people', {
            body: { given_name: 'Juniper', family_name: 'Calloway', dob: '2016-02-14', confirmed_new: true },
        });
        assert.equal(c.status, 201, c.text);
        child = c.json;
        const s = await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Corwin', family_name: 'Pellingham', dob: '1974-11-02', confirmed_new: true,
                flags: [{ flag: 'registered_sex_offender', valid_from: '2016-03-01' }],
            },
        });
        assert.equal(s.status, 201, s.text);
        subject = s.json;
        om = await env.newPage('offender_manager');
        sup = await env.newPage('supervisor');
    });
    after(async () => {
        await om?.context().close();
        await sup?.context().close();
        await env?.close();
    });

    test('the offender manager finds the scheme in the menu; no applications yet', async () => {
        await om.goto('/work');
        await Promise.all([om.waitForURL((u) => u.pathname === '/disclosure'),
            om.getByRole('link', { name: 'Disclosure scheme', exact: true }).click()]);
        assert.equal(await text(om, 'h1'), 'Disclosure scheme applications');
        assert.match(await text(om, '#applications'), /No applications/);
        await axeCheck(om, 'empty list');
        await screenshot(om, 'csod-1-empty');
    });

    test('a new application: refused when empty with every fault listed, then recorded', async () => {
        await Promise.all([om.waitForURL((u) => u.pathname === '/disclosure/new'), om.locator('#new-application').click()]);
        await axeCheck(om, 'new application form');
        let r = await submit(om, 'Record the application');
        assert.equal(r.status(), 422);
        const summary = await errorSummary(om);
        assert.match(summary, /applicant_relationship|children|required/);
        await axeCheck(om, 'new application refused');
        await screenshot(om, 'csod-2-refused');
        await om.locator('#applicant_name').fill('Harriet Calloway');
        await om.locator('#applicant_contact').fill('07700 900321');
        await om.locator('#applicant_relationship').selectOption('parent');
        await om.locator('[id="children[0].person_id"]').fill(String(child.id));
        await om.locator('#subject_person_id').fill(String(subject.id));
        await om.locator('#subject_relationship').selectOption('partner_of_parent');
        await om.locator('#received_via-phone').check();
        await om.locator('#received_at').fill(iso(NOW - 30 * 3600 * 1000));
        r = await submit(om, 'Record the application');
        assert.equal(r.status(), 200);
        assert.match(new URL(om.url()).pathname, /^\/disclosure\/\d+$/);
        appPath = new URL(om.url()).pathname;
        assert.match(await text(om, 'h1'), /^Application CSOD-2026-\d{6} Open$/);
        assert.match(await text(om, '#subject'), /Corwin Pellingham Registered sex offender/);
        // The clock is visible: 24 hours passed, the face-to-face meeting still due.
        assert.equal(await clockState(om, 'initial_contact'), 'Overdue');
        assert.equal(await clockState(om, 'face_to_face'), 'Due');
        assert.match(await text(om, '#clocks tr[data-stage="face_to_face"]'), /working days/);
        assert.match(await text(om, '#next-form'), /Next: Initial contact/);
        await axeCheck(om, 'application received');
        await screenshot(om, 'csod-3-received');
    });

    test('initial contact (done late), face-to-face (refused in the future, then recorded), checks', async () => {
        await om.locator('#note').fill('Spoke to the mother; explained the scheme');
        await om.locator('#immediate_risk-false').check();
        let r = await submit(om, 'Record the initial contact');
        assert.equal(r.status(), 200);
        assert.equal(await clockState(om, 'initial_contact'), 'Done late');
        assert.match(await text(om, '#next-form'), /Next: Face to face/);
        await om.locator('#at').fill(iso(NOW + 3600 * 1000));
        await om.locator('#note').fill('Met at the station');
        await om.locator('#identity_verified').check();
        r = await submit(om, 'Record the face-to-face meeting');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(om), /'at' must not be in the future/);
        assert.equal(await om.locator('#note').inputValue(), 'Met at the station');
        await axeCheck(om, 'face-to-face refused');
        await screenshot(om, 'csod-4-meeting-refused');
        await om.locator('#at').fill('');
        r = await submit(om, 'Record the face-to-face meeting');
        assert.equal(r.status(), 200);
        assert.equal(new URL(om.url()).pathname, appPath);
        assert.equal(await clockState(om, 'face_to_face'), 'Done');
        await om.locator('[id="checks[0].kind"]').selectOption('pnc');
        await om.locator('[id="checks[0].result"]').fill('Convictions for offences against children');
        await om.locator('[id="checks[1].kind"]').selectOption('visor');
        await om.locator('[id="checks[1].result"]').fill('Registered');
        await om.locator('#convictions').check();
        r = await submit(om, 'Record the checks');
        assert.equal(r.status(), 200);
        assert.match(await text(om, '#stage-checks'), /Convictions for sexual offences against children: Yes; a registered sex offender on the day/);
        assert.match(await text(om, '#next-form'), /Next: Decision/);
        assert.match(await text(om, 'main'), /A supervisor chairs the decision-making meeting/);
        await axeCheck(om, 'application awaiting the decision');
    });

    test('the supervisor records the decision; an immediate risk brings the banner, a referral and the action', async () => {
        await sup.goto(appPath);
        await sup.locator('[id="attendees[0].name"]').fill('DS Ada Renshaw');
        await sup.locator('[id="attendees[0].role"]').fill('Chair, public protection unit');
        await sup.locator('[id="attendees[1].name"]').fill('Ola Brightwater');
        await sup.locator('[id="attendees[1].role"]').fill("Children's social care");
        await sup.locator('#decision').check();
        await sup.locator('#reason').fill('Relevant convictions; the child is at risk');
        let r = await submit(sup, 'Record the decision');
        assert.equal(r.status(), 200);
        assert.match(await text(sup, '#stage-decision'), /Disclose\. Relevant convictions/);
        await om.goto(appPath);
        await om.locator('summary', { hasText: 'Record an immediate risk to a child' }).click();
        await om.locator('#detail').fill('The mother says he is staying at the home tonight');
        r = await submit(om, 'Record the immediate risk');
        assert.equal(r.status(), 200);
        assert.match(await text(om, '#risk-banner'), /Child at immediate risk/);
        const ref = om.locator('#risk-banner a').first();
        assert.match(await ref.innerText(), /Urgent referral/);
        await axeCheck(om, 'application with an immediate risk');
        await screenshot(om, 'csod-5-risk');
        await sup.goto(appPath);
        assert.match(await text(sup, '#tasks-table'), /Urgent safeguarding action/);
        await sup.locator('#action').fill('Officers attended; he left the home; safety plan agreed');
        await axeCheck(sup, 'safeguarding action form');
        r = await submit(sup, 'Record the action');
        assert.equal(r.status(), 200);
        assert.equal(await sup.locator('#risk-banner').count(), 0);
        assert.match(await text(sup, '#risks'), /Officers attended/);
    });

    test('undertaking, disclosure and outcome: every clock done; the list shows them', async () => {
        await om.goto(appPath);
        await om.locator('#recipient_name').fill('Harriet Calloway');
        await om.locator('#recipient_relationship').fill('Mother, best placed to protect the child');
        await om.locator('#signed').check();
        let r = await submit(om, 'Record the undertaking');
        assert.equal(r.status(), 200);
        await om.locator('#content').fill('Told of the convictions and how to keep the child safe');
        r = await submit(om, 'Record the disclosure');
        assert.equal(r.status(), 200);
        assert.match(await text(om, '#stage-disclosure'), /to Harriet Calloway: Told of the convictions/);
        await om.locator('#outcome').check();
        r = await submit(om, 'Record the outcome and close');
        assert.equal(r.status(), 200);
        assert.match(await text(om, 'h1'), /Closed$/);
        const states = await om.locator('#clocks tbody tr td:last-child').allInnerTexts();
        assert.deepEqual(states.map((s) => s.trim()), ['Done late', 'Done', 'Done', 'Done', 'Done', 'Done']);
        await axeCheck(om, 'closed application');
        await screenshot(om, 'csod-6-closed');
        await om.goto('/disclosure?status=all');
        const row = om.locator('#applications tbody tr').first();
        assert.match(await row.innerText(), /CSOD-2026-\d{6}/);
        assert.match(await row.innerText(), /Initial contact and immediate-risk check: Done late/);
        await axeCheck(om, 'list with an application');
        await om.setViewportSize({ width: 375, height: 800 });
        await axeCheck(om, 'list at 375 px');
        await screenshot(om, 'csod-7-list-375');
        await om.setViewportSize({ width: 1280, height: 900 });
    });
});
