// referrals.test.mjs — referrals to the safeguarding partners in a real
// browser (DOMAIN.md R4, issue 9), the "done when" journey:
//
//   an officer raises a referral from a domestic-abuse incident with a child
//   present in one step and lands on it, pre-filled; submitting it
//   incomplete lists every missing field in the error summary with the input
//   kept and nothing saved; completed, it is submitted for review; it is in
//   the referrals list awaiting review; a supervisor returning it without a
//   reason is told why not, then approves it and it is sent (the signed
//   export and the PDF open from its page); the partner agency's user signs
//   in to the portal, sees it (and gets 404 for another agency's referral),
//   opens, acknowledges and records a decision; the officer sees when it was
//   opened, acknowledged and decided. Then: raising from a missing episode
//   (and refused a second time), cancelling, and the agencies page.
//
// axe runs on every page; screenshots go to test-output/browser/referrals-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';
import { makeUser } from '../api/harness.mjs';

describe('referrals: from an incident to the partner\'s decision', () => {
    let env;
    let child;
    let mum;
    let incident;
    let referralId;
    let reference;
    let otherId; // a referral sent to another agency only
    let agencies; // name -> id
    const pages = {};

    const api = (method, path, body, headers) => env.srv.api(method, path, { body, headers });
    async function as(role) {
        if (!pages[role]) pages[role] = await env.newPage(role);
        return pages[role];
    }
    const text = async (page, sel) => (await page.locator(sel).innerText()).replace(/\s+/g, ' ').trim();
    const referral = async () => (await api('GET', `/api/referrals/${referralId}`)).json;
    const person = async (body) => {
        const r = await api('POST', '/api/people', { ...body, confirmed_new: true });
        assert.equal(r.status, 201, r.text);
        return r.json;
    };
    const domesticIncident = async (people, extra = {}) => {
        const r = await api('POST', '/api/incidents', {
            location: '4 Rowan Court', postcode: 'LS7 2RC', nature: 'domestic_abuse',
            description: 'Neighbour heard shouting and a child crying', caller_name: 'A Neighbour',
            received_at: '2026-06-01T10:15:00Z', persons: people, ...extra,
        });
        assert.equal(r.status, 201, r.text);
        return r.json;
    };

    before(async () => {
        env = await startBrowserEnv({ people: 20, seed: 13 });
        const list = await api('GET', '/api/agencies');
        assert.equal(list.status, 200, list.text);
        agencies = Object.fromEntries(list.json.agencies.map((a) => [a.name, a.id]));
        assert.ok(agencies['Demo Children\'s Services'] && agencies['Riverside Academy'], 'the demo agencies exist');

        child = await person({ given_name: 'Zara', family_name: 'Quillfeather', dob: '2017-05-12' });
        mum = await person({ given_name: 'Nadia', family_name: 'Quillfeather', dob: '1991-11-03' });
        incident = await domesticIncident([{ person_id: child.id, role: 'child_present' }, { person_id: mum.id, role: 'victim' }]);

        // Another child's referral, sent to the health agency only: the
        // partner (children's services) must not be able to open it.
        const other = await person({ given_name: 'Otto', family_name: 'Elsewhere', dob: '2014-02-02' });
        const inc2 = await domesticIncident([{ person_id: other.id, role: 'child_present' }], { location: '9 Other Road' });
        const raised = await api('POST', `/api/incidents/${inc2.id}/referrals`,
            { agencies: [{ id: agencies['Exampleshire Health Safeguarding'] }] });
        assert.equal(raised.status, 201, raised.text);
        const done = await api('PATCH', `/api/referrals/${raised.json.id}`, {
            version: raised.json.version, child_voice: 'Otto said he was fine', risk_view: 'Low',
            consent: 'given', submit: true,
        });
        assert.equal(done.status, 200, done.text);
        const reviewer = makeUser(env.srv.dbPath, 'ref-reviewer', ['supervisor']);
        const ok = await api('POST', `/api/referrals/${raised.json.id}/review`,
            { version: done.json.version, decision: 'approve' }, { Authorization: `Bearer ${reviewer}` });
        assert.equal(ok.status, 200, ok.text);
        assert.equal(ok.json.status, 'sent');
        otherId = raised.json.id;
    });
    after(async () => {
        for (const p of Object.values(pages)) await p.context().close().catch(() => {});
        await env?.close();
    });

    test('an officer raises a referral from the incident in one step, pre-filled', async () => {
        const page = await as('response_officer');
        await page.goto(`/incidents/${incident.id}`);
        assert.match(await text(page, '#referral-warning'),
            /A referral is mandatory: domestic abuse with a child present\. None has been sent yet\./);
        await axeCheck(page, 'incident with the raise button');
        const r = await submit(page, 'Raise a referral for Zara Quillfeather');
        assert.equal(r.status(), 200, await text(page, 'main'));
        const m = /^\/referrals\/(\d+)$/.exec(new URL(page.url()).pathname);
        assert.ok(m, `landed on the referral, not ${page.url()}`);
        referralId = Number(m[1]);
        reference = (await referral()).reference;
        assert.match(await text(page, 'h1'), /Zara Quillfeather Draft Within 24 hours Mandatory/);
        assert.match(await text(page, '#summary-list'), new RegExp(`Raised from Incident ${incident.reference}`));
        assert.match(await text(page, '#summary-list'), /Concern known 1 June 2026, 11:15/);
        assert.ok(await page.locator('#categories-domestic_abuse').isChecked(), 'the concern from the incident');
        assert.match(await page.locator('#summary').inputValue(), /Domestic abuse incident at 4 Rowan Court/);
        assert.ok(await page.locator('#urgency-within_24h').isChecked());
        assert.match(await text(page, '#members'), /Nadia Quillfeather Victim/);
        assert.match(await text(page, '#needs-list'), /Give the child's voice/);
        assert.match(await text(page, '#history-table'), /Drafted Drafted from INC-.* \(mandatory\) Demo Response officer/);
        await screenshot(page, 'referrals-1-raised');
        await axeCheck(page, 'referral, a draft with its form');
    });

    test('submitted incomplete, every missing field is listed, the input kept and nothing saved; then it is submitted', async () => {
        const page = await as('response_officer');
        await page.locator('#risk_view').fill('High: third call this month; Zara hides when the adults argue');
        let r = await submit(page, 'Save and submit for review');
        assert.equal(r.status(), 422);
        const summary = await errorSummary(page);
        for (const want of [/Give the child's voice/, /Say whether consent was given, refused or not sought/,
            /Choose at least one agency to send it to/])
            assert.match(summary, want);
        assert.doesNotMatch(summary, /view of the risk/, 'the risk view was given');
        assert.equal(await page.locator('.govuk-error-summary__list li').count(), 3, 'one line for each missing field');
        for (const id of ['child_voice', 'consent', 'agencies'])
            assert.equal(await page.locator(`.govuk-error-summary a[href="#${id}"]`).count(), 1, `the summary links to #${id}`);
        assert.equal(await page.locator('#child_voice-error').count(), 1, 'the message beside the field');
        assert.equal(await page.locator('#risk_view').inputValue(), 'High: third call this month; Zara hides when the adults argue');
        assert.ok(await page.locator('#categories-domestic_abuse').isChecked(), 'ticks kept');
        assert.match(await page.locator('#summary').inputValue(), /4 Rowan Court/);
        await screenshot(page, 'referrals-2-incomplete');
        await axeCheck(page, 'referral refused as incomplete');
        const saved = await referral();
        assert.equal(saved.status, 'draft');
        assert.equal(saved.risk_view, null, 'nothing was saved');

        await page.locator('#child_voice').fill('Zara said: "I go under my bed when Mum and him shout."');
        await page.locator('#consent-not_sought').check();
        await page.locator('#consent_reason').fill('Sharing protects Zara from significant harm');
        await page.getByLabel('Demo Children\'s Services').check();
        await page.getByLabel('Riverside Academy').check();
        r = await submit(page, 'Save and submit for review');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.equal(new URL(page.url()).pathname, `/referrals/${referralId}`);
        assert.match(await text(page, 'h1'), /Awaiting review/);
        assert.match(await text(page, '#review'), /Awaiting review by a supervisor or the safeguarding hub/);
        assert.match(await text(page, '#content-list'), /I go under my bed/);
        assert.match(await text(page, '#recipients-table'), /Demo Children's Services.*Portal Not sent yet/);
        assert.match(await text(page, '#recipients-table'), /Riverside Academy.*Signed export or printed copy Not sent yet/);
        await screenshot(page, 'referrals-3-submitted');
        await axeCheck(page, 'referral awaiting review');
        const now = await referral();
        assert.equal(now.status, 'submitted');
        assert.equal(now.risk_view, 'High: third call this month; Zara hides when the adults argue');
    });

    test('the referrals list shows it awaiting review, with the filter', async () => {
        const page = await as('supervisor');
        await page.goto('/work');
        await Promise.all([
            page.waitForURL((u) => u.pathname === '/referrals'),
            page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Referrals', exact: true }).click(),
        ]);
        assert.equal(await text(page, 'h1'), 'Referrals');
        const row = page.locator('#referrals-table tbody tr', { has: page.locator(`a[href="/referrals/${referralId}"]`) });
        assert.equal(await row.count(), 1);
        const t = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(t, /Zara Quillfeather/);
        assert.match(t, new RegExp(`${reference} Awaiting review Mandatory`));
        assert.match(t, /Within 24 hours/);
        assert.match(t, /1 June 2026, 11:15/);
        assert.match(t, /Not sent/);
        // Awaiting review comes first.
        assert.match(await page.locator('#referrals-table tbody tr').first().innerText(), new RegExp(reference));
        await page.locator('#status').selectOption('sent');
        await submit(page, 'Show');
        assert.equal(new URL(page.url()).search, '?status=sent');
        assert.equal(await page.locator(`a[href="/referrals/${referralId}"]`).count(), 0);
        assert.match(await text(page, '#referrals-table'), /Otto Elsewhere.* 0 of 1/);
        await page.locator('#status').selectOption('submitted');
        await submit(page, 'Show');
        assert.equal(await page.locator(`a[href="/referrals/${referralId}"]`).count(), 1);
        await screenshot(page, 'referrals-4-list');
        await axeCheck(page, 'referrals list');
    });

    test('a supervisor must give a reason to return it, then approves it and it is sent', async () => {
        const page = await as('supervisor');
        await page.goto(`/referrals/${referralId}`);
        await page.locator('#rv-decision-return').check();
        let r = await submit(page, 'Save the review');
        assert.equal(r.status(), 422);
        assert.equal(new URL(page.url()).pathname, `/referrals/${referralId}/review`);
        assert.match(await errorSummary(page), /say what the author must put right/);
        assert.ok(await page.locator('#decision-return').isChecked(), 'the choice is kept');
        await screenshot(page, 'referrals-5-review-refused');
        await axeCheck(page, 'review refused');
        assert.equal((await referral()).status, 'submitted');

        await Promise.all([page.waitForURL((u) => u.pathname === `/referrals/${referralId}`),
            page.getByRole('link', { name: 'Back to the referral' }).click()]);
        await page.locator('#rv-decision').check();
        await page.locator('#rv-reason').fill('Clear and complete');
        r = await submit(page, 'Save the review');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, 'h1'), /Sent/);
        assert.match(await text(page, '#summary-list'), /Sent 1 June 2026, 13:00/);
        const rows = await text(page, '#recipients-table');
        assert.match(rows, /Demo Children's Services.*Portal Sent 1 June 2026, 13:00.*Not yet/);
        assert.match(rows, /Riverside Academy.*Not on the portal/);
        assert.match(await text(page, '#history-table'), /Approved Clear and complete Demo Supervisor.*Sent Sent to Demo Children's Services \(portal\).*Sent to Riverside Academy \(signed export\)/);
        await screenshot(page, 'referrals-6-sent');
        await axeCheck(page, 'sent referral');

        // The signed export and the printed copy open from the page (the
        // browser's session, not a token).
        const riverside = agencies['Riverside Academy'];
        const exportLink = page.locator(`a[href="/referrals/${referralId}/export.json?agency=${riverside}"]`);
        assert.equal(await exportLink.count(), 1);
        const ex = await page.request.get(await exportLink.getAttribute('href'));
        assert.equal(ex.status(), 200);
        const doc = await ex.json();
        assert.equal(doc.algorithm, 'Ed25519');
        assert.equal(doc.referral.reference, reference);
        assert.equal(doc.referral.recipient.name, 'Riverside Academy');
        const pdf = await page.request.get(`/referrals/${referralId}/print.pdf?agency=${riverside}`);
        assert.equal(pdf.status(), 200);
        assert.equal(pdf.headers()['content-type'], 'application/pdf');
        assert.equal((await pdf.body()).subarray(0, 5).toString('latin1'), '%PDF-');
        await page.reload();
        assert.match(await text(page, '#history-table'), /Exported Exported as signed JSON for Riverside Academy.*Printed Printed for Riverside Academy/);
    });

    test('the partner signs in to the portal, sees it, and cannot open another agency\'s referral', async () => {
        const page = await as('partner_agency');
        assert.equal(new URL(page.url()).pathname, '/portal', 'a partner lands on the portal');
        const nav = page.getByRole('navigation', { name: 'Menu' });
        assert.equal(await nav.getByRole('link', { name: 'Portal' }).getAttribute('aria-current'), 'page');
        assert.equal(await nav.getByRole('link', { name: 'Referrals', exact: true }).count(), 0);
        assert.equal(await text(page, 'h1'), 'Referrals to Demo Children\'s Services');
        const row = page.locator('#portal-table tbody tr', { has: page.locator(`a[href="/portal/referrals/${referralId}"]`) });
        assert.equal(await row.count(), 1);
        const t = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(t, new RegExp(`${reference} New`));
        assert.match(t, /Zara Quillfeather Born 12 May 2017/);
        assert.match(t, /Not yet/);
        assert.equal(await page.locator(`a[href="/portal/referrals/${otherId}"]`).count(), 0, 'another agency\'s is not listed');
        await screenshot(page, 'referrals-7-portal');
        await axeCheck(page, 'portal list');

        let resp = await page.goto(`/portal/referrals/${otherId}`);
        assert.equal(resp.status(), 404);
        assert.equal(await text(page, 'h1'), 'Page not found');
        assert.doesNotMatch(await text(page, 'main'), /Otto|Elsewhere/);
        resp = await page.goto(`/referrals/${referralId}`);
        assert.equal(resp.status(), 403, 'the police side is not the partner\'s');
    });

    test('the partner opens, acknowledges and records a decision', async () => {
        const page = await as('partner_agency');
        await page.goto('/portal');
        await Promise.all([page.waitForURL((u) => u.pathname === `/portal/referrals/${referralId}`),
            page.getByRole('link', { name: reference }).click()]);
        assert.match(await text(page, 'h1'), /Zara Quillfeather Within 24 hours Not acknowledged/);
        assert.match(await text(page, '#portal-summary'), /Concern Domestic abuse/);
        assert.match(await text(page, '#portal-summary'), /Consent to share Not sought: Sharing protects Zara from significant harm/);
        assert.match(await text(page, '#portal-voice'), /I go under my bed/);
        assert.match(await text(page, '#portal-members'), /Nadia Quillfeather Victim/);
        await screenshot(page, 'referrals-8-portal-referral');
        await axeCheck(page, 'portal referral');

        // A decision without choosing one is refused.
        let r = await submit(page, 'Record the decision');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(page), /decision/);
        await screenshot(page, 'referrals-9-decision-refused');
        await axeCheck(page, 'decision refused');
        await Promise.all([page.waitForURL((u) => u.pathname === `/portal/referrals/${referralId}`),
            page.getByRole('link', { name: 'Back to the referral' }).click()]);

        await page.locator('#ack-note').fill('With the front door team');
        r = await submit(page, 'Acknowledge receipt');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, 'h1'), /Acknowledged/);
        assert.match(await text(page, '#ack-status'), /Your agency has acknowledged this referral/);
        await page.locator('#decision-assessment').check();
        await page.locator('#note').fill('Single assessment started; social worker allocated');
        r = await submit(page, 'Record the decision');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, 'h1'), /Decision recorded/);
        assert.equal(await page.locator('#decision-form').count(), 0);
        await screenshot(page, 'referrals-10-portal-decided');
        await axeCheck(page, 'portal referral decided');
        await page.goto('/portal');
        const row = page.locator('#portal-table tbody tr', { has: page.locator(`a[href="/portal/referrals/${referralId}"]`) });
        assert.match((await row.innerText()).replace(/\s+/g, ' '), /1 June 2026, 13:00 Assessment/);
    });

    test('the officer sees when it was opened, acknowledged and decided', async () => {
        const page = await as('response_officer');
        await page.goto(`/referrals/${referralId}`);
        const row = page.locator('#recipients-table tbody tr', { hasText: 'Demo Children\'s Services' });
        const t = (await row.innerText()).replace(/\s+/g, ' ');
        assert.match(t, /Sent 1 June 2026, 13:00/);
        assert.match(t, /Opened 1 June 2026, 13:00|1 June 2026, 13:00/);
        assert.match(await row.locator('td[data-label="Opened"]').innerText(), /1 June 2026, 13:00/);
        assert.match(await row.locator('td[data-label="Acknowledged"]').innerText(), /1 June 2026, 13:00/);
        const decision = (await row.locator('td[data-label="Decision"]').innerText()).replace(/\s+/g, ' ');
        assert.match(decision, /Assessment 1 June 2026, 13:00 Single assessment started; social worker allocated/);
        const school = page.locator('#recipients-table tbody tr', { hasText: 'Riverside Academy' });
        assert.match(await school.locator('td[data-label="Acknowledged"]').innerText(), /Not yet/);
        assert.match(await text(page, '#history-table'),
            /Opened Opened in the portal Demo Partner agency.*Acknowledged Acknowledged by Demo Children's Services: With the front door team.*Decision Decision by Demo Children's Services: assessment/);
        await screenshot(page, 'referrals-11-officer-sees-decision');
        await axeCheck(page, 'referral with the partner\'s decision');
        const rec = await referral();
        const csc = rec.recipients.find((x) => x.agency === 'Demo Children\'s Services');
        assert.equal(csc.acknowledged_at, '2026-06-01T12:00:00Z');
        assert.equal(csc.decision, 'assessment');
    });

    test('raising from a missing episode; a second time is refused; a draft is cancelled with a reason', async () => {
        const ep = await api('POST', '/api/missing', {
            person_id: child.id, reported_by: 'Nadia Quillfeather', last_seen_at: '2026-06-01T07:00:00Z',
            last_seen_location: 'School gates', missing_from: '4 Rowan Court', circumstances: 'Did not come home',
            risk: 'medium', risk_rationale: 'Young; recent domestic abuse at home',
        });
        assert.equal(ep.status, 201, ep.text);
        const page = await as('response_officer');
        await page.goto(`/missing/${ep.json.id}`);
        await axeCheck(page, 'missing episode with the raise button');
        let r = await submit(page, 'Raise a referral');
        assert.equal(r.status(), 200, await text(page, 'main'));
        const m = /^\/referrals\/(\d+)$/.exec(new URL(page.url()).pathname);
        assert.ok(m, page.url());
        assert.ok(await page.locator('#categories-missing').isChecked());
        assert.match(await page.locator('#summary').inputValue(), /Missing: Did not come home/);
        assert.match(await text(page, '#summary-list'), new RegExp(`Missing episode ${ep.json.reference}`));

        // Text the validator refuses (too long) comes back before the
        // handler runs: the ticks are kept as posted, never cleared.
        const missingRef = Number(m[1]);
        await page.getByLabel('Oakfield Primary School').check();
        await page.locator('#summary').fill('x'.repeat(4001));
        r = await submit(page, 'Save as draft');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(page), /'summary' must be at most 4000 characters long/);
        assert.match(await text(page, '#ticks-kept'), /Your ticks are kept as you posted them\. Change them after saving\. Missing 1 agency or agencies/);
        await screenshot(page, 'referrals-12-too-long');
        await axeCheck(page, 'referral refused by the validator');
        await page.locator('#summary').fill('Missing overnight; found at the bus station');
        r = await submit(page, 'Save as draft');
        assert.equal(r.status(), 200, await text(page, 'main'));
        const kept = (await api('GET', `/api/referrals/${missingRef}`)).json;
        assert.deepEqual(kept.categories, ['missing']);
        assert.deepEqual(kept.recipients.map((x) => x.agency), ['Oakfield Primary School']);
        assert.equal(kept.summary, 'Missing overnight; found at the bus station');

        await page.goto(`/missing/${ep.json.id}`);
        r = await submit(page, 'Raise a referral');
        assert.equal(r.status(), 409);
        assert.equal(await text(page, 'h1'), 'The referral was not raised');
        assert.match(await text(page, '#main-message'), /already refers this child for this missing episode/);
        await screenshot(page, 'referrals-13-raise-refused');
        await axeCheck(page, 'raise refused');
        await Promise.all([page.waitForURL((u) => u.pathname === `/missing/${ep.json.id}`),
            page.getByRole('link', { name: 'Back to the episode' }).click()]);

        await page.goto(`/referrals/${m[1]}`);
        await page.locator('summary', { hasText: 'Cancel this referral' }).click();
        r = await submit(page, 'Cancel the referral');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(page), /reason/);
        await screenshot(page, 'referrals-14-cancel-refused');
        await axeCheck(page, 'cancel refused');
        await page.locator('#reason').fill('Raised in error: the episode is covered by the incident referral');
        r = await submit(page, 'Cancel the referral');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, 'h1'), /Cancelled/);
        assert.match(await text(page, '#summary-list'), /Cancelled Raised in error/);
        assert.equal(await page.locator('#referral-form').count(), 0, 'a cancelled referral has no form');
    });

    test('the agencies page: an administrator adds one (refused first) and changes it', async () => {
        const page = await as('admin');
        await Promise.all([page.waitForURL((u) => u.pathname === '/agencies'),
            page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Agencies' }).click()]);
        assert.equal(await text(page, 'h1'), 'Partner agencies');
        assert.match(await text(page, '#agencies-table'), /Riverside Academy School .*Signed export or printed copy/);
        await axeCheck(page, 'agencies');
        await page.locator('#name').fill('Larkfield Primary School');
        let r = await submit(page, 'Add the agency');
        assert.equal(r.status(), 422);
        assert.match(await errorSummary(page), /kind/);
        assert.equal(await page.locator('#name').inputValue(), 'Larkfield Primary School');
        await screenshot(page, 'referrals-15-agency-refused');
        await axeCheck(page, 'agency refused');
        await page.locator('#kind').selectOption('school');
        await page.locator('#contact_email').fill('dsl@larkfield.example.org');
        await page.locator('#on_portal-no').check();
        r = await submit(page, 'Add the agency');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#agencies-table'), /Larkfield Primary School School .*dsl@larkfield\.example\.org Signed export or printed copy/);
        const id = (await api('GET', '/api/agencies')).json.agencies.find((a) => a.name === 'Larkfield Primary School').id;

        await page.locator('summary', { hasText: 'Change Larkfield Primary School' }).click();
        await page.locator(`#a${id}-name`).fill('Riverside Academy');
        r = await submit(page, 'Save Larkfield Primary School');
        assert.equal(r.status(), 409);
        assert.match(await errorSummary(page), /there is already an agency called 'Riverside Academy'/);
        assert.equal(await page.locator('#name').inputValue(), 'Riverside Academy', 'input kept');
        await screenshot(page, 'referrals-16-agency-change-refused');
        await axeCheck(page, 'agency change refused');
        await page.locator('#name').fill('Larkfield Primary Academy');
        await page.locator('#on_portal').check();
        r = await submit(page, 'Save the agency');
        assert.equal(r.status(), 200, await text(page, 'main'));
        assert.match(await text(page, '#agencies-table'), /Larkfield Primary Academy School .*On the portal/);
        await screenshot(page, 'referrals-17-agencies');

        // Officers can read the list but not change it.
        const officer = await as('response_officer');
        await officer.goto('/agencies');
        assert.equal(await officer.locator('#add-form').count(), 0);
        assert.equal(await officer.locator('details').count(), 0);
    });
});
