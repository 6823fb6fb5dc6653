// backup.test.mjs — an online backup taken while writers hammer the server
// holds every write acknowledged before it began, restores into a sound,
// audited database, and the commands refuse to overwrite anything or to
// restore a damaged copy.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, openSync, readFileSync, statSync, writeSync, closeSync, readdirSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, test, before, after } from 'node:test';
import { childEnv } from '../api/harness.mjs';
import {
    BIN, CLOCK, cli, runCli, freshDb, serveDb, sqlite, tempDir, personBody, dumpPeople, personAudit,
    assertIntegrity, assertAuditVerifies, idFromLocation, sleep, assertMatchesBody,
} from './helper.mjs';

const WRITERS = 4;
const GIVEN = ['Esther', 'Farid', 'Gideon', 'Hollis'];
const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Runs the binary without blocking the event loop (writers keep going). */
function runAsync(args) {
    return new Promise((res, rej) => {
        const p = spawn(BIN, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
        p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
        p.on('error', rej);
        p.on('exit', (status) => res({ status, stdout, stderr }));
    });
}

/** The head hashes a backup/restore printed ("... head HEX"). */
const heads = (out) => [...out.matchAll(/head ([0-9a-f]{64})/g)].map((m) => m[1]);

describe('backup: online under load, restore, refusals', () => {
    let db;
    let dir;
    let srv;
    /** id → {marker, body, owner, version, history: Map version → ethnicity}. */
    const records = new Map();
    /** Acknowledged writes in order: {id, version}. */
    const acks = [];
    let cut; // acks.length when the backup command started
    let ackedDuringBackup;
    let backup; // {status, stdout, stderr}
    let backupPath;
    let restored;
    let restoreRun;
    let seeded; // the seeded people in the live db, for comparison

    before(async () => {
        db = freshDb();
        dir = tempDir();
        // Some bulk first, so the copy takes a moment.
        cli(['seed', '--db', db.dbPath, '--people', '1500', '--seed', '7', '--clock', CLOCK]);
        seeded = dumpPeople(db.dbPath);
        srv = await serveDb(db.dbPath, db.token);
        const stop = { done: false };
        const writer = async (w) => {
            let n = 0;
            while (!stop.done) {
                const own = [...records.values()].filter((r) => r.owner === w);
                if (own.length && Math.random() < 0.4) {
                    const r = own[Math.floor(Math.random() * own.length)];
                    const ethnicity = `eth-w${w}-k${n++}`;
                    r.history.set(r.version + 1, ethnicity);
                    const res = await srv.api('PATCH', `/api/people/${r.id}`, { body: { version: r.version, ethnicity } });
                    assert.equal(res.status, 200, res.text);
                    r.version++;
                    acks.push({ id: r.id, version: r.version });
                } else {
                    const marker = `Backup-w${w}-n${n}`;
                    const body = personBody(marker, GIVEN[w], n++);
                    const res = await srv.api('POST', '/api/people', { body });
                    assert.equal(res.status, 201, res.text);
                    const id = idFromLocation(res.headers);
                    records.set(id, { id, marker, body, owner: w, version: 1, history: new Map([[1, null]]) });
                    acks.push({ id, version: 1 });
                }
            }
        };
        const loops = Array.from({ length: WRITERS }, (_, w) => writer(w));
        try {
            await sleep(400);
            backupPath = join(dir, 'backup.db');
            cut = acks.length;
            backup = await runAsync(['backup', '--db', db.dbPath, '--out', backupPath]);
            ackedDuringBackup = acks.length - cut;
            await sleep(150);
        } finally {
            stop.done = true;
            await Promise.all(loops);
        }
        await srv.stop();
        srv = null;
    });
    after(async () => {
        await srv?.stop();
        db?.cleanup();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('backup taken mid-load exits 0 and proves its copy', (t) => {
        t.diagnostic(`${cut} writes acknowledged before the backup, ${ackedDuringBackup} while it ran, ${acks.length} in all`);
        assert.equal(backup.status, 0, `backup failed:\n${backup.stdout}${backup.stderr}`);
        assert.match(backup.stdout, /is sound/);
        assert.equal(heads(backup.stdout).length, 1, backup.stdout);
        assert.ok(cut > 0, 'writes were acknowledged before the backup');
        assert.ok(ackedDuringBackup > 0, 'writers kept being acknowledged while the backup ran (online)');
    });

    test('the backup file alone (copied away without -wal/-shm) restores into a fresh path', () => {
        // As an operator would ship it: only the main file.
        const shipped = join(dir, 'shipped');
        copyFileSync(backupPath, `${shipped}.db`);
        restored = join(dir, 'restored.db');
        restoreRun = runCli(['restore', '--from', `${shipped}.db`, '--db', restored]);
        assert.equal(restoreRun.status, 0, `restore failed:\n${restoreRun.stdout}${restoreRun.stderr}`);
        const h = heads(restoreRun.stdout);
        assert.equal(h.length, 2, `restore proves the backup and the copy:\n${restoreRun.stdout}`);
        assert.deepEqual(h, [heads(backup.stdout)[0], heads(backup.stdout)[0]],
            'the restored audit head is the one the backup printed');
    });

    test('the restored database passes integrity_check and audit verify', () => {
        assertIntegrity(restored);
        assertAuditVerifies(restored);
    });

    test('the restored database holds every write acknowledged before the backup began', () => {
        const people = dumpPeople(restored);
        const audit = personAudit(restored);
        const need = new Map(); // id → highest version acknowledged before the cut
        for (const a of acks.slice(0, cut)) need.set(a.id, Math.max(need.get(a.id) || 0, a.version));
        let missing = 0;
        for (const [id, v] of need) {
            const r = records.get(id);
            const p = people.get(id);
            assert.ok(p, `acknowledged create ${id} (${r.marker}) is not in the backup`);
            if (!p) missing++;
            assert.equal(p.family_name, r.marker, `id ${id}`);
            assertMatchesBody(p, r.body, `restored ${id}`);
            assert.ok(p.version >= v, `restored ${id} is v${p.version}, v${v} was acknowledged before the backup`);
            assert.equal(p.ethnicity, r.history.get(p.version), `restored ${id} v${p.version} ethnicity`);
        }
        assert.equal(missing, 0);
        // Nothing half-present, everything audited: every person in the copy.
        for (const p of people.values()) {
            const a = audit.get(p.id) || { create: 0, update: 0 };
            if (p.family_name.startsWith('Backup-')) {
                const r = records.get(p.id);
                assert.ok(r && r.marker === p.family_name, `restored person ${p.id} ${p.family_name} was never acknowledged as such`);
                assertMatchesBody(p, r.body, `restored ${p.id}`);
                assert.ok(p.search.length > 0, `restored ${p.id} has no search rows`);
                assert.deepEqual(a, { create: 1, update: p.version - 1 }, `audit entries of restored ${p.id}`);
            } else {
                assert.deepEqual(p, seeded.get(p.id), `seeded person ${p.id} differs from the live database`);
            }
        }
        assert.equal([...people.values()].filter((p) => !p.family_name.startsWith('Backup-')).length, seeded.size);
    });

    test('a server starts on the restored database and serves its records', async () => {
        const s = await serveDb(restored, db.token);
        try {
            const r = await s.api('GET', '/readyz');
            assert.equal(r.status, 200, r.text);
            const [id] = acks.slice(0, cut).map((a) => a.id);
            const g = await s.api('GET', `/api/people/${id}`);
            assert.equal(g.status, 200, g.text);
            assertMatchesBody(g.json, records.get(id).body, `GET ${id} on the restored copy`);
        } finally {
            await s.stop();
        }
    });

    test('restore refuses an existing target (exit 1) and leaves it alone', () => {
        const before = sha(restored);
        const r = runCli(['restore', '--from', backupPath, '--db', restored]);
        assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /already exists/);
        assert.equal(sha(restored), before);
    });

    test('backup refuses an existing out file (exit 1) and leaves it alone', () => {
        const before = sha(backupPath);
        const r = runCli(['backup', '--db', db.dbPath, '--out', backupPath]);
        assert.equal(r.status, 1, `${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /already exists/);
        assert.equal(sha(backupPath), before);
    });

    test('a corrupted backup is refused by restore with exit 1 and a message; nothing is created', () => {
        const bad = join(dir, 'corrupt.db');
        copyFileSync(backupPath, bad);
        const pages = statSync(bad).size / 4096;
        assert.equal(sqlite(bad, 'PRAGMA freelist_count')[0].freelist_count, 0, 'every page is in use');
        // Garbage over the start (b-tree header and cell pointers) of a page in the middle.
        const fd = openSync(bad, 'r+');
        writeSync(fd, randomBytes(512), 0, 512, Math.floor(pages / 2) * 4096);
        closeSync(fd);
        const target = join(dir, 'from-corrupt.db');
        const r = runCli(['restore', '--from', bad, '--db', target]);
        assert.equal(r.status, 1, `restore of a corrupted backup exited ${r.status}:\n${r.stdout}${r.stderr}`);
        assert.match(r.stderr, /integrity|malformed|corrupt/i, r.stderr);
        assert.ok(!existsSync(target), 'restore left a file behind');
        assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('from-corrupt')), []);
    });
});
