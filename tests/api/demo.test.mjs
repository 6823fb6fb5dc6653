// demo.test.mjs — `make run`'s demo database: the exact seed line of
// scripts/demo runs cleanly on a new database (every area seeded in one
// process, one connection: the statement cache once filled up here and the
// seed failed half-way) and leaves records in every area, with no seed
// error printed.

import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { test, describe, cli, runCli, sqlite, tempDir, newDatabase, foreignKeyViolations } from './harness.mjs';

describe('the demo database (scripts/demo)', () => {
    test('the demo seed line seeds every area without an error', () => {
        const script = readFileSync(new URL('../../scripts/demo', import.meta.url), 'utf8');
        const line = script.split('\n').find((l) => /"\$bin" seed /.test(l));
        assert.ok(line, 'scripts/demo has a seed line');
        const args = line.trim().replace(/^"\$bin"\s+/, '').split(/\s+/);
        const dir = tempDir();
        try {
            const db = newDatabase(dir, 'demo.db');
            cli(['init', '--db', db]);
            const seeded = runCli(args.map((a) => (a === '"$db"' ? db : a)));
            assert.equal(seeded.status, 0, seeded.stderr);
            assert.doesNotMatch(seeded.stderr, /seed: .*(failed|refused|cannot)/, seeded.stderr);
            for (const table of ['person', 'incident', 'missing_episode', 'referral', 'investigation', 'online_referral',
                'police_protection', 'offender', 'disclosure_application', 'custody_record', 'recommendation', 'case_audit']) {
                const n = sqlite(db, `SELECT COUNT(*) AS n FROM ${table}`)[0].n;
                assert.ok(n > 0, `the demo has no ${table} rows`);
            }
            assert.deepEqual(foreignKeyViolations(db), []);
        } finally {
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
