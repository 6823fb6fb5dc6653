// journeys.test.mjs — what people do with the web pages, in a real browser.
//
// One server (200 synthetic people, seed 7, the fixed test clock) with the
// demo users; each journey uses its own browser context (own cookies).

import assert from 'node:assert/strict';
import {
    test, describe, before, after,
    startBrowserEnv, signIn, signOut, screenshot, errorSummary, fillPersonForm, submit, watchPage,
} from './browser.mjs';

/** The path of a page URL. */
const pathOf = (page) => new URL(page.url()).pathname;

/** The id in a /people/{id} URL. */
function personIdOf(page) {
    const m = /^\/people\/(\d+)$/.exec(pathOf(page));
    assert.ok(m, `expected a person page, at ${page.url()}`);
    return Number(m[1]);
}

/** The value shown for a summary-list key on a person page. */
async function summaryValue(page, key) {
    const row = page.locator('.govuk-summary-list__row').filter({
        has: page.locator('.govuk-summary-list__key', { hasText: new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }),
    });
    return (await row.locator('.govuk-summary-list__value').innerText()).trim();
}

/** Every error-summary link points at an element that exists on the page. */
async function assertSummaryLinksResolve(page) {
    const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length > 0, 'the error summary has no links');
    for (const href of hrefs) {
        assert.match(href, /^#./, `error summary link ${href} is not an in-page link`);
        const found = await page.evaluate((id) => document.getElementById(id) !== null, decodeURIComponent(href.slice(1)));
        assert.ok(found, `error summary link ${href} points at nothing on ${page.url()}`);
    }
}

describe('journeys', () => {
    let env;
    let amelia; // the person created for the search journeys

    before(async () => {
        env = await startBrowserEnv({ people: 200, seed: 7 });
        amelia = (await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Amelia', family_name: 'Hargreaves', dob: '2014-03-09', dob_accuracy: 'exact',
                gender: 'female',
                addresses: [{ line1: '14 Canal Street', town: 'Leeds', postcode: 'LS2 7EH', valid_from: '2024-02-01' }],
            },
        })).json;
        assert.ok(amelia?.id, 'could not create Amelia Hargreaves through the API');
    });

    after(async () => {
        await env?.close();
    });

    test('a supervisor signs in and lands on My work, with their name and role in the header', async () => {
        const ctx = await env.newContext();
        const page = await ctx.newPage();
        await page.goto('/sign-in');
        assert.equal(await page.locator('h1').innerText(), 'Sign in to Safeguard');
        await signIn(page, 'supervisor');
        assert.equal(pathOf(page), '/work');
        assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'My work');
        const header = page.locator('header');
        assert.equal((await header.locator('.sg-header__name').innerText()).trim(), 'Demo Supervisor');
        assert.match(await header.locator('.sg-header__roles').innerText(), /Supervisor/i);
        const nav = await page.getByRole('navigation', { name: 'Menu' }).innerText();
        assert.match(nav, /My work/);
        assert.match(nav, /People/);
        // The GOV.UK Frontend JavaScript ran (progressive enhancement).
        assert.ok(await page.evaluate(() => document.body.classList.contains('govuk-frontend-supported')));
        await screenshot(page, 'journey-my-work');
        await ctx.close();
    });

    test('pages load their styles, scripts, fonts and images without errors', async () => {
        const page = await env.newPage(null);
        const problems = watchPage(page);
        await page.goto('/sign-in');
        await signIn(page, 'supervisor');
        await page.goto(`/people/${amelia.id}`);
        await page.goto('/data-quality');
        await page.waitForLoadState('networkidle');
        // Fonts load lazily; give any late requests a moment to finish.
        await page.evaluate(() => document.fonts.ready.then(() => true));
        assert.deepEqual([...new Set(problems)], [], 'a page logged errors or failed to load something');
        await page.context().close();
    });

    test('a wrong password shows the error summary and keeps the username', async () => {
        const page = await env.newPage(null);
        await page.goto('/sign-in');
        await page.locator('#username').fill('supervisor');
        await page.locator('#password').fill('not-the-password');
        await submit(page, 'Sign in');
        assert.equal(pathOf(page), '/sign-in');
        assert.ok(await errorSummary(page), 'no error summary after a wrong password');
        assert.equal(await page.locator('#username').inputValue(), 'supervisor');
        assert.equal(await page.locator('#password').inputValue(), '', 'the password must not be echoed back');
        await page.context().close();
    });

    test('the People link opens an empty search form', async () => {
        const page = await env.newPage('supervisor');
        const [resp] = await Promise.all([
            page.waitForNavigation(),
            page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'People' }).click(),
        ]);
        await screenshot(page, 'journey-people-empty');
        assert.equal(resp.status(), 200,
            `GET /people with no query should show the search form, got ${resp.status()}: ` +
            `${(await page.locator('main').innerText()).replace(/\s+/g, ' ')}`);
        assert.equal(await page.locator('h1').innerText(), 'Find a person');
        assert.equal(await errorSummary(page), null, 'an empty search form must not show an error');
        assert.equal(await page.locator('#q').inputValue(), '');
        await page.context().close();
    });

    test('a misspelt name still finds the person, and the result opens the record', async () => {
        const page = await env.newPage('supervisor');
        // The results page for what the search form sends (see the next test
        // for the form itself).
        await page.goto('/people?q=' + encodeURIComponent('Amelai Hargreves'));
        assert.equal(await page.locator('#q').inputValue(), 'Amelai Hargreves', 'the search box keeps what was typed');
        assert.match(await page.locator('main h2').first().innerText(), /People found: [1-9]/);
        const link = page.locator('table.govuk-table tbody a', { hasText: 'Amelia Hargreaves' });
        assert.equal(await link.count(), 1, 'Amelia Hargreaves is not in the results');
        await screenshot(page, 'journey-search-misspelt');
        await Promise.all([page.waitForNavigation(), link.click()]);
        assert.equal(personIdOf(page), amelia.id);
        assert.match(await page.locator('h1').innerText(), /Amelia Hargreaves/);
        assert.equal(await summaryValue(page, 'Date of birth'), '9 March 2014');
        assert.match(await page.locator('main').innerText(), /14 Canal Street/);
        await screenshot(page, 'journey-person-found');
        await page.context().close();
    });

    test('the search form finds a person by name without a date of birth', async () => {
        const page = await env.newPage('supervisor');
        await page.goto('/people?q=Hargreaves');
        await page.locator('#q').fill('Amelai Hargreves');
        // The date of birth box is left empty, as most searches do.
        assert.equal(await page.locator('#dob').inputValue(), '');
        const [resp] = await Promise.all([
            page.waitForNavigation(),
            page.getByRole('button', { name: 'Search', exact: true }).click(),
        ]);
        const sent = new URL(page.url());
        assert.equal(sent.searchParams.get('q'), 'Amelai Hargreves');
        assert.equal(resp.status(), 200,
            `searching with the date of birth left blank (${sent.search}) should list results, got ${resp.status()}: ` +
            `${(await page.locator('main').innerText()).replace(/\s+/g, ' ')}`);
        assert.equal(await page.locator('table.govuk-table tbody a', { hasText: 'Amelia Hargreaves' }).count(), 1);
        await page.context().close();
    });

    test('a search with an impossible date of birth shows the form with the error', async () => {
        const page = await env.newPage('supervisor');
        const resp = await page.goto('/people?q=Hargreaves&dob=2014-02-31');
        assert.equal(resp.status(), 422);
        await screenshot(page, 'journey-search-bad-dob');
        assert.equal(await page.locator('#q').count(), 1,
            `the search form should be shown again with the error, got: ${(await page.locator('main').innerText()).replace(/\s+/g, ' ')}`);
        assert.ok(await errorSummary(page), 'no error summary');
        assert.equal(await page.locator('#q').inputValue(), 'Hargreaves');
        assert.equal(await page.locator('#dob').inputValue(), '2014-02-31');
        assert.equal(await page.locator('#dob-error').count(), 1);
        await page.context().close();
    });

    test('an impossible date shows the GOV.UK error pattern; fixing it creates the person', async () => {
        const page = await env.newPage('supervisor');
        await page.goto('/people/new');
        assert.equal(await page.locator('h1').innerText(), 'Add a new person');
        await fillPersonForm(page, {
            given_name: 'Oliver', family_name: 'Pemberton-Shaw', dob: [2015, 2, 31],
            dob_accuracy: 'exact', gender: 'male',
        });
        await submit(page, 'Add person');

        // The same form again (at the address it posted to), with an error
        // summary at the top.
        assert.equal(await page.locator('h1').innerText(), 'Add a new person');
        assert.match(await page.title(), /^Error: /, 'the title starts with "Error: "');
        const summary = page.locator('.govuk-error-summary');
        assert.equal(await summary.count(), 1, 'no error summary');
        const first = await page.locator('main .govuk-grid-column-two-thirds > *').first().getAttribute('class');
        assert.match(first, /govuk-error-summary/, 'the error summary is the first thing in the content');
        const link = summary.locator('a').first();
        assert.equal(await link.getAttribute('href'), '#dob', 'the summary links to the date field');
        // The field shows its own error, and the inputs are marked.
        const groupClass = await page.locator('#dob-error').locator('xpath=ancestor::div[contains(@class,"govuk-form-group")][1]').getAttribute('class');
        assert.match(groupClass, /govuk-form-group--error/);
        assert.ok((await page.locator('#dob-error').innerText()).trim().length > 'Error:'.length);
        assert.match(await page.locator('#dob').getAttribute('class'), /govuk-input--error/);
        // Everything typed is kept.
        assert.equal(await page.locator('#given_name').inputValue(), 'Oliver');
        assert.equal(await page.locator('#family_name').inputValue(), 'Pemberton-Shaw');
        assert.equal(await page.locator('#gender').inputValue(), 'male');
        assert.deepEqual(
            [await page.locator('#dob').inputValue(), await page.locator('#dob-month').inputValue(), await page.locator('#dob-year').inputValue()],
            ['31', '2', '2015'], 'the date typed is kept');
        await screenshot(page, 'journey-create-invalid-date');
        // The summary link moves focus to the day field.
        await link.click();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'dob', 'the summary link focuses the date field');

        // Fix the date and send again.
        await fillPersonForm(page, { dob: [2015, 2, 28] });
        await submit(page, 'Add person');
        const id = personIdOf(page);
        assert.ok(id > 200, `a new person id, got ${id}`);
        assert.match(await page.locator('h1').innerText(), /Oliver Pemberton-Shaw/);
        assert.equal(await summaryValue(page, 'Date of birth'), '28 February 2015');
        assert.equal(await summaryValue(page, 'Gender'), 'Male');
        assert.equal(await errorSummary(page), null);
        await screenshot(page, 'journey-create-fixed');
        await page.context().close();
    });

    test('adding the same name and date of birth again shows the possible duplicate; confirming creates it', async () => {
        const page = await env.newPage('supervisor');
        await page.goto('/people/new');
        await fillPersonForm(page, { given_name: 'Amelia', family_name: 'Hargreaves', dob: [2014, 3, 9], dob_accuracy: 'exact' });
        await submit(page, 'Add person');
        assert.equal(await page.locator('h1').innerText(), 'Add a new person');
        const banner = page.locator('.govuk-notification-banner');
        assert.equal(await banner.count(), 1, 'no possible-duplicate banner');
        assert.match(await banner.innerText(), /Possible duplicate/);
        const existing = banner.locator(`a[href="/people/${amelia.id}"]`);
        assert.equal(await existing.count(), 1, 'the banner does not list the existing record');
        assert.match(await existing.innerText(), /Amelia Hargreaves/);
        assert.match(await banner.innerText(), /born 9 March 2014/);
        assert.equal(await page.locator('#given_name').inputValue(), 'Amelia', 'typed names are kept');
        assert.equal(await page.locator('#dob-year').inputValue(), '2014', 'the typed date is kept');
        const confirm = page.locator('#confirmed_new');
        assert.equal(await confirm.count(), 1, 'no "I have checked" checkbox');
        assert.equal(await confirm.isChecked(), false);
        await screenshot(page, 'journey-possible-duplicate');

        await page.getByLabel('I have checked: this is a different person').check();
        await submit(page, 'Add person');
        const id = personIdOf(page);
        assert.notEqual(id, amelia.id, 'a new record, not the existing one');
        assert.match(await page.locator('h1').innerText(), /Amelia Hargreaves/);
        await screenshot(page, 'journey-duplicate-confirmed');
        await page.context().close();
    });

    test('"Change details" saves a new ethnicity; a stale second edit is refused', async () => {
        const ctx = await env.newContext();
        const page = await ctx.newPage();
        await signIn(page, 'supervisor');
        await page.goto(`/people/${amelia.id}`);
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Change details' }).click()]);
        assert.equal(pathOf(page), `/people/${amelia.id}/edit`);
        assert.equal(await page.locator('h1').innerText(), 'Change details');
        assert.equal(await page.locator('#given_name').inputValue(), 'Amelia', 'the form is filled in');
        await page.locator('#ethnicity').fill('White British');
        await submit(page, 'Save changes');
        assert.equal(pathOf(page), `/people/${amelia.id}`);
        assert.equal(await summaryValue(page, 'Ethnicity (self-defined)'), 'White British');
        assert.equal(await errorSummary(page), null);
        await screenshot(page, 'journey-edit-saved');

        // Two tabs open the same edit form; the first save wins.
        const tab1 = await ctx.newPage();
        const tab2 = await ctx.newPage();
        await tab1.goto(`/people/${amelia.id}/edit`);
        await tab2.goto(`/people/${amelia.id}/edit`);
        await tab1.locator('#ethnicity').fill('Mixed: White and Asian');
        await submit(tab1, 'Save changes');
        assert.equal(pathOf(tab1), `/people/${amelia.id}`);
        assert.equal(await summaryValue(tab1, 'Ethnicity (self-defined)'), 'Mixed: White and Asian');

        await tab2.locator('#ethnicity').fill('Any other White background');
        await submit(tab2, 'Save changes');
        const summary = await errorSummary(tab2);
        assert.ok(summary, `no error summary after a stale edit (at ${tab2.url()})`);
        assert.match(summary, /changed by someone else/i);
        assert.equal(await tab2.locator('h1').innerText(), 'Change details', 'the edit form is shown again');
        assert.equal(await tab2.locator('#ethnicity').inputValue(), 'Any other White background', 'what was typed is kept');
        await screenshot(tab2, 'journey-edit-stale');
        // The record keeps the first tab's change.
        const check = await ctx.newPage();
        await check.goto(`/people/${amelia.id}`);
        assert.equal(await summaryValue(check, 'Ethnicity (self-defined)'), 'Mixed: White and Asian');
        // GOV.UK pattern: the summary's link must lead somewhere on the page.
        await assertSummaryLinksResolve(tab2);
        await ctx.close();
    });

    test('a supervisor sees who has accessed a record after it was viewed', async () => {
        // Someone else views the record first.
        const viewer = await env.newPage('investigator');
        await viewer.goto(`/people/${amelia.id}`);
        assert.match(await viewer.locator('h1').innerText(), /Amelia Hargreaves/);
        // An investigator has no access-log button.
        assert.equal(await viewer.getByRole('link', { name: 'Who has accessed this record' }).count(), 0);
        await viewer.context().close();

        const page = await env.newPage('supervisor');
        await page.goto(`/people/${amelia.id}`);
        await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Who has accessed this record' }).click()]);
        assert.equal(pathOf(page), `/people/${amelia.id}/access-log`);
        assert.equal(await page.locator('h1').innerText(), 'Who has accessed this record');
        const rows = page.locator('table.govuk-table tbody tr');
        assert.ok((await rows.count()) >= 2, 'expected several access entries');
        const text = await page.locator('table.govuk-table').innerText();
        assert.match(text, /investigator/, 'the investigator\'s view is listed');
        assert.match(text, /supervisor/, 'the supervisor\'s own view is listed');
        await screenshot(page, 'journey-access-log');
        await page.context().close();
    });

    test('signing out returns to sign-in, and My work then asks to sign in again', async () => {
        const page = await env.newPage('supervisor');
        await page.goto('/work');
        await signOut(page);
        assert.equal(pathOf(page), '/sign-in');
        assert.equal(await page.locator('.sg-header__name').count(), 0, 'no user shown once signed out');
        await screenshot(page, 'journey-signed-out');
        await page.goto('/work');
        assert.equal(pathOf(page), '/sign-in');
        assert.equal(new URL(page.url()).searchParams.get('next'), '/work');
        // Signing in again goes back where the user was going.
        await signIn(page, 'supervisor');
        assert.equal(pathOf(page), '/work');
        await page.context().close();
    });

    test('a page asked for while signed out comes back after signing in', async () => {
        const page = await env.newPage(null);
        await page.goto(`/people/${amelia.id}`);
        assert.equal(pathOf(page), '/sign-in');
        assert.equal(new URL(page.url()).searchParams.get('next'), `/people/${amelia.id}`);
        await signIn(page, 'investigator');
        assert.equal(pathOf(page), `/people/${amelia.id}`);
        await page.context().close();
    });

    test('a search asked for while signed out keeps its query through sign-in', async () => {
        const page = await env.newPage(null);
        await page.goto('/people?q=Hargreaves');
        assert.equal(pathOf(page), '/sign-in');
        assert.equal(new URL(page.url()).searchParams.get('next'), '/people?q=Hargreaves',
            'the next= address should carry the query string');
        await signIn(page, 'investigator');
        assert.equal(pathOf(page) + new URL(page.url()).search, '/people?q=Hargreaves');
        await page.context().close();
    });

    test('a partner agency user cannot open a person and has no People link', async () => {
        const page = await env.newPage('partner_agency');
        assert.equal(pathOf(page), '/portal', 'a partner lands on the portal, where their work is');
        const nav = page.getByRole('navigation', { name: 'Menu' });
        assert.equal(await nav.getByRole('link', { name: 'People' }).count(), 0, 'partner agency sees a People link');
        assert.equal(await page.getByRole('link', { name: 'Find a person' }).count(), 0);
        const resp = await page.goto(`/people/${amelia.id}`);
        assert.equal(resp.status(), 403);
        assert.equal(await page.locator('h1').innerText(), 'You cannot see this');
        assert.doesNotMatch(await page.locator('main').innerText(), /Hargreaves/, 'nothing of the record leaks');
        await screenshot(page, 'journey-partner-403');
        await page.context().close();
    });

    test('an admin sees Users but cannot open a person', async () => {
        const page = await env.newPage('admin');
        const nav = page.getByRole('navigation', { name: 'Menu' });
        assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 1);
        assert.equal(await nav.getByRole('link', { name: 'People' }).count(), 0);
        await Promise.all([page.waitForNavigation(), nav.getByRole('link', { name: 'Users' }).click()]);
        assert.equal(pathOf(page), '/admin/users');
        assert.equal(await page.locator('h1').innerText(), 'Users');
        assert.match(await page.locator('table.govuk-table').innerText(), /supervisor/);
        const resp = await page.goto('/people/1');
        assert.equal(resp.status(), 403);
        assert.equal(await page.locator('h1').innerText(), 'You cannot see this');
        await page.context().close();
    });

    test('the assurance board sees data quality, and the chart image loads', async () => {
        const page = await env.newPage('assurance_board');
        const resp = await page.goto('/data-quality');
        assert.equal(resp.status(), 200);
        assert.equal(await page.locator('h1').innerText(), 'Data quality');
        const img = page.locator('img.sg-chart');
        await img.evaluate((el) => (el.complete ? null : new Promise((r) => { el.onload = el.onerror = r; })));
        const width = await img.evaluate((el) => el.naturalWidth);
        assert.ok(width > 0, 'the chart image did not load');
        assert.ok((await img.getAttribute('alt')).length > 0, 'the chart has alternative text');
        const rows = await page.locator('table.govuk-table tbody tr').count();
        assert.ok(rows > 0, 'the figures table is empty');
        assert.match(await page.locator('.sg-figures').innerText(), /\b2\d\d\s+people\b/);
        await screenshot(page, 'journey-data-quality');
        // The board has no people access.
        assert.equal((await page.goto('/people/1')).status(), 403);
        await page.context().close();
    });

    describe('without JavaScript', () => {
        let ctx, page;
        before(async () => {
            ctx = await env.newContext({ javaScriptEnabled: false });
            page = await ctx.newPage();
        });
        after(async () => {
            await ctx?.close();
        });

        test('signing in works', async () => {
            await page.goto('/work');
            assert.equal(pathOf(page), '/sign-in');
            await signIn(page, 'call_handler');
            assert.equal(pathOf(page), '/work');
            // JavaScript is really off: app.js never marked the body.
            assert.doesNotMatch((await page.locator('body').getAttribute('class')) ?? '', /js-enabled/);
        });

        test('searching with the form works', async () => {
            await page.goto('/people?q=Hargreaves');
            await page.locator('#q').fill('Amelia Hargreaves');
            const [resp] = await Promise.all([
                page.waitForNavigation(),
                page.getByRole('button', { name: 'Search', exact: true }).click(),
            ]);
            await screenshot(page, 'journey-nojs-search');
            assert.equal(resp.status(), 200,
                `search from the form (${new URL(page.url()).search}) failed: ${(await page.locator('main').innerText()).replace(/\s+/g, ' ')}`);
            assert.ok(await page.locator('table.govuk-table tbody a', { hasText: 'Amelia Hargreaves' }).count() >= 1);
        });

        test('adding a person works', async () => {
            await page.goto('/people?q=Hargreaves');
            await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Add a new person' }).click()]);
            assert.equal(pathOf(page), '/people/new');
            await fillPersonForm(page, {
                given_name: 'Zainab', family_name: 'Okonkwo-Reyes', dob: [2012, 11, 5], dob_accuracy: 'approximate',
                gender: 'female', line1: '3 Orchard Way', town: 'Bradford', postcode: 'BD1 4AB',
            });
            await submit(page, 'Add person');
            personIdOf(page);
            assert.match(await page.locator('h1').innerText(), /Zainab Okonkwo-Reyes/);
            assert.equal(await summaryValue(page, 'Date of birth'), '5 November 2012 (approximate)');
            assert.match(await page.locator('main').innerText(), /3 Orchard Way, Bradford, BD1 4AB/);
            await screenshot(page, 'journey-nojs-created');
        });

        test('signing out works', async () => {
            // A fresh tab (same cookies), whatever state the last one is in.
            page = await ctx.newPage();
            await page.goto('/work');
            assert.equal(pathOf(page), '/work', 'still signed in');
            await signOut(page);
            assert.equal(pathOf(page), '/sign-in');
        });
    });
});
