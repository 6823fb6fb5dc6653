// crash.test.mjs — SIGKILL the server again and again under concurrent writes
// and prove that nothing acknowledged is ever lost or half-saved.
//
// One database lives through every trial. Each trial restarts the server on
// it, checks everything written so far, then runs 4 writer loops (creates
// with a unique marker in family_name, and PATCHes of the writer's own earlier
// records) for a random 30–250 ms and kills the server with SIGKILL while
// requests are in flight. A write counts as acknowledged when its 2xx status
// line arrived.
//
// After every restart:
//   (a) every acknowledged create is present with exactly what was sent;
//       patched records carry the acknowledged version and ethnicity, or the
//       ones of the single PATCH that was in flight at the kill;
//   (b) every person row in the database (acknowledged or not) belongs to a
//       create that was sent, has all its alias/address/flag rows as sent and
//       the same search rows as a reference record of the same name shape;
//   (c) every person has exactly one 'create' audit entry and one 'update'
//       entry per version step, so every acknowledged write is audited;
//   (d) PRAGMA integrity_check is ok and `safeguard audit verify` exits 0.
// Records written in the previous trial are also read back through
// GET /api/people/{id}; after the last trial every acknowledged record is.
//
// CRASH_TRIALS (default 50) and CRASH_SEED (default random) tune the run.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
    freshDb, serveDb, assertIntegrity, assertAuditVerifies, personBody, dumpPeople, personAudit,
    idFromLocation, sleep, assertMatchesBody,
} from './helper.mjs';

const TRIALS = Number(process.env.CRASH_TRIALS || 50);
const SEED = Number(process.env.CRASH_SEED || Math.floor(Math.random() * 2 ** 31));
const WRITERS = 4;
const GIVEN = ['Amara', 'Bethany', 'Callum', 'Dmitri'];

/** mulberry32: a small seeded PRNG, so a failing run can be replayed (timing aside). */
function prng(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

test(`crash: ${TRIALS} SIGKILL/restart trials under concurrent writes lose nothing acknowledged`,
    { timeout: 600000 }, async (t) => {
        const rand = prng(SEED);
        t.diagnostic(`CRASH_SEED=${SEED}`);
        const db = freshDb();
        /** marker → {body, writer}: every create ever sent. */
        const sent = new Map();
        /** id → {marker, body, owner, version, ethnicity, pending, acked, touched}: known records. */
        const records = new Map();
        /** given name → sorted search rows of a clean reference record. */
        const refSearch = new Map();
        const problems = [];
        const responses = new Map(); // "status code" → count, for the summary
        let acked = 0;
        let ackedCreates = 0;
        let ackedPatches = 0;
        let recovered = 0; // unacknowledged creates found committed (allowed, must be whole)
        let landedPatches = 0; // in-flight PATCHes found committed (allowed)
        let lost = 0;
        let corrupt = 0;
        let refusedWrites = 0; // non-2xx answers to writes: none are expected
        const problem = (kind, msg) => {
            if (kind === 'lost') lost++;
            else if (kind === 'refused') refusedWrites++;
            else corrupt++;
            if (problems.length < 50) problems.push(`${kind}: ${msg}`);
        };

        // ---- one writer loop ------------------------------------------------
        async function writer(srv, trial, w, stop) {
            let n = 0;
            for (;;) {
                if (stop.done) return;
                const own = [...records.values()].filter((r) => r.owner === w && !r.pending && !r.inflight);
                try {
                    if (own.length && rand() < 0.4) {
                        const r = own[Math.floor(rand() * own.length)];
                        const ethnicity = `eth-t${trial}-w${w}-k${n++}`;
                        r.inflight = true;
                        r.pending = { version: r.version + 1, ethnicity };
                        const res = await srv.api('PATCH', `/api/people/${r.id}`,
                            { body: { version: r.version, ethnicity } });
                        r.inflight = false;
                        count(res);
                        if (res.status === 200) {
                            acked++;
                            ackedPatches++;
                            r.version = r.pending.version;
                            r.ethnicity = ethnicity;
                            r.touched = trial;
                            r.pending = null;
                            if (res.json && res.json.version !== r.version)
                                problem('corrupt', `PATCH ${r.id} answered version ${res.json.version}, expected ${r.version}`);
                        } else {
                            // Refused: nothing may have changed (checked after the restart).
                            r.pending = null;
                            problem('refused', `PATCH ${r.id} answered ${res.status} ${res.text}`);
                        }
                    } else {
                        const marker = `Crash-t${trial}-w${w}-n${n}`;
                        const body = personBody(marker, GIVEN[w], trial * 1000 + n);
                        n++;
                        sent.set(marker, { body, writer: w });
                        const res = await srv.api('POST', '/api/people', { body });
                        count(res);
                        if (res.status === 201) {
                            const id = idFromLocation(res.headers);
                            if (!id) {
                                problem('corrupt', `201 without a Location: ${res.text}`);
                                continue;
                            }
                            acked++;
                            ackedCreates++;
                            records.set(id, {
                                id, marker, body, owner: w, version: 1, ethnicity: null, pending: null,
                                acked: true, touched: trial,
                            });
                        } else {
                            problem('refused', `POST ${marker} answered ${res.status} ${res.text}`);
                        }
                    }
                } catch {
                    // The connection broke: the server was killed. Whatever was
                    // in flight is unacknowledged (a pending PATCH stays pending).
                    return;
                }
            }
        }
        function count(res) {
            const k = `${res.status} ${res.json?.error?.code ?? ''}`.trim();
            responses.set(k, (responses.get(k) || 0) + 1);
        }

        // ---- checks after a restart ----------------------------------------
        async function verify(srv, trial) {
            const people = dumpPeople(db.dbPath);
            const audit = personAudit(db.dbPath);
            const byMarker = new Map();
            // (b) + (c): every person row, acknowledged or not.
            for (const p of people.values()) {
                const s = sent.get(p.family_name);
                if (!s) {
                    problem('corrupt', `person ${p.id} has a family_name never sent: ${p.family_name}`);
                    continue;
                }
                if (byMarker.has(p.family_name))
                    problem('corrupt', `marker ${p.family_name} saved twice (ids ${byMarker.get(p.family_name)}, ${p.id})`);
                byMarker.set(p.family_name, p.id);
                try {
                    assertMatchesBody(p, s.body, `person ${p.id} (${p.family_name}) after trial ${trial}`);
                } catch (e) {
                    problem('corrupt', e.message.split('\n')[0] + ` ${JSON.stringify(p)}`);
                }
                const ref = refSearch.get(p.given_name);
                if (ref && JSON.stringify(p.search) !== JSON.stringify(ref))
                    problem('corrupt', `person ${p.id} search rows ${JSON.stringify(p.search)} != reference ${JSON.stringify(ref)}`);
                const a = audit.get(p.id) || { create: 0, update: 0 };
                if (a.create !== 1 || a.update !== p.version - 1)
                    problem('corrupt', `person ${p.id} v${p.version} has audit create=${a.create} update=${a.update}`);
                let r = records.get(p.id);
                if (!r) {
                    // An unacknowledged create that committed: allowed; track it from now on.
                    recovered++;
                    r = { id: p.id, marker: p.family_name, body: s.body, owner: s.writer, version: 1, ethnicity: null, pending: null, acked: false, touched: -1 };
                    records.set(p.id, r);
                } else if (r.marker !== p.family_name) {
                    problem('corrupt', `id ${p.id} was acknowledged as ${r.marker} but holds ${p.family_name}`);
                }
            }
            // (a): every acknowledged record, with its version and ethnicity.
            for (const r of records.values()) {
                const p = people.get(r.id);
                if (!p) {
                    problem('lost', `acknowledged create ${r.id} (${r.marker}) is missing after trial ${trial}`);
                    records.delete(r.id);
                    continue;
                }
                if (p.version === r.version && p.ethnicity === r.ethnicity) {
                    // as acknowledged
                } else if (r.pending && p.version === r.pending.version && p.ethnicity === r.pending.ethnicity) {
                    landedPatches++; // the PATCH in flight at the kill committed
                } else if (p.version < r.version) {
                    problem('lost', `person ${r.id}: acknowledged v${r.version} ethnicity ${r.ethnicity}, found v${p.version} ${p.ethnicity}`);
                } else {
                    problem('corrupt', `person ${r.id}: expected v${r.version} ${r.ethnicity}` +
                        `${r.pending ? ` or v${r.pending.version} ${r.pending.ethnicity}` : ''}, found v${p.version} ${p.ethnicity}`);
                }
                r.version = p.version;
                r.ethnicity = p.ethnicity;
                r.pending = null;
                r.inflight = false;
            }
            // (d)
            try {
                assertIntegrity(db.dbPath);
                assertAuditVerifies(db.dbPath);
            } catch (e) {
                problem('corrupt', `after trial ${trial}: ${e.message}`);
            }
            // Read back through the API what the previous trial wrote.
            const recent = [...records.values()].filter((r) => r.touched === trial - 1 || trial === 'final');
            await getAndCompare(srv, recent);
        }

        async function getAndCompare(srv, list) {
            const queue = [...list];
            await Promise.all(Array.from({ length: 4 }, async () => {
                for (let r; (r = queue.shift());) {
                    const g = await srv.api('GET', `/api/people/${r.id}`);
                    if (g.status !== 200) {
                        problem('lost', `GET /api/people/${r.id} answered ${g.status} ${g.text}`);
                        continue;
                    }
                    try {
                        assertMatchesBody(g.json, r.body, `GET ${r.id}`);
                        assert.equal(g.json.version, r.version, `GET ${r.id}: version`);
                        assert.equal(g.json.ethnicity, r.ethnicity, `GET ${r.id}: ethnicity`);
                    } catch (e) {
                        problem('corrupt', e.message.split('\n')[0]);
                    }
                }
            }));
        }

        const t0 = Date.now();
        try {
            // Trial 0: one clean reference record per writer's given name, whose
            // search rows every later record of the same shape must match.
            let srv = await serveDb(db.dbPath, db.token);
            for (let w = 0; w < WRITERS; w++) {
                const marker = `Crash-t0-w${w}-n0`;
                const body = personBody(marker, GIVEN[w], w);
                sent.set(marker, { body, writer: w });
                const res = await srv.api('POST', '/api/people', { body });
                assert.equal(res.status, 201, res.text);
                const id = idFromLocation(res.headers);
                records.set(id, { id, marker, body, owner: w, version: 1, ethnicity: null, pending: null, acked: true, touched: 0 });
                acked++;
                ackedCreates++;
            }
            for (const p of dumpPeople(db.dbPath).values()) refSearch.set(p.given_name, p.search);
            assert.equal(refSearch.size, WRITERS);
            await srv.kill();

            for (let trial = 1; trial <= TRIALS; trial++) {
                srv = await serveDb(db.dbPath, db.token);
                await verify(srv, trial);
                const stop = { done: false };
                const loops = Array.from({ length: WRITERS }, (_, w) => writer(srv, trial, w, stop));
                await sleep(30 + Math.floor(rand() * 221));
                await srv.kill();
                stop.done = true;
                await Promise.all(loops);
            }

            // Final: restart, check everything, read every record back, stop cleanly.
            srv = await serveDb(db.dbPath, db.token);
            await verify(srv, 'final');
            await srv.stop();
            try {
                assertIntegrity(db.dbPath);
                assertAuditVerifies(db.dbPath);
            } catch (e) {
                problem('corrupt', `after the clean stop: ${e.message}`);
            }
        } finally {
            const secs = ((Date.now() - t0) / 1000).toFixed(1);
            const summary = `crash: ${TRIALS} trials, ${acked} acknowledged writes ` +
                `(${ackedCreates} creates, ${ackedPatches} patches), ${lost} lost, ${corrupt} corrupt, ${refusedWrites} refused; ` +
                `${recovered} unacknowledged creates and ${landedPatches} in-flight patches found committed (allowed); ` +
                `${secs} s; responses ${JSON.stringify(Object.fromEntries(responses))}`;
            console.log(summary);
            t.diagnostic(summary);
            for (const p of problems) t.diagnostic(p);
            if (!problems.length) db.cleanup();
            else t.diagnostic(`database kept for inspection: ${db.dbPath}`);
        }
        assert.deepEqual(problems, [], `${lost} lost, ${corrupt} corrupt, ${refusedWrites} refused`);
        assert.ok(acked > TRIALS, `too few acknowledged writes (${acked}) to mean anything`);
    });
