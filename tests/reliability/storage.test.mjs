// storage.test.mjs — a full disk and a read-only database: writes are refused
// with 503 and nothing saved, nothing already saved is harmed, audited reads
// are never served without their audit entry, and the database is sound and
// writable again once the condition is gone.
//
// A full disk is simulated with SAFEGUARD_MAX_DB_PAGES (PRAGMA max_page_count),
// which makes SQLite fail exactly as it does on ENOSPC (SQLITE_FULL).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, test, before, after } from 'node:test';
import { PERSON_TABLES } from '../api/harness.mjs';
import {
    freshDb, serveDb, sqlite, personBody, dumpPeople, assertIntegrity, assertAuditVerifies,
    idFromLocation, assertMatchesBody,
} from './helper.mjs';

/** Row counts of the person tables and the audit trail. */
function counts(dbPath) {
    const sql = [...PERSON_TABLES, 'audit_log']
        .map((t) => `SELECT '${t}' AS t, COUNT(*) AS n FROM ${t}`).join(' UNION ALL ');
    return Object.fromEntries(sqlite(dbPath, sql).map((r) => [r.t, r.n]));
}

/** Audit entries of one action on one person. */
function auditCount(dbPath, action, id) {
    return sqlite(dbPath, `SELECT COUNT(*) AS n FROM audit_log WHERE record_type = 'person'
        AND action = '${action}' AND record_id = ${id}`)[0].n;
}

/** Asserts a 503 error body with the given code and a message saying why. */
function assert503(res, code, messagePattern) {
    const ctx = `${res.status} ${res.text}`;
    assert.equal(res.status, 503, `expected 503 ${code}, got ${ctx}`);
    assert.deepEqual(Object.keys(res.json || {}), ['error'], ctx);
    assert.equal(res.json.error.status, 503, ctx);
    assert.equal(res.json.error.code, code, ctx);
    assert.equal(res.json.error.field, null, ctx);
    assert.match(res.json.error.message, messagePattern, ctx);
}

const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('storage: disk full (SAFEGUARD_MAX_DB_PAGES)', () => {
    let db;
    let srv;
    let cap;
    /** Acknowledged creates: id → body. */
    const acked = new Map();
    /** The first refused create: its response, and the counts before and after it. */
    let refused;
    let countsBefore;
    let countsAfter;
    /** Every refused create after the first: [response, counts before, counts after]. */
    const refusedAgain = [];

    before(async () => {
        db = freshDb();
        srv = await serveDb(db.dbPath, db.token);
        for (let i = 0; i < 3; i++) {
            const body = personBody(`Fullness-a${i}`, 'Zara', i);
            const r = await srv.api('POST', '/api/people', { body });
            assert.equal(r.status, 201, r.text);
            acked.set(idFromLocation(r.headers), body);
        }
        await srv.stop(); // checkpoints the WAL, so page_count is the whole database
        const pages = sqlite(db.dbPath, 'PRAGMA page_count')[0].page_count;
        cap = pages + 8;
        srv = await serveDb(db.dbPath, db.token, { env: { SAFEGUARD_MAX_DB_PAGES: String(cap) } });
        // Create until refused: sequential, so the counts before each request
        // are exactly what the refused request must leave behind.
        for (let i = 3; i < 2000; i++) {
            const body = personBody(`Fullness-a${i}`, 'Zara', i);
            const before = counts(db.dbPath);
            const r = await srv.api('POST', '/api/people', { body });
            if (r.status === 201) {
                acked.set(idFromLocation(r.headers), body);
                continue;
            }
            refused = r;
            countsBefore = before;
            countsAfter = counts(db.dbPath);
            break;
        }
        assert.ok(refused, `no create was refused with max_db_pages=${cap}`);
        for (let k = 0; k < 3; k++) {
            const before = counts(db.dbPath);
            const r = await srv.api('POST', '/api/people', { body: personBody(`Fullness-b${k}`, 'Zara', k) });
            refusedAgain.push([r, before, counts(db.dbPath)]);
        }
    });
    after(async () => {
        await srv?.stop();
        db?.cleanup();
    });

    test('the create past the cap answers 503 storage_full saying the disk is full', () => {
        assert.ok(acked.size > 3, 'some creates fit under the cap first');
        assert503(refused, 'storage_full', /full.*nothing was saved/i);
    });

    test('the refused create saved nothing: no person, child, search or audit row', () => {
        assert.deepEqual(countsAfter, countsBefore);
        const markers = sqlite(db.dbPath, "SELECT COUNT(*) AS n FROM person WHERE family_name LIKE 'Fullness-%'")[0].n;
        assert.equal(markers, acked.size, 'exactly the acknowledged creates exist');
    });

    test('further creates keep being refused with 503 storage_full and save nothing', () => {
        for (const [r, b, a] of refusedAgain) {
            assert.deepEqual(a, b, 'a refused create changed the database');
            assert503(r, 'storage_full', /full/i);
        }
    });

    test('every acknowledged record is intact in the database and through GET', async () => {
        const people = dumpPeople(db.dbPath);
        assert.equal(people.size, acked.size);
        for (const [id, body] of acked) assertMatchesBody(people.get(id), body, `person ${id} (sqlite)`);
        // Reads at the cap: each served read must carry its audit entry.
        const id = [...acked.keys()][acked.size - 1];
        const readsBefore = auditCount(db.dbPath, 'read', id);
        const g = await srv.api('GET', `/api/people/${id}`);
        if (g.status === 200) {
            assertMatchesBody(g.json, acked.get(id), `GET ${id}`);
            assert.equal(auditCount(db.dbPath, 'read', id), readsBefore + 1, 'a served read has its audit entry');
        } else {
            assert503(g, 'storage_full', /full/i);
            assert.equal(auditCount(db.dbPath, 'read', id), readsBefore);
        }
    });

    test('reads go on while the audit trail has room; once it has none they are refused, never served untraced', async (t) => {
        const ids = [...acked.keys()];
        const before = sqlite(db.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'read'")[0].n;
        let served = 0;
        let last;
        for (let i = 0; i < 3000; i++) {
            last = await srv.api('GET', `/api/people/${ids[i % ids.length]}`);
            if (last.status !== 200) break;
            served++;
        }
        const afterReads = sqlite(db.dbPath, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'read'")[0].n;
        t.diagnostic(`at the cap: ${served} reads served, then ${last.status} ${last.text}`);
        assert.equal(afterReads - before, served, 'every served read wrote its audit entry');
        if (last.status !== 200) assert503(last, 'storage_full', /full/i);
        // Unaudited routes still answer on a full database.
        assert.equal((await srv.api('GET', '/readyz')).status, 200);
        assert.equal((await srv.api('GET', '/healthz')).status, 200);
    });

    test('the database stays sound while full', () => {
        assertIntegrity(db.dbPath);
        assertAuditVerifies(db.dbPath);
    });

    test('restarted without the cap, writes succeed again and the database is sound', async () => {
        await srv.stop();
        assertIntegrity(db.dbPath);
        assertAuditVerifies(db.dbPath);
        srv = await serveDb(db.dbPath, db.token);
        const body = personBody('Fullness-after', 'Zara', 99);
        const r = await srv.api('POST', '/api/people', { body });
        assert.equal(r.status, 201, r.text);
        acked.set(idFromLocation(r.headers), body);
        const p = await srv.api('PATCH', `/api/people/${[...acked.keys()][0]}`,
            { body: { version: 1, ethnicity: 'after-restart' } });
        assert.equal(p.status, 200, p.text);
        const people = dumpPeople(db.dbPath);
        assert.equal(people.size, acked.size);
        for (const [id, b] of acked) assertMatchesBody(people.get(id), b, `person ${id}`);
        assertIntegrity(db.dbPath);
        assertAuditVerifies(db.dbPath);
    });
});

describe('storage: read-only database (SAFEGUARD_READ_ONLY=1)', () => {
    let db;
    let srv;
    let id;
    let hash;
    let atStart;

    before(async () => {
        db = freshDb();
        srv = await serveDb(db.dbPath, db.token);
        const r = await srv.api('POST', '/api/people', { body: personBody('Readonly-a1', 'Yusuf', 1) });
        assert.equal(r.status, 201, r.text);
        id = idFromLocation(r.headers);
        await srv.stop();
        hash = sha(db.dbPath);
        atStart = counts(db.dbPath);
        srv = await serveDb(db.dbPath, db.token, { env: { SAFEGUARD_READ_ONLY: '1' } });
    });
    after(async () => {
        await srv?.stop();
        db?.cleanup();
    });

    test('POST and PATCH answer 503 storage_read_only and change nothing', async () => {
        const c = await srv.api('POST', '/api/people', { body: personBody('Readonly-a2', 'Yusuf', 2) });
        assert503(c, 'storage_read_only', /read-only.*nothing was saved/i);
        const p = await srv.api('PATCH', `/api/people/${id}`, { body: { version: 1, ethnicity: 'nope' } });
        assert503(p, 'storage_read_only', /read-only/i);
        assert.deepEqual(counts(db.dbPath), atStart);
    });

    test('audited reads are refused with 503 storage_read_only, not served without a trace', async () => {
        for (const path of [`/api/people/${id}`, '/api/people?q=Yusuf', `/api/people/${id}/access-log`]) {
            const g = await srv.api('GET', path);
            assert503(g, 'storage_read_only', /read-only/i);
        }
        assert.deepEqual(counts(db.dbPath), atStart, 'no audit entry and no change');
    });

    test('/readyz, /healthz and unaudited aggregates still answer', async () => {
        const r = await srv.api('GET', '/readyz');
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.status, 'ready');
        assert.equal((await srv.api('GET', '/healthz')).status, 200);
        const dq = await srv.api('GET', '/api/data-quality');
        assert.equal(dq.status, 200, dq.text);
        assert.equal(dq.json.people, 1);
    });

    test('after the read-only run the file is byte-identical, sound, and writable again', async () => {
        await srv.stop();
        assert.equal(sha(db.dbPath), hash, 'the read-only server changed the database file');
        assert.deepEqual(counts(db.dbPath), atStart);
        assertIntegrity(db.dbPath);
        assertAuditVerifies(db.dbPath);
        srv = await serveDb(db.dbPath, db.token);
        const r = await srv.api('POST', '/api/people', { body: personBody('Readonly-a3', 'Yusuf', 3) });
        assert.equal(r.status, 201, r.text);
    });
});
