// browser.mjs — shared harness for the browser tests.
//
// Starts a server the way the API tests do (../api/harness.mjs), adds the
// demo users (one per role, password DEMO_PASSWORD), and drives the system
// Chromium through playwright-core. No browser is ever downloaded: the
// Debian chromium binary is used, with HOME and the XDG directories pointed
// at a temporary directory so nothing is read from or written to the
// caller's profile.
//
// Screenshots go to test-output/browser/<name>.png (ignored by git).

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { startServer, cli, CLOCK } from '../api/harness.mjs';

export { test, describe, before, after, beforeEach, afterEach, cli, runCli, sqlite, CLOCK } from '../api/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

/** The password `seed --users` gives every demo user. */
export const DEMO_PASSWORD = 'safeguard-demo-2026';

/** Where screenshots go. */
export const OUTPUT_DIR = join(root, 'test-output', 'browser');

const AXE_PATH = join(root, 'node_modules', 'axe-core', 'axe.min.js');
let axeSrc;
function axeSource() {
    if (axeSrc === undefined) axeSrc = readFileSync(AXE_PATH, 'utf8');
    return axeSrc;
}

/** The system Chromium; never a downloaded one. */
export function chromiumPath() {
    for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'])
        if (existsSync(p)) return p;
    throw new Error('no system Chromium found (looked in /usr/lib/chromium, /usr/bin)');
}

/**
 * Starts a server with `people` synthetic people (seed `seed`) plus the demo
 * users, and launches a headless Chromium. Returns {srv, browser, close()}.
 */
export async function startBrowserEnv({ people = 200, seed = 7, clock = CLOCK } = {}) {
    const srv = await startServer({ people, seed, clock });
    // The demo users: one per role, named after the role. WAL lets this run
    // beside the live server.
    cli(['seed', '--db', srv.dbPath, '--people', '0', '--users']);

    const profile = mkdtempSync(join(tmpdir(), 'safeguard-browser-'));
    for (const d of ['home', 'config', 'cache']) mkdirSync(join(profile, d), { recursive: true });
    const env = {
        ...process.env,
        HOME: join(profile, 'home'),
        XDG_CONFIG_HOME: join(profile, 'config'),
        XDG_CACHE_HOME: join(profile, 'cache'),
    };
    let browser;
    try {
        browser = await chromium.launch({
            executablePath: chromiumPath(),
            headless: true,
            env,
            timeout: 30000,
            args: [
                '--no-sandbox',
                '--disable-gpu',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
                '--no-first-run',
                '--disable-dev-shm-usage',
            ],
        });
    } catch (e) {
        await srv.stop().catch(() => {});
        rmSync(profile, { recursive: true, force: true });
        throw e;
    }
    return {
        srv,
        browser,
        /** A new context (own cookies) with sensible defaults. */
        async newContext(opts = {}) {
            const ctx = await browser.newContext({ baseURL: srv.url, viewport: { width: 1280, height: 900 }, ...opts });
            ctx.setDefaultTimeout(10000);
            ctx.setDefaultNavigationTimeout(15000);
            return ctx;
        },
        /** A page in a fresh context, signed in as `username` (unless null). */
        async newPage(username, opts = {}) {
            const ctx = await this.newContext(opts);
            const page = await ctx.newPage();
            if (username) await signIn(page, username);
            return page;
        },
        async close() {
            try {
                await browser.close();
            } finally {
                rmSync(profile, { recursive: true, force: true });
                await srv.stop();
            }
        },
    };
}

/**
 * Signs in through the form. Starts at /sign-in unless the page is already
 * showing the sign-in form (e.g. after a redirect carrying ?next=).
 */
export async function signIn(page, username, password = DEMO_PASSWORD) {
    if (new URL(page.url()).pathname !== '/sign-in') await page.goto('/sign-in');
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(password);
    await Promise.all([
        page.waitForURL((u) => !u.pathname.startsWith('/sign-in')),
        page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
}

/** Signs out with the header button; ends on the sign-in page. */
export async function signOut(page) {
    await Promise.all([
        page.waitForURL((u) => u.pathname.startsWith('/sign-in')),
        page.getByRole('button', { name: 'Sign out' }).click(),
    ]);
}

/** Saves a full-page screenshot to test-output/browser/<name>.png. */
export async function screenshot(page, name) {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    const path = join(OUTPUT_DIR, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
}

/**
 * Runs axe-core on the page (WCAG 2 A/AA, 2.1 AA and best practice) and
 * returns the serious and critical violations.
 */
export async function axeViolations(page) {
    const has = await page.evaluate(() => typeof window.axe !== 'undefined').catch(() => false);
    // The server's Content-Security-Policy (script-src 'self') blocks
    // page.addScriptTag's inline script; evaluating the source through the
    // DevTools protocol is not subject to the page's CSP, so the pages are
    // checked with their real policy in force.
    if (!has) await page.evaluate(`${axeSource()}\n;void 0`);
    const result = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        return await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
            resultTypes: ['violations'],
        });
    });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Formats violations for an assertion message. */
export function formatViolations(violations) {
    return violations
        .map((v) => {
            const nodes = v.nodes
                .slice(0, 5)
                .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ') ?? ''}`)
                .join('\n');
            return `  ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
        })
        .join('\n');
}

/** Asserts axe finds no serious or critical violations on the page. */
export async function axeCheck(page, label = page.url()) {
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0,
        `axe: ${violations.length} serious/critical violation(s) on ${label}:\n${formatViolations(violations)}`);
    return violations;
}

/**
 * Collects console errors and failed same-origin requests on a page, for
 * checking that pages load their assets cleanly.
 */
export function watchPage(page) {
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    page.on('requestfailed', (r) => {
        // Chromium cancels a page's pending favicon fetch when the test moves on
        // (net::ERR_ABORTED): that is the browser's doing, not a failed asset.
        if (r.failure()?.errorText === 'net::ERR_ABORTED' && /\/favicon\.ico(\?|$)/.test(r.url())) return;
        problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
    });
    return problems;
}

/** The text of the GOV.UK error summary, or null when there is none. */
export async function errorSummary(page) {
    const s = page.locator('.govuk-error-summary');
    if ((await s.count()) === 0) return null;
    return (await s.innerText()).trim();
}

/** Fills the new-person form (at /people/new or a re-rendered one). */
export async function fillPersonForm(page, p) {
    if (p.given_name !== undefined) await page.locator('#given_name').fill(p.given_name);
    if (p.family_name !== undefined) await page.locator('#family_name').fill(p.family_name);
    if (p.dob) {
        const [y, m, d] = p.dob;
        await page.locator('#dob').fill(String(d));
        await page.locator('#dob-month').fill(String(m));
        await page.locator('#dob-year').fill(String(y));
    }
    if (p.dob_accuracy) await page.locator('#dob_accuracy').selectOption(p.dob_accuracy);
    if (p.gender) await page.locator('#gender').selectOption(p.gender);
    if (p.ethnicity !== undefined) await page.locator('#ethnicity').fill(p.ethnicity);
    if (p.line1 !== undefined) await page.locator('[id="addresses[0].line1"]').fill(p.line1);
    if (p.town !== undefined) await page.locator('[id="addresses[0].town"]').fill(p.town);
    if (p.postcode !== undefined) await page.locator('[id="addresses[0].postcode"]').fill(p.postcode);
}

/** Clicks a submit button and waits for the resulting navigation. */
export async function submit(page, name) {
    const from = page.url();
    const button = page.getByRole('button', { name, exact: true });
    let response;
    try {
        [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
    } catch (e) {
        // e.g. net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION: say which form.
        e.message = `submitting "${name}" on ${from} failed: ${e.message}`;
        throw e;
    }
    return response;
}
