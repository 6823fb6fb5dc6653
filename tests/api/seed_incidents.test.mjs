// seed_incidents.test.mjs — `safeguard seed --incidents N`: synthetic
// incidents that feed the control-room measures, reproducible from --seed.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, describe, before, after, startServer, cli, tempDir, dbDump, newDatabase, CLOCK } from './harness.mjs';

const SEED_ARGS = ['--people', '200', '--users', '--incidents', '40', '--seed', '3', '--clock', CLOCK];
const TABLES = ['incident', 'incident_person', 'incident_log', 'incident_grade_history', 'thrive',
    'voice_of_child', 'task'];

describe('seed --incidents', () => {
    let srv;
    let dir;
    before(async () => {
        srv = await startServer({ roles: ['supervisor'] });
        cli(['seed', '--db', srv.dbPath, ...SEED_ARGS]);
        dir = tempDir();
    });
    after(async () => {
        await srv?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the control-room measures count the seeded incidents and the voice of the child', async () => {
        const r = await srv.api('GET', '/api/measures/control-room');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.incidents.total, 40);
        assert.ok(r.json.voice_of_child.child_incidents > 0, JSON.stringify(r.json.voice_of_child));
    });

    test('the same --seed and clock give identical incident tables', () => {
        const dump = (name) => {
            const db = newDatabase(dir, `${name}.db`);
            cli(['init', '--db', db]);
            cli(['seed', '--db', db, ...SEED_ARGS]);
            return dbDump(db, TABLES);
        };
        const a = dump('a');
        assert.match(a, /INSERT INTO (public\.)?"?incident"? /);
        assert.equal(dump('b'), a);
    });
});
