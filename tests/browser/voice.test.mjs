// voice.test.mjs — a response officer records the voice of a child on a
// phone-sized screen (375 px wide): opens the incident, follows "Record
// voice", is told what is missing when the form is incomplete, saves the
// child's own words and sees them on the incident. The incident page and the
// voice form are checked with axe (no serious or critical violations) and
// screenshotted to test-output/browser/voice-*.png.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startBrowserEnv, screenshot, axeCheck, errorSummary, submit,
} from './browser.mjs';

describe('voice of the child on a small screen (response officer)', () => {
    let env;
    let page;
    let incident;
    let child;

    before(async () => {
        env = await startBrowserEnv({ people: 20, seed: 3 });
        const api = (method, path, body) => env.srv.api(method, path, { body });
        const p = await api('POST', '/api/people', {
            given_name: 'Amelia', family_name: 'Voiceley', dob: '2014-03-09', confirmed_new: true,
        });
        assert.equal(p.status, 201, p.text);
        child = p.json;
        const mum = await api('POST', '/api/people', {
            given_name: 'Joanne', family_name: 'Voiceley', dob: '1988-07-01', confirmed_new: true,
        });
        const r = await api('POST', '/api/incidents', {
            location: '14 Orchard Close', postcode: 'LS6 2QQ', nature: 'domestic_abuse',
            description: 'Neighbour reports shouting and a child crying',
            persons: [{ person_id: child.id, role: 'child_present' }, { person_id: mum.json.id, role: 'victim' }],
        });
        assert.equal(r.status, 201, r.text);
        incident = r.json;
        const g = await api('POST', `/api/incidents/${incident.id}/grade`, { grade: 'emergency' });
        assert.equal(g.status, 200, g.text);
        page = await env.newPage('response_officer', { viewport: { width: 375, height: 812 }, isMobile: true });
    });
    after(async () => {
        await page?.context().close();
        await env?.close();
    });

    test('the incident shows the child with their voice not yet recorded; axe finds nothing serious', async () => {
        const resp = await page.goto(`/incidents/${incident.id}`);
        assert.equal(resp.status(), 200);
        const card = page.locator('.govuk-summary-card', { hasText: 'Amelia Voiceley' });
        await assert.doesNotReject(card.waitFor());
        assert.match(await card.innerText(), /Not recorded/);
        await screenshot(page, 'voice-incident-before');
        await axeCheck(page, 'incident page (375px)');
        // The page fits the screen: nothing scrolls sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the incident page is ${overflow}px wider than the screen`);
    });

    test('the voice form names what is missing, then saves the child\'s own words', async () => {
        await page.locator('.govuk-summary-card', { hasText: 'Amelia Voiceley' })
            .getByRole('link', { name: /Record voice/ }).click();
        await page.waitForURL((u) => u.pathname === `/incidents/${incident.id}/voice/${child.id}`);
        assert.match(await page.locator('h1').innerText(), /Amelia Voiceley/);
        await axeCheck(page, 'voice form (375px)');
        await screenshot(page, 'voice-form');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `the voice form is ${overflow}px wider than the screen`);

        // Spoken to, but no words: refused, naming the field, choices kept.
        await page.locator('#seen').check();
        await page.locator('#seen_alone').check();
        await page.locator('#spoken_to').check();
        const bad = await submit(page, 'Save the child\'s voice');
        assert.equal(bad.status(), 422);
        assert.match(await errorSummary(page), /'words' is required/);
        assert.ok(await page.locator('#spoken_to').isChecked(), 'the answer is kept');
        await axeCheck(page, 'voice form with errors (375px)');
        await screenshot(page, 'voice-form-error');

        await page.locator('#words').fill('I was scared when Daddy was shouting. I want to stay with Mummy.');
        await page.locator('#views_wishes').fill('Wants to stay at home with her mum');
        await page.locator('#behaviour-fearful').check();
        await page.locator('#behaviour-upset').check();
        await page.locator('#demeanour').fill('Quiet, held her mum\'s hand throughout');
        const ok = await submit(page, 'Save the child\'s voice');
        assert.equal(ok.status(), 200);
        assert.equal(new URL(page.url()).pathname, `/incidents/${incident.id}`);

        const card = page.locator('.govuk-summary-card', { hasText: 'Amelia Voiceley' });
        const text = await card.innerText();
        assert.match(text, /Recorded/);
        assert.match(text, /I was scared when Daddy was shouting\. I want to stay with Mummy\./);
        assert.match(text, /Fearful/);
        assert.match(text, /Yes, alone/);
        await screenshot(page, 'voice-incident-after');
        await axeCheck(page, 'incident page with the voice recorded (375px)');

        // The API agrees with the page.
        const r = await env.srv.api('GET', `/api/incidents/${incident.id}`);
        const v = r.json.children[0].voice;
        assert.equal(v.words, 'I was scared when Daddy was shouting. I want to stay with Mummy.');
        assert.deepEqual(v.behaviour, ['fearful', 'upset']);
        assert.ok(v.recorded_by_name, 'the recording officer is named');
        assert.equal(r.json.voice_missing, false);
    });
});
