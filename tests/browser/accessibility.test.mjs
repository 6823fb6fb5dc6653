// accessibility.test.mjs — every page, checked with axe-core.
//
// Each page (and each page's error state) is opened as a user who may see
// it, screenshotted to test-output/browser/a11y-<name>.png, and checked
// against WCAG 2.0/2.1 A and AA plus axe's best practices; any serious or
// critical violation fails the test, listing the rule, the help text and
// the offending elements.

import assert from 'node:assert/strict';
import {
    test, describe, before, after,
    startBrowserEnv, screenshot, axeCheck, axeViolations, fillPersonForm, submit,
} from './browser.mjs';
import { makeUser, cli, sqlite, CLOCK } from '../api/harness.mjs';

describe('accessibility (axe: no serious or critical violations)', () => {
    let env;
    let person; // a record with aliases, addresses and flags
    let adminUserId;
    let child; // a child on the control-room incidents
    const inc = {}; // control-room incidents: plain, history, below
    const mis = {}; // missing episodes: missing, returned, referred (for the return home interview)
    const pages = {}; // role -> signed-in page (one context per role)

    /** A signed-in page for a role, reused across tests. */
    async function as(role) {
        if (!pages[role]) pages[role] = await env.newPage(role);
        return pages[role];
    }

    /** Opens path as role, expects status, screenshots and runs axe. */
    async function check(role, path, name, { status = 200, h1 } = {}) {
        const page = role ? await as(role) : await env.newPage(null);
        const resp = await page.goto(path);
        await screenshot(page, `a11y-${name}`);
        assert.equal(resp.status(), status,
            `${path} as ${role ?? 'nobody'}: expected ${status}, got ${resp.status()}: ` +
            `${(await page.locator('main').innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
        if (h1) assert.equal((await page.locator('h1').innerText()).trim(), h1);
        await axeCheck(page, `${name} (${path})`);
        if (!role) await page.context().close();
        return page;
    }

    before(async () => {
        env = await startBrowserEnv({ people: 200, seed: 7 });
        const r = await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Nathaniel', family_name: 'Oyelaran', dob: '2011-09-10', dob_accuracy: 'exact',
                gender: 'male', ethnicity: 'Black British',
                aliases: [{ given_name: 'Nate', family_name: 'Oyelaran' }],
                addresses: [
                    { line1: '1 High Street', line2: 'Flat 2', town: 'Leeds', postcode: 'LS1 1AA', valid_from: '2020-01-01', valid_to: '2024-12-31' },
                    { line1: '5 Mill Lane', town: 'Leeds', valid_from: '2025-01-01' },
                ],
                flags: [
                    { flag: 'child_protection_plan', valid_from: '2025-01-01', note: 'neglect' },
                    { flag: 'looked_after', valid_from: '2024-01-01', valid_to: '2026-05-31', local_authority: 'Leeds City Council' },
                ],
            },
        });
        assert.equal(r.status, 201, `could not create the test person: ${r.text}`);
        person = r.json;
        const users = await env.srv.api('GET', '/api/admin/users');
        assert.equal(users.status, 200, users.text);
        const list = Array.isArray(users.json) ? users.json : users.json.users ?? users.json.results;
        adminUserId = list.find((u) => u.username === 'investigator').id;

        // The control room: a child on a plain incident, a third incident in
        // 28 days at the same address (history banner and re-assess warning),
        // and one a call handler graded below the risk (warning and tasks).
        const ch = makeUser(env.srv.dbPath, 'a11y_call_handler', ['call_handler'], { team: 'North' });
        const asCh = (method, path, body) =>
            env.srv.api(method, path, { body, headers: { Authorization: `Bearer ${ch}` } });
        const c = await env.srv.api('POST', '/api/people', {
            body: { given_name: 'Ruby', family_name: 'Ashworth', dob: '2016-02-14', confirmed_new: true },
        });
        assert.equal(c.status, 201, c.text);
        child = c.json;
        const mum = await env.srv.api('POST', '/api/people', {
            body: { given_name: 'Kerry', family_name: 'Ashworth', dob: '1990-08-30', confirmed_new: true },
        });
        assert.equal(mum.status, 201, mum.text);
        const create = async (body) => {
            const r = await asCh('POST', '/api/incidents', {
                location: '9 Beech Grove', postcode: 'LS11 5AB', nature: 'domestic_abuse',
                description: 'Shouting heard, a child crying', caller_name: 'A Neighbour',
                persons: [{ person_id: child.id, role: 'child_present' }, { person_id: mum.json.id, role: 'victim' }],
                ...body,
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        inc.plain = await create({ received_at: '2026-05-20T09:00:00Z' });
        await create({ received_at: '2026-05-27T21:30:00Z', nature: 'child_concern' });
        inc.history = await create({});
        assert.ok(inc.history.history.same_child.length >= 2, 'the history banner has something to show');
        inc.below = await create({ location: '3 Aspen Close', postcode: 'LS12 1ZZ' });
        const g = await asCh('POST', `/api/incidents/${inc.below.id}/grade`, {
            grade: 'priority', grade_reason: 'Caller says the suspect has left',
            thrive: {
                threat: 'Threats to kill', harm: 'Physical harm', risk: 'High', investigation: 'Assault likely',
                vulnerability: 'Child of 10 present', engagement: 'Mother engaging', child_immediate_risk: true,
            },
        });
        assert.equal(g.status, 200, g.text);
        assert.equal(g.json.grade, 'emergency', 'the incident stays at the grade the risk supports');
        assert.ok(g.json.tasks.length >= 1, 'the below-risk incident has tasks');

        // Missing children: one episode still missing (a looked-after child
        // with a Philomena profile), one returned, and one whose return home
        // interview has been asked for: between them, every action's form.
        const report = async (person_id, extra = {}) => {
            const r = await env.srv.api('POST', '/api/missing', {
                body: {
                    person_id, reported_by: 'A Carer', last_seen_at: '2026-06-01T08:00:00Z',
                    last_seen_location: 'Leeds bus station', missing_from: '7 Holly Bank, Leeds',
                    circumstances: 'Did not come home from school', risk: 'high',
                    risk_rationale: 'Seen with older males', ...extra,
                },
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const act = async (id, action, body) => {
            const r = await env.srv.api('POST', `/api/missing/${id}/${action}`, { body });
            assert.equal(r.status, 200, r.text);
            return r.json;
        };
        const prof = await env.srv.api('PUT', `/api/people/${person.id}/philomena`, {
            body: { version: 0, description: 'Tall, short dark hair', carer: 'Mill Lane children\'s home' },
        });
        assert.equal(prof.status, 200, prof.text);
        mis.missing = await report(person.id, { looked_after: true, responsible_la: 'Leeds City Council' });
        await act(mis.missing.id, 'events', { kind: 'enquiry', text: 'Called the school' });
        await act(mis.missing.id, 'risk-info', { info: 'Known to go to the market', source: 'Carer' });
        const found = { location: 'Kirkgate Market', found_by: 'PC Okafor', state: 'safe_and_well' };
        mis.returned = await report(child.id);
        await act(mis.returned.id, 'return', found);
        mis.referred = await report(child.id, { risk: 'low' });
        await act(mis.referred.id, 'return', found);
        await act(mis.referred.id, 'rhi-referral', { local_authority: 'Leeds City Council' });
        await act(mis.referred.id, 'links', { reference: mis.returned.reference, reason: 'same_address' });
    });

    after(async () => {
        await env?.close();
    });

    test('the axe check itself catches violations (harness self-test)', async () => {
        const page = await env.newPage(null);
        await page.goto('/sign-in');
        await page.evaluate(() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<input type="text" name="unlabelled"><img src="/assets/images/favicon.ico">');
        });
        const ids = (await axeViolations(page)).map((v) => v.id).sort();
        assert.deepEqual(ids, ['image-alt', 'label'], 'axe did not report the planted violations');
        await assert.rejects(axeCheck(page, 'planted'), /image-alt \(critical\)[\s\S]*label \(critical\)/);
        await page.context().close();
    });

    test('sign-in', async () => {
        await check(null, '/sign-in', 'sign-in', { h1: 'Sign in to Safeguard' });
    });

    test('sign-in with an error', async () => {
        const page = await env.newPage(null);
        await page.goto('/sign-in');
        await page.locator('#password').fill('whatever-password');
        await submit(page, 'Sign in'); // no username
        await screenshot(page, 'a11y-sign-in-error');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        await axeCheck(page, 'sign-in with an error');
        await page.context().close();
    });

    test('My work', async () => {
        await check('supervisor', '/work', 'my-work', { h1: 'My work' });
    });

    test('people search, empty', async () => {
        await check('supervisor', '/people', 'people-search-empty', { h1: 'Find a person' });
    });

    test('people search with results', async () => {
        const page = await check('supervisor', '/people?q=Oyelaran', 'people-search-results', { h1: 'Find a person' });
        assert.ok(await page.locator('table.govuk-table tbody tr').count() >= 1);
    });

    test('person record with aliases, addresses and flags', async () => {
        const page = await check('supervisor', `/people/${person.id}`, 'person', {});
        assert.match(await page.locator('h1').innerText(), /Nathaniel Oyelaran/);
        assert.equal(await page.locator('.govuk-warning-text').count(), 1, 'the active flag warning is shown');
        assert.ok(await page.locator('table.govuk-table').count() >= 2, 'addresses and flags tables');
    });

    test('new person form', async () => {
        await check('supervisor', '/people/new', 'person-new', { h1: 'Add a new person' });
    });

    test('new person form with errors', async () => {
        const page = await as('supervisor');
        await page.goto('/people/new');
        await fillPersonForm(page, { given_name: 'Oliver', family_name: 'Pemberton', dob: [2015, 2, 31] });
        await submit(page, 'Add person');
        await screenshot(page, 'a11y-person-new-errors');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        await axeCheck(page, 'new person form with errors');
    });

    test('new person form with a possible duplicate', async () => {
        const page = await as('supervisor');
        await page.goto('/people/new');
        await fillPersonForm(page, { given_name: 'Nathaniel', family_name: 'Oyelaran', dob: [2011, 9, 10] });
        await submit(page, 'Add person');
        await screenshot(page, 'a11y-person-new-duplicate');
        assert.equal(await page.locator('.govuk-notification-banner').count(), 1, 'no duplicate banner');
        await axeCheck(page, 'new person form with a possible duplicate');
    });

    test('edit form', async () => {
        await check('supervisor', `/people/${person.id}/edit`, 'person-edit', { h1: 'Change details' });
    });

    test('edit form with a conflict error', async () => {
        const page = await as('supervisor');
        await page.goto(`/people/${person.id}/edit`);
        // Someone else changes the record meanwhile.
        const r = await env.srv.api('PATCH', `/api/people/${person.id}`, {
            body: { ethnicity: 'Black British: Nigerian' }, headers: { 'If-Match': `"${person.version}"` },
        });
        assert.equal(r.status, 200, r.text);
        await page.locator('#ethnicity').fill('Black British: Yoruba');
        await submit(page, 'Save changes');
        await screenshot(page, 'a11y-person-edit-conflict');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        await axeCheck(page, 'edit form with a conflict error');
    });

    test('access log', async () => {
        await check('supervisor', `/people/${person.id}/access-log`, 'access-log', { h1: 'Who has accessed this record' });
    });

    test('admin: users', async () => {
        await check('admin', '/admin/users', 'admin-users', { h1: 'Users' });
    });

    test('admin: users with an error', async () => {
        const page = await as('admin');
        await page.goto('/admin/users');
        await page.locator('#username').fill('new.user');
        await page.locator('#password').fill('short');
        await submit(page, 'Add user');
        await screenshot(page, 'a11y-admin-users-error');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        await axeCheck(page, 'admin users with an error');
    });

    test('admin: change a user', async () => {
        await check('admin', `/admin/users/${adminUserId}`, 'admin-user', { h1: 'investigator' });
    });

    test('data quality', async () => {
        await check('assurance_board', '/data-quality', 'data-quality', { h1: 'Data quality' });
    });

    test('control room: incident list', async () => {
        const page = await check('call_handler', '/incidents', 'incidents', { h1: 'Incidents' });
        assert.ok(await page.locator('table.govuk-table tbody tr').count() >= 4);
        assert.equal(await page.locator('.govuk-tag--red', { hasText: 'Below risk' }).count(), 1);
    });

    test('control room: new incident form', async () => {
        await check('call_handler', '/incidents/new', 'incident-new', { h1: 'Record a new incident' });
    });

    test('control room: new incident form with errors', async () => {
        const page = await as('call_handler');
        await page.goto('/incidents/new');
        await page.locator('#description').fill('No nature or location given');
        await page.locator('[id="persons[0].person_id"]').fill('not-a-number');
        const r = await submit(page, 'Record incident');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-incident-new-errors');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        assert.equal(await page.locator('.govuk-error-message').count(), 1, 'the error beside its field');
        await axeCheck(page, 'new incident form with errors');
    });

    test('control room: incident record with a child', async () => {
        const page = await check('call_handler', `/incidents/${inc.plain.id}`, 'incident');
        assert.match(await page.locator('h1').innerText(), /Domestic abuse at 9 Beech Grove/);
        // Every details section open, so their forms are checked too.
        for (const s of await page.locator('details.govuk-details').all()) await s.locator('summary').click();
        await screenshot(page, 'a11y-incident-forms-open');
        await axeCheck(page, 'incident record with its forms open');
    });

    test('control room: incident with the history banner', async () => {
        const page = await check('call_handler', `/incidents/${inc.history.id}`, 'incident-history');
        assert.equal(await page.locator('.govuk-notification-banner').count(), 1, 'the history banner is shown');
        assert.equal(await page.locator('#reassess-warning').count(), 1, 'the re-assess warning is shown');
    });

    test('control room: below-risk warning and tasks', async () => {
        const page = await check('call_handler', `/incidents/${inc.below.id}`, 'incident-below-risk');
        assert.equal(await page.locator('#grade-warning').count(), 1, 'the below-risk warning is shown');
        assert.ok(await page.locator('h2', { hasText: 'Tasks' }).count() === 1, 'the tasks are shown');
        // A supervisor sees the same page with the authorisation form.
        const sup = await check('supervisor', `/incidents/${inc.below.id}`, 'incident-below-risk-supervisor');
        assert.equal(await sup.locator('#auth-reason').count(), 1, 'the authorisation form is shown');
    });

    test('control room: voice form', async () => {
        const page = await check('response_officer', `/incidents/${inc.plain.id}/voice/${child.id}`, 'incident-voice');
        assert.match(await page.locator('h1').innerText(), /Ruby Ashworth/);
    });

    test('control room: voice form with an error', async () => {
        const page = await as('response_officer');
        await page.goto(`/incidents/${inc.plain.id}/voice/${child.id}`);
        await page.locator('#seen').check();
        await page.locator('#spoken_to').check();
        const r = await submit(page, 'Save the child\'s voice');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-incident-voice-error');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        await axeCheck(page, 'voice form with an error');
    });

    test('control room: an action refused (close before the voice is recorded)', async () => {
        const page = await as('call_handler');
        await page.goto(`/incidents/${inc.below.id}`);
        const r = await submit(page, 'Close incident');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-incident-action-error');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1, 'no error summary');
        await axeCheck(page, 'incident action refused');
    });

    test('missing: the board', async () => {
        const page = await check('missing_coordinator', '/missing', 'missing-board', { h1: 'Missing children' });
        assert.equal(await page.locator('#board tbody tr').count(), 3);
        await page.setViewportSize({ width: 375, height: 800 });
        await screenshot(page, 'a11y-missing-board-375');
        await axeCheck(page, 'missing board at 375 px');
        await page.setViewportSize({ width: 1280, height: 900 });
    });

    test('missing: report form, pre-filled from the person', async () => {
        await check('missing_coordinator', `/missing/new?person_id=${person.id}`, 'missing-new', { h1: 'Report a missing child' });
    });

    test('missing: report form, no person chosen', async () => {
        const page = await check('missing_coordinator', '/missing/new', 'missing-new-empty', { h1: 'Report a missing child' });
        assert.equal(await page.locator('#person_id').count(), 1, 'the person record number is asked for');
    });

    test('missing: episode pages with every form open', async () => {
        for (const [state, e] of Object.entries(mis)) {
            const page = await check('supervisor', `/missing/${e.id}`, `missing-episode-${state}`);
            for (const s of await page.locator('details.govuk-details').all()) await s.locator('summary').click();
            await screenshot(page, `a11y-missing-episode-${state}-forms-open`);
            await axeCheck(page, `missing episode (${state}) with its forms open`);
        }
    });

    test('missing: every action refused shows its form again with the error', async () => {
        // [episode, the form's summary text, its button]: each sent empty.
        const actions = [
            ['missing', 'Record a supervisory review', 'Save the review'],
            ['missing', 'Record the return', 'Save the return'],
            ['missing', 'Record exploitation indicators', 'Save the indicators'],
            ['missing', 'Record the referral to children\'s social care', 'Save the referral'],
            ['missing', 'Add to the timeline', 'Add entry'],
            ['missing', 'Add risk information', 'Save risk information'],
            ['missing', 'Link another episode', 'Link the episode'],
            ['returned', 'Record the prevention interview', 'Save the interview'],
            ['returned', 'Ask for a return home interview', 'Save the request'],
            ['returned', 'Close the episode', 'Close episode'],
            ['referred', 'Record the return home interview\'s outcome', 'Save the outcome'],
        ];
        const page = await as('supervisor');
        for (const [state, summary, button] of actions) {
            await page.goto(`/missing/${mis[state].id}`);
            await page.locator('summary', { hasText: summary }).click();
            const r = await submit(page, button);
            assert.equal(r.status(), 422, `${summary}: ${await page.locator('main').innerText()}`);
            assert.equal(await page.locator('h1').innerText(), summary);
            const link = page.locator('.govuk-error-summary a');
            assert.equal(await link.count(), 1, `${summary}: one error in the summary`);
            const href = await link.getAttribute('href');
            assert.equal(await page.locator(href).count(), 1, `${summary}: the summary links to ${href} on the page`);
            await screenshot(page, `a11y-missing-refused-${button.toLowerCase().replace(/\W+/g, '-')}`);
            await axeCheck(page, `${summary}, refused`);
        }
    });

    test('missing: Philomena profile', async () => {
        await check('missing_coordinator', `/people/${person.id}/philomena`, 'missing-philomena', { h1: 'Philomena profile' });
        // Read-only for those who may only read missing episodes.
        const hub = await check('safeguarding_hub', `/people/${person.id}/philomena`, 'missing-philomena-read-only', { h1: 'Philomena profile' });
        assert.equal(await hub.locator('form[action$="/philomena"]').count(), 0);
    });

    test('control room: measures (supervisor)', async () => {
        await check('supervisor', '/measures/control-room', 'control-room-measures', { h1: 'Control-room measures' });
    });

    test('case audits: list, sampling form, criteria and the new-criterion form with an error (auditor)', async () => {
        await check('auditor', '/case-audits?view=all', 'case-audits', { h1: 'Case audits' });
        await check('auditor', '/case-audits/samples/new', 'case-audit-sample', { h1: 'Sample cases for audit' });
        await check('auditor', '/case-audits/criteria', 'case-audit-criteria', { h1: 'The criteria' });
        const page = await check('auditor', '/case-audits/criteria/new', 'case-audit-criterion-new', { h1: 'Add a criterion' });
        await page.locator('#question').fill('Was the interim risk managed?');
        const r = await submit(page, 'Add the criterion');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-case-audit-criterion-error');
        assert.match(await page.locator('.govuk-error-summary').innerText(), /Enter a key/);
        assert.equal(await page.locator('#question').inputValue(), 'Was the interim risk managed?');
        await axeCheck(page, 'new criterion form with an error');
    });

    test('investigations: list, record with every form open, Allocate (and refused), ageing, teams, investigators', async () => {
        // The demo teams, investigators and investigations, at the server's clock.
        cli(['seed', '--db', env.srv.dbPath, '--people', '0', '--users', '--investigations', '8', '--clock', CLOCK]);
        const list = (await env.srv.api('GET', '/api/investigations')).json.investigations;
        const waiting = list.find((i) => i.status === 'new');
        const allocated = list.find((i) => i.status !== 'new');
        await check('supervisor', '/investigations', 'investigations', { h1: 'Investigations' });
        for (const [name, i] of [['new', waiting], ['allocated', allocated]]) {
            const page = await check('supervisor', `/investigations/${i.id}`, `investigation-${name}`);
            await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            await screenshot(page, `a11y-investigation-${name}-forms`);
            await axeCheck(page, `investigation ${name} with every form open`);
        }
        const page = await check('supervisor', `/investigations/${waiting.id}/allocation`, 'investigation-allocate', { h1: 'Allocate' });
        const ranking = (await env.srv.api('GET', `/api/investigations/${waiting.id}/allocation`)).json;
        const other = ranking.officers.find((o) => !o.recommended);
        await page.locator(`[id="officer_id-${other.user_id}"]`).check();
        const r = await submit(page, 'Allocate');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-investigation-allocate-error');
        await axeCheck(page, 'Allocate refused without a reason');
        await check('supervisor', '/investigations/ageing', 'investigations-ageing', { h1: 'Ageing of investigations' });
        await check('supervisor', '/teams', 'teams', { h1: 'Investigation teams' });
        await check('supervisor', '/officers', 'officers', { h1: 'Investigators' });
        const refused = await check('supervisor', `/investigations/${allocated.id}`, 'investigation-review-refused');
        await refused.locator('summary', { hasText: 'Record a supervisory review' }).click();
        const rr = await submit(refused, 'Save the review');
        assert.equal(rr.status(), 422);
        await screenshot(refused, 'a11y-investigation-review-error');
        await axeCheck(refused, 'review refused');
    });

    test('referrals: list, draft, refused, awaiting review, sent; the portal; agencies', async () => {
        // Three referrals for Ruby: a draft, one awaiting review (the tester
        // wrote it, so the supervisor sees the review form) and one sent to
        // the partner's agency.
        const agencies = (await env.srv.api('GET', '/api/agencies')).json.agencies;
        const csc = agencies.find((a) => a.name === 'Demo Children\'s Services').id;
        const school = agencies.find((a) => a.name === 'Riverside Academy').id;
        const raise = async (incident) => {
            const r = await env.srv.api('POST', `/api/incidents/${incident.id}/referrals`,
                { body: { person_id: child.id, agencies: [{ id: csc }, { id: school }] } });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const complete = async (ref) => {
            const r = await env.srv.api('PATCH', `/api/referrals/${ref.id}`, {
                body: {
                    version: ref.version, child_voice: 'Ruby said she was scared', risk_view: 'Medium',
                    consent: 'refused', consent_reason: 'Protects Ruby from significant harm', submit: true,
                },
            });
            assert.equal(r.status, 200, r.text);
            return r.json;
        };
        const draft = await raise(inc.plain);
        const waiting = await complete(await raise(inc.history));
        const reviewer = makeUser(env.srv.dbPath, 'a11y_reviewer', ['supervisor']);
        const toSend = await complete(await raise(inc.below));
        const sent = await env.srv.api('POST', `/api/referrals/${toSend.id}/review`, {
            body: { version: toSend.version, decision: 'approve' }, headers: { Authorization: `Bearer ${reviewer}` },
        });
        assert.equal(sent.status, 200, sent.text);

        await check('supervisor', '/referrals', 'referrals', { h1: 'Referrals' });
        let page = await check('supervisor', `/referrals/${draft.id}`, 'referral-draft');
        for (const s of await page.locator('details.govuk-details').all()) await s.locator('summary').click();
        await axeCheck(page, 'draft referral with its forms open');
        let r = await submit(page, 'Save and submit for review');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-referral-incomplete');
        assert.ok(await page.locator('.govuk-error-summary li').count() >= 3, 'every missing field listed');
        await axeCheck(page, 'referral refused as incomplete');

        page = await check('supervisor', `/referrals/${waiting.id}`, 'referral-awaiting-review');
        assert.equal(await page.locator('#review-form').count(), 1, 'the review form is shown');
        r = await submit(page, 'Save the review');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-referral-review-refused');
        assert.equal(await page.locator('.govuk-error-summary').count(), 1);
        await axeCheck(page, 'review refused');

        await check('supervisor', `/referrals/${toSend.id}`, 'referral-sent');
        page = await check('response_officer', `/referrals/${draft.id}`, 'referral-draft-officer');
        await page.locator('summary', { hasText: 'Cancel this referral' }).click();
        r = await submit(page, 'Cancel the referral');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-referral-cancel-refused');
        await axeCheck(page, 'cancel refused');

        // Raising a second referral for the same child and incident is refused.
        page = await as('response_officer');
        await page.goto(`/incidents/${inc.plain.id}`);
        r = await submit(page, 'Raise a referral for Ruby Ashworth');
        assert.equal(r.status(), 409);
        await screenshot(page, 'a11y-referral-raise-refused');
        await axeCheck(page, 'raise refused');

        await check('partner_agency', '/portal', 'portal', { h1: 'Referrals to Demo Children\'s Services' });
        page = await check('partner_agency', `/portal/referrals/${toSend.id}`, 'portal-referral');
        r = await submit(page, 'Record the decision');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-portal-decision-refused');
        await axeCheck(page, 'portal decision refused');
        await check('partner_agency', `/portal/referrals/${waiting.id}`, 'portal-not-sent', { status: 404, h1: 'Page not found' });

        page = await check('admin', '/agencies', 'agencies', { h1: 'Partner agencies' });
        for (const s of await page.locator('details.govuk-details').all()) await s.locator('summary').click();
        await axeCheck(page, 'agencies with every change form open');
        r = await submit(page, 'Add the agency');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-agencies-refused');
        await axeCheck(page, 'agency refused');
        await page.goto('/agencies');
        await page.locator('summary', { hasText: 'Change Demo Children\'s Services' }).click();
        await page.locator(`#a${csc}-name`).fill('Riverside Academy');
        r = await submit(page, 'Save Demo Children\'s Services');
        assert.equal(r.status(), 409);
        await screenshot(page, 'a11y-agency-change-refused');
        await axeCheck(page, 'agency change refused');
    });

    test('online referrals: queue with its forms open, referral states, every refused form', async () => {
        const oa = makeUser(env.srv.dbPath, 'a11y_ocse', ['ocse_analyst'], { team: 'OCSET' });
        const asOa = (method, path, body) =>
            env.srv.api(method, path, { body, headers: { Authorization: `Bearer ${oa}` } });
        const sus = await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Ivor', family_name: 'Ashcombe', dob: '1975-01-20', confirmed_new: true,
                addresses: [{ line1: '8 Example Close', town: 'Exampleton', postcode: 'EX9 9XX', valid_from: '2020-01-01' }],
                flags: [{ flag: 'registered_sex_offender', valid_from: '2017-01-01' }],
            },
        });
        assert.equal(sus.status, 201, sus.text);
        const kid = await env.srv.api('POST', '/api/people', {
            body: {
                given_name: 'Wren', family_name: 'Ashcombe', dob: '2017-04-04', confirmed_new: true,
                addresses: [{ line1: '8 Example Close', town: 'Exampleton', postcode: 'EX9 9XX', valid_from: '2020-01-01' }],
            },
        });
        assert.equal(kid.status, 201, kid.text);
        const batch = ['grooming', 'indecent_images', 'live_streaming'].map((c, i) => ({
            source: 'NCA CEOP', source_reference: `A11Y-${i}`, platform: 'ChatApp', content_category: c,
            received_at: '2026-05-30T09:00:00Z', summary: 'A synthetic report',
            identifiers: [{ kind: 'email', value: `a11y.${i}@example.org` }, { kind: 'postcode', value: 'EX9 9XX' }],
        }));
        const imp = await asOa('POST', '/api/online-referrals/import', { format: 'json', content: JSON.stringify(batch) });
        assert.equal(imp.status, 201, imp.text);
        const [open, resolved, escalated] = batch.map((b) => imp.json.referrals.find((r) => r.source_reference === b.source_reference));
        for (const r of [resolved, escalated]) {
            const x = await asOa('POST', `/api/online-referrals/${r.id}/resolve`, { person_id: sus.json.id });
            assert.equal(x.status, 200, x.text);
        }
        const e = await asOa('POST', `/api/online-referrals/${escalated.id}/escalate`, {});
        assert.equal(e.status, 200, e.text);

        const queue = await check('ocse_analyst', '/online-referrals', 'online-referrals', { h1: 'Online referrals' });
        await queue.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        await screenshot(queue, 'a11y-online-referrals-forms');
        await axeCheck(queue, 'online referrals queue with its forms open');
        await queue.setViewportSize({ width: 375, height: 800 });
        await screenshot(queue, 'a11y-online-referrals-375');
        await axeCheck(queue, 'online referrals queue at 375 px');
        await queue.setViewportSize({ width: 1280, height: 900 });
        for (const [name, r] of [['open', open], ['resolved', resolved], ['escalated', escalated]]) {
            const page = await check('ocse_analyst', `/online-referrals/${r.id}`, `online-referral-${name}`);
            await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            await screenshot(page, `a11y-online-referral-${name}-forms`);
            await axeCheck(page, `online referral (${name}) with every form open`);
        }
        // Every refused form, shown again with its errors.
        const refuse = async (path, summary, button, name, prepare) => {
            const page = await check('ocse_analyst', path, `${name}-before`);
            if (summary) await page.locator('summary', { hasText: summary }).first().click();
            if (prepare) await prepare(page);
            const r = await submit(page, button);
            assert.ok([409, 422].includes(r.status()), `${name}: ${r.status()}`);
            assert.ok(await page.locator('.govuk-error-summary').count(), `${name}: an error summary`);
            await screenshot(page, `a11y-${name}`);
            await axeCheck(page, `${name} refused`);
        };
        await refuse('/online-referrals', 'Import a batch', 'Import', 'online-referral-import-error',
            (p) => p.locator('#content').fill('source,platform\nx,y'));
        await refuse('/online-referrals', 'Record a referral', 'Record the referral', 'online-referral-new-error');
        await refuse(`/online-referrals/${open.id}`, null, 'Identify the suspect', 'online-referral-resolve-error',
            (p) => p.locator('#person_id').fill('x'));
        await refuse(`/online-referrals/${open.id}`, 'Assess the risk factors', 'Save the risk factors', 'online-referral-factors-error',
            (p) => p.evaluate(() => document.querySelectorAll('#factors-form input[type=radio]').forEach((i) => { i.checked = false; })));
        await refuse(`/online-referrals/${open.id}`, 'Record the action taken', 'Record the action', 'online-referral-action-error');
        await refuse(`/online-referrals/${open.id}`, 'Close the referral', 'Close the referral', 'online-referral-close-error');
        // Escalated meanwhile (another analyst): refused, with the reason.
        await refuse(`/online-referrals/${resolved.id}`, null, 'Open an investigation and safeguard the children',
            'online-referral-escalate-error', async () => {
                const x = await asOa('POST', `/api/online-referrals/${resolved.id}/escalate`, {});
                assert.equal(x.status, 200, x.text);
            });
    });

    test('disclosure scheme: list, new application, an application with its forms open, refused forms', async () => {
        const kid = await env.srv.api('POST', '/api/people', { body: { given_name: 'Linnet', family_name: 'Harrowgate', dob: '2018-06-01', confirmed_new: true } });
        const sub = await env.srv.api('POST', '/api/people', { body: { given_name: 'Osric', family_name: 'Harrowgate', dob: '1972-06-01', confirmed_new: true } });
        assert.equal(kid.status, 201, kid.text);
        assert.equal(sub.status, 201, sub.text);
        const a = await env.srv.api('POST', '/api/disclosure', {
            body: {
                applicant_name: 'A Parent', applicant_relationship: 'parent', children: [{ person_id: kid.json.id }],
                subject_person_id: sub.json.id, subject_relationship: 'neighbour', received_via: 'phone',
                received_at: '2026-05-30T09:00:00Z',
            },
        });
        assert.equal(a.status, 201, a.text);
        const risk = await env.srv.api('POST', `/api/disclosure/${a.json.id}/immediate-risk`, { body: { detail: 'Seen with the child' } });
        assert.equal(risk.status, 201, risk.text);
        await check('supervisor', '/disclosure', 'disclosure-list', { h1: 'Disclosure scheme applications' });
        await check('supervisor', '/disclosure/new', 'disclosure-new', { h1: 'Record a new application' });
        const page = await check('supervisor', `/disclosure/${a.json.id}`, 'disclosure-application');
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        await axeCheck(page, 'disclosure application with every form open');
        await page.setViewportSize({ width: 375, height: 800 });
        await axeCheck(page, 'disclosure application at 375 px');
        await page.setViewportSize({ width: 1280, height: 900 });
        for (const [button, name] of [['Record the initial contact', 'disclosure-contact-error'], ['Record the action', 'disclosure-action-error']]) {
            await page.goto(`/disclosure/${a.json.id}`);
            const r = await submit(page, button);
            assert.equal(r.status(), 422, name);
            await screenshot(page, `a11y-${name}`);
            await axeCheck(page, `${name} refused`);
        }
    });

    test('police protection: list, record form (empty, found, refused), case with every form open, every refused form, released', async () => {
        const mk = async (given, dob) => {
            const r = await env.srv.api('POST', '/api/people', { body: { given_name: given, family_name: 'Safehaven', dob, confirmed_new: true } });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const [k1, k2] = [await mk('Ivy', '2018-02-02'), await mk('Otto', '2016-06-06')];
        const insp = sqlite(env.srv.dbPath, "SELECT id FROM app_user WHERE username = 'inspector'")[0].id;
        const open = async (kid, extra = {}) => {
            const r = await env.srv.api('POST', '/api/police-protection', {
                body: { person_id: kid.id, power: 'removed', circumstances: 'Found alone', grounds: 'Significant harm likely', ...extra },
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const pp1 = await open(k1);
        const pp2 = await open(k2, { designated_officer_id: insp, place_kind: 'police_station', place_detail: 'Central', place_reason: 'No carer could be found overnight' });
        await check('inspector', '/police-protection', 'protection-list', { h1: 'Police protection' });
        await check('supervisor', '/police-protection/new', 'protection-new', { h1: 'Record police protection' });
        await check('supervisor', '/police-protection/new?q=Safehaven', 'protection-new-found');
        let page = await check('supervisor', `/police-protection/new?person_id=${k1.id}`, 'protection-new-person');
        let r = await submit(page, 'Record police protection');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-protection-new-refused');
        await axeCheck(page, 'record form refused');
        for (const [name, pp] of [['undesignated', pp1], ['designated', pp2]]) {
            page = await check('inspector', `/police-protection/${pp.id}`, `protection-case-${name}`);
            await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            await screenshot(page, `a11y-protection-case-${name}-forms`);
            await axeCheck(page, `police protection case (${name}) with every form open`);
        }
        await page.setViewportSize({ width: 375, height: 800 });
        await axeCheck(page, 'police protection case at 375 px');
        await page.setViewportSize({ width: 1280, height: 900 });
        // Every refused form, shown again with its errors (the designated officer's case).
        for (const [summary, button, name] of [
            ['Change the designated officer', 'Record the designated officer', 'designate'],
            ['Change the place of safety', 'Record the place of safety', 'place'],
            ['Record the parents informed', 'Record the parents', 'notify'],
            ['Record the inquiry and decision', 'Record the inquiry', 'inquiry'],
            ['Record an application for an emergency', 'Record the EPO application', 'epo'],
            ['Record the release', 'Record the release', 'release'],
            ['Add a note', 'Add the note', 'note'],
        ]) {
            page = await check('inspector', `/police-protection/${pp2.id}`, `protection-${name}-before`);
            await page.locator('summary', { hasText: summary }).first().click();
            if (name === 'designate') await page.locator('#dg-designated_officer_id').selectOption('');
            if (name === 'notify') await page.locator('#pa-informed-false').check();
            r = await submit(page, button);
            assert.ok([409, 422].includes(r.status()), `${name}: ${r.status()}`);
            assert.ok(await page.locator('.govuk-error-summary').count(), `${name}: an error summary`);
            await screenshot(page, `a11y-protection-${name}-refused`);
            await axeCheck(page, `police protection ${name} refused`);
        }
        const rel = await env.srv.api('POST', `/api/police-protection/${pp1.id}/release`, { body: { released_to: 'Mother' } });
        assert.equal(rel.status, 200, rel.text);
        await check('inspector', `/police-protection/${pp1.id}`, 'protection-case-released');
        await check('inspector', `/people/${k1.id}`, 'protection-person');
    });

    test('registered sex offenders: the list, a record with every form open, every refused form, briefings, a child\'s links', async () => {
        const om = cli(['token', 'create', '--db', env.srv.dbPath, '--username', 'offender_manager', '--name', 'a11y']).stdout.trim();
        const asOm = (method, path, body) =>
            env.srv.api(method, path, { body, headers: { Authorization: `Bearer ${om}` } });
        const omId = sqlite(env.srv.dbPath, "SELECT id FROM app_user WHERE username = 'offender_manager'")[0].id;
        const who = await env.srv.api('POST', '/api/people', { body: {
            given_name: 'Osric', family_name: 'Pellow', dob: '1969-05-05', confirmed_new: true,
            addresses: [{ line1: '6 Example Row', postcode: 'EX4 4ER' }],
        } });
        assert.equal(who.status, 201, who.text);
        const kid = await env.srv.api('POST', '/api/people', { body: {
            given_name: 'Ada', family_name: 'Pellow', dob: '2016-06-06', confirmed_new: true,
            addresses: [{ line1: '6 example row', postcode: 'ex44er' }],
        } });
        assert.equal(kid.status, 201, kid.text);
        const reg = await asOm('POST', '/api/offenders', {
            person_id: who.json.id, registered_on: '2026-04-01', offender_manager_id: omId, area: 'North',
            convictions: [{ offence: 'Synthetic offence', convicted_on: '2026-02-02', disposal: 'custody', custody_months: 36 }],
            photo_ref: 'CUST-A11Y',
        });
        assert.equal(reg.status, 201, reg.text);
        const id = reg.json.id;
        for (const [what, body] of [
            ['risk-assessments', { level: 'high', assessed_on: '2026-04-10', summary: 'ARMS' }],
            ['visits', { kind: 'announced', planned_on: '2026-05-30' }],
            ['management', { eligible: true, criteria: 'Low risk', decision: 'reactive', reason: 'Criteria met' }],
            ['intelligence', { kind: 'contact_with_children', summary: 'Seen at a school gate' }],
            ['concerns', { risk_summary: 'Risk to children', look_for: 'A blue van', if_seen: 'Call the offender manager' }],
            ['orders', { kind: 'shpo', made_on: '2026-03-01', conditions: ['No unsupervised contact with children'] }],
        ]) {
            const r = await asOm('POST', `/api/offenders/${id}/${what}`, body);
            assert.equal(r.status, 200, `${what}: ${r.text}`);
        }
        await check('offender_manager', '/offenders', 'offenders', { h1: 'Offenders' });
        const rec = await check('offender_manager', `/offenders/${id}`, 'offender');
        await rec.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
        await screenshot(rec, 'a11y-offender-forms');
        await axeCheck(rec, 'offender record with every form open');
        await rec.setViewportSize({ width: 375, height: 800 });
        await axeCheck(rec, 'offender record at 375 px');
        await rec.setViewportSize({ width: 1280, height: 900 });
        await check('offender_manager', '/offender-briefings', 'offender-briefings');
        await check('offender_manager', '/offender-briefings/North', 'offender-briefing');
        await check('response_officer', '/offender-briefings/North', 'offender-briefing-officer');
        await check('offender_manager', `/people/${kid.json.id}/offender-links`, 'offender-links');
        await check('offender_manager', '/work', 'my-work-offenders');
        // Every refused form, shown again with its errors.
        const refuse = async (summary, button, name, prepare) => {
            const page = await check('offender_manager', `/offenders/${id}`, `${name}-before`);
            await page.locator('summary', { hasText: summary }).first().click();
            if (prepare) await prepare(page);
            const r = await submit(page, button);
            assert.ok([409, 422].includes(r.status()), `${name}: ${r.status()}`);
            assert.ok(await page.locator('.govuk-error-summary').count(), `${name}: an error summary`);
            await screenshot(page, `a11y-${name}`);
            await axeCheck(page, `${name} refused`);
        };
        await refuse('Record a notification', 'Record the notification', 'offender-notification-error');
        await refuse('Record a risk assessment', 'Record the assessment', 'offender-risk-error');
        await refuse('Review the plan', 'Save the plan review', 'offender-plan-error');
        await refuse('Record a home visit', 'Record the visit', 'offender-visit-error');
        await refuse('Record the outcome', 'Record the outcome', 'offender-visit-outcome-error');
        await refuse('Decide active or reactive management', 'Record the decision', 'offender-management-error');
        await refuse('Link new intelligence or an incident', 'Link the intelligence', 'offender-intelligence-error');
        await refuse('Review it', 'Record the review', 'offender-intel-review-error');
        await refuse('Raise a concern for local officers', 'Raise the concern', 'offender-concern-error',
            (p) => p.locator('#concern-area').fill(''));
        await refuse('Confirm it still stands', 'Confirm the concern', 'offender-concern-review-error');
        await refuse('End it', 'End the concern', 'offender-concern-end-error');
        const links = await check('offender_manager', `/people/${kid.json.id}/offender-links`, 'offender-links-before');
        const r = await submit(links, 'Record the action');
        assert.equal(r.status(), 422);
        await axeCheck(links, 'offender link action refused');
    });

    test('404 page', async () => {
        await check('supervisor', '/no-such-page', 'not-found', { status: 404, h1: 'Page not found' });
    });

    test('403 page', async () => {
        await check('partner_agency', `/people/${person.id}`, 'forbidden', { status: 403, h1: 'You cannot see this' });
    });

    test('children in custody: list, book-in form (empty, found, refused), records with every form open, every refused form, measures', async () => {
        const mk = async (given) => {
            const r = await env.srv.api('POST', '/api/people', { body: { given_name: given, family_name: 'Cellward', dob: '2011-04-04', confirmed_new: true } });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const book = async (kid) => {
            const r = await env.srv.api('POST', '/api/custody', {
                body: { person_id: kid.id, suite: 'Eastgate custody suite', grounds: 'Suspected theft', apparent_age: 15, local_authority: 'Eastshire County Council' },
            });
            assert.equal(r.status, 201, r.text);
            return r.json;
        };
        const step = async (id, what, body) => {
            const r = await env.srv.api('POST', `/api/custody/${id}/${what}`, { body });
            assert.equal(r.status, 200, r.text);
        };
        const [k1, k2, k3] = [await mk('Nia'), await mk('Ravi'), await mk('Tom')];
        const waiting = await book(k1);
        await step(waiting.id, 'appropriate-adult', { source: 'family', name: 'A Parent', declared_role: 'parent' });
        const charged = await book(k2);
        await step(charged.id, 'welfare', { exploitation_concern: true, welfare_concern: false, concern_detail: 'Owes money to older boys' });
        await step(charged.id, 'outcome', { outcome: 'charged_refused_bail', transfer_accommodation: 'secure', transfer_la: 'Westbury City Council' });
        const released = await book(k3);
        await step(released.id, 'release', { released_to: 'Mother' });

        await check('custody_sergeant', '/custody', 'custody-list', { h1: 'Children in custody' });
        await check('custody_sergeant', '/custody?status=all', 'custody-list-all');
        await check('custody_sergeant', '/custody/new', 'custody-new', { h1: 'Book a child into custody' });
        await check('custody_sergeant', '/custody/new?q=Cellward', 'custody-new-found');
        let page = await check('custody_sergeant', `/custody/new?person_id=${k1.id}`, 'custody-new-person');
        let r = await submit(page, 'Book in');
        assert.equal(r.status(), 422);
        await screenshot(page, 'a11y-custody-new-refused');
        await axeCheck(page, 'custody book-in form refused');
        for (const [name, rec] of [['waiting', waiting], ['charged', charged], ['released', released]]) {
            page = await check('custody_sergeant', `/custody/${rec.id}`, `custody-record-${name}`);
            await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            await screenshot(page, `a11y-custody-record-${name}-forms`);
            await axeCheck(page, `custody record (${name}) with every form open`);
            await page.setViewportSize({ width: 375, height: 800 });
            await axeCheck(page, `custody record (${name}) at 375 px`);
            await page.setViewportSize({ width: 1280, height: 900 });
        }
        // Every refused form, shown again with its errors.
        for (const [rec, summary, button, name] of [
            [waiting, 'Record a detention review', 'Record the review', 'review'],
            [waiting, 'Record a welfare visit', 'Record the visit', 'visit'],
            [waiting, 'Record the responsible adult informed', 'Record who was told', 'responsible'],
            [waiting, 'Ask another appropriate adult', 'Request the appropriate adult', 'aa-request'],
            [waiting, "Record the child's welfare needs", 'Record welfare needs', 'welfare'],
            [waiting, 'Record the voice of the child', "Save the child's voice", 'voice'],
            [waiting, 'Record legal advice', 'Record legal advice', 'legal'],
            [waiting, "Record the child's verified age", 'Record the verified age', 'age'],
            [waiting, 'Record where the child is held', 'Record where the child is held', 'accommodation'],
            [waiting, 'Record an interview', 'Record the interview', 'interview'],
            [waiting, 'Record the outcome', 'Record the outcome', 'outcome'],
            [waiting, 'Record the release', 'Record the release', 'release'],
            [charged, "Record the local authority's answer", 'Record the answer', 'transfer-answer'],
            [charged, "The custody officer's s38(7) certificate", 'Certify', 'certificate'],
        ]) {
            page = await check('custody_sergeant', `/custody/${rec.id}`, `custody-${name}-before`);
            // Some forms are open already (what is owed next): open them all.
            await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
            assert.equal(await page.locator('summary', { hasText: summary }).count(), 1, summary);
            r = await submit(page, button);
            assert.ok([409, 422].includes(r.status()), `${name}: ${r.status()}`);
            assert.ok(await page.locator('.govuk-error-summary').count(), `${name}: an error summary`);
            await screenshot(page, `a11y-custody-${name}-refused`);
            await axeCheck(page, `custody ${name} refused`);
        }
        await check('inspector', '/custody/measures', 'custody-measures', { h1: 'Measures by local authority' });
        await check('assurance_board', '/custody/measures', 'custody-measures-board');
        await check('inspector', '/assurance/recommendations/8', 'custody-assurance-r8', { h1: 'Recommendation 8' });
    });
});
