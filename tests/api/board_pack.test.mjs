// board_pack.test.mjs — the Force Assurance Board pack (PDF): served to the
// board as a download and written by `safeguard report board`, with a cover,
// a contents page and one page per recommendation, and no person's name.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, runCli, tempDir, CLOCK,
} from './harness.mjs';

const CHILD = { given_name: 'Quillon', family_name: 'Boardpackson' };

/** Pages of the PDF at path, counted by rendering each with pdftoppm. */
function pagesOf(path, dir) {
    const prefix = join(dir, 'page');
    execFileSync('pdftoppm', ['-png', '-r', '50', path, prefix]);
    const n = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).length;
    for (const f of readdirSync(dir)) if (f.startsWith('page')) rmSync(join(dir, f));
    return n;
}

describe('assurance: the board pack', () => {
    let srv, board, dir, recs;
    const as = { get Authorization() { return `Bearer ${board}`; } };

    before(async () => {
        srv = await startServer({ people: 0 }); // `safeguard seed` loads the inspection
        board = makeUser(srv.dbPath, 'packboard', ['assurance_board']);
        await createPerson(srv, { ...CHILD, dob: '2016-03-01', confirmed_new: true });
        dir = tempDir();
        const r = await srv.api('GET', '/api/assurance', { headers: { Authorization: `Bearer ${board}` } });
        assert.equal(r.status, 200, r.text);
        recs = r.json.recommendations;
        assert.ok(recs.length > 0, 'the seeded inspection has recommendations');
    });
    after(async () => {
        await srv?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the board downloads a PDF: cover, contents and one page per recommendation', async () => {
        const res = await srv.fetch('/api/assurance/board-pack.pdf?period=2026-05',
            { headers: { Authorization: as.Authorization } });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        assert.match(res.headers.get('content-disposition') || '', /^attachment; filename="board-pack-2026-05\.pdf"$/);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
        const path = join(dir, 'web.pdf');
        writeFileSync(path, bytes);
        assert.equal(pagesOf(path, dir), 2 + recs.length);
        const text = execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' });
        assert.match(text, /Force Assurance Board pack/);
        assert.match(text, /Period: 2026-05-01 to 2026-05-31/);
        assert.match(text, /Generated: 2026-06-01/, 'the injected clock dates the pack');
        assert.match(text, /Contents/);
        assert.doesNotMatch(text, new RegExp(CHILD.given_name, 'i'));
        assert.doesNotMatch(text, new RegExp(CHILD.family_name, 'i'));
    });

    test('the assurance page links to the pack', async () => {
        const page = await srv.fetch('/assurance', { headers: { Authorization: as.Authorization } });
        assert.equal(page.status, 200);
        assert.match(await page.text(), /href="\/assurance\/board-pack\.pdf"[^>]*>Download the board pack \(PDF\)</);
    });

    test('a bad period is refused', async () => {
        for (const q of ['2026-13', '2026-5', 'May', '2026-05-01']) {
            const r = await srv.api('GET', `/api/assurance/board-pack.pdf?period=${q}`,
                { headers: { Authorization: as.Authorization } });
            assertError(r, 422, 'invalid_period', 'period');
        }
    });

    test('`safeguard report board` writes the same pages; refuses an existing file and a bad period', () => {
        const out = join(dir, 'cli.pdf');
        let r = runCli(['report', 'board', '--period', '2026-05', '--out', out, '--db', srv.dbPath, '--clock', CLOCK]);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(readFileSync(out).subarray(0, 5).equals(Buffer.from('%PDF-')));
        assert.equal(pagesOf(out, dir), 2 + recs.length);
        const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
        assert.doesNotMatch(text, new RegExp(CHILD.family_name, 'i'));

        const before = readFileSync(out);
        r = runCli(['report', 'board', '--period', '2026-05', '--out', out, '--db', srv.dbPath]);
        assert.equal(r.status, 1);
        assert.match(r.stderr, /already exists/);
        assert.ok(readFileSync(out).equals(before), 'the existing file is untouched');

        const bad = join(dir, 'bad.pdf');
        r = runCli(['report', 'board', '--period', '2026-13', '--out', bad, '--db', srv.dbPath]);
        assert.equal(r.status, 2);
        assert.match(r.stderr, /--period/);
        assert.equal(existsSync(bad), false);
    });

    test('`safeguard report board` only reads: a database at another schema is refused, not migrated', () => {
        // A standby or a reporting copy cannot be migrated; the report must not try.
        const old = join(dir, 'old.db');
        execFileSync('sqlite3', [old, `CREATE TABLE schema_version (version INTEGER PRIMARY KEY,
            name TEXT NOT NULL, applied_at TEXT NOT NULL);
            INSERT INTO schema_version VALUES (1, 'people', '2026-01-01T00:00:00Z');`]);
        const out = join(dir, 'old.pdf');
        const r = runCli(['report', 'board', '--period', '2026-05', '--out', out, '--db', old]);
        assert.equal(r.status, 1, r.stderr);
        assert.match(r.stderr, /schema version 1 and this release reads \d+/);
        assert.equal(existsSync(out), false);
        const tables = execFileSync('sqlite3', [old, "SELECT name FROM sqlite_master WHERE type = 'table'"],
            { encoding: 'utf8' }).trim();
        assert.equal(tables, 'schema_version', 'nothing was created in it');
    });
});
