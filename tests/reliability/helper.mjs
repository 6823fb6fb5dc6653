// helper.mjs — shared pieces for the reliability tests (crash, storage, backup).
//
// Unlike tests/api/harness.mjs, which gives each server its own fresh database
// and removes it on stop, these tests start, kill and restart servers on ONE
// database that outlives every server process. Everything else (the binary,
// the environment, sqlite(), makeUser(), runCli()) comes from the API harness.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import http from 'node:http';
import { BIN, CLOCK, childEnv, cli, runCli, makeUser, sqlite, tempDir } from '../api/harness.mjs';

export { BIN, CLOCK, cli, runCli, makeUser, sqlite, tempDir };

const SANITIZER = /AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:/;
const startupTimeoutMs = 20000;

/** Servers alive in this process; killed if the test file dies. */
const live = new Set();
process.on('exit', () => {
    for (const s of live) s.proc.kill('SIGKILL');
});

/**
 * A fresh database in a fresh directory, with a supervisor+admin user.
 * Returns {dir, dbPath, token, cleanup()}.
 */
export function freshDb(roles = ['supervisor', 'admin']) {
    const dir = tempDir();
    const dbPath = join(dir, 'live.db');
    cli(['init', '--db', dbPath]);
    const token = makeUser(dbPath, 'tester', roles);
    return { dir, dbPath, token, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts `safeguard serve` on an existing database. env: extra SAFEGUARD_*
 * settings. Returns a server handle:
 *   api(method, path, {body}) → {status, headers, json, text}  (throws on a
 *     broken connection, e.g. after a kill)
 *   kill()  SIGKILL, resolves when the process is gone
 *   stop()  SIGTERM, asserts a clean exit and no sanitizer report
 */
export async function serveDb(dbPath, token, { env = {}, clock = CLOCK } = {}) {
    const args = ['serve', '--db', dbPath, '--listen', '127.0.0.1:0'];
    if (clock) args.push('--clock', clock);
    const proc = spawn(BIN, args, { env: childEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));
    const port = await new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`server did not start in ${startupTimeoutMs} ms:\n${stderr}`)),
            startupTimeoutMs);
        proc.stderr.setEncoding('utf8').on('data', (d) => {
            stderr += d;
            const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(stderr);
            if (m) {
                clearTimeout(timer);
                res(Number(m[1]));
            }
        });
        exited.then(({ code, signal }) => {
            clearTimeout(timer);
            rej(new Error(`server exited (${code ?? signal}) before listening:\n${stderr}`));
        });
    }).catch((e) => {
        proc.kill('SIGKILL');
        throw e;
    });
    // One keep-alive agent per server: requests reuse connections, and a
    // kill breaks them all at once (every in-flight request then rejects).
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const srv = {
        url: `http://127.0.0.1:${port}`,
        port,
        proc,
        dbPath,
        get stderr() {
            return stderr;
        },
        api(method, path, { body, headers = {} } = {}) {
            const payload = body === undefined ? undefined : JSON.stringify(body);
            const h = { Authorization: `Bearer ${token}`, ...headers };
            if (payload !== undefined) {
                h['Content-Type'] = 'application/json';
                h['Content-Length'] = String(Buffer.byteLength(payload));
            }
            return new Promise((res, rej) => {
                const req = http.request(srv.url + path, { method, headers: h, agent }, (r) => {
                    let text = '';
                    r.setEncoding('utf8');
                    r.on('data', (d) => (text += d));
                    r.on('error', rej);
                    r.on('aborted', () => rej(new Error('response aborted')));
                    r.on('end', () => {
                        let json;
                        if ((r.headers['content-type'] || '').startsWith('application/json') && text)
                            try {
                                json = JSON.parse(text);
                            } catch {
                                /* a cut-off body: leave json undefined */
                            }
                        res({ status: r.statusCode, headers: r.headers, json, text });
                    });
                });
                req.on('error', rej);
                req.end(payload);
            });
        },
        async kill() {
            live.delete(srv);
            proc.kill('SIGKILL');
            await exited;
            agent.destroy();
            assert.doesNotMatch(stderr, SANITIZER, `sanitizer report before the kill:\n${stderr}`);
        },
        async stop() {
            live.delete(srv);
            if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
            const killer = setTimeout(() => proc.kill('SIGKILL'), 10000);
            const { code, signal } = await exited;
            clearTimeout(killer);
            agent.destroy();
            assert.doesNotMatch(stderr, SANITIZER, `sanitizer report from the server:\n${stderr}`);
            assert.equal(signal, null, `server died from signal ${signal}:\n${stderr}`);
            assert.equal(code, 0, `server exited with code ${code}:\n${stderr}`);
        },
    };
    live.add(srv);
    return srv;
}

/** PRAGMA integrity_check must say ok. */
export function assertIntegrity(dbPath) {
    const rows = sqlite(dbPath, 'PRAGMA integrity_check');
    assert.deepEqual(rows, [{ integrity_check: 'ok' }], `integrity_check of ${dbPath}: ${JSON.stringify(rows)}`);
}

/** `safeguard audit verify` must exit 0. */
export function assertAuditVerifies(dbPath) {
    const r = runCli(['audit', 'verify', '--db', dbPath]);
    assert.equal(r.status, 0, `audit verify ${dbPath} exited ${r.status}:\n${r.stdout}${r.stderr}`);
}

/** The body of a create for marker `m` (unique), given name `given`, sequence n. */
export function personBody(marker, given, n) {
    const month = String(1 + (n % 12)).padStart(2, '0');
    const day = String(1 + (n % 28)).padStart(2, '0');
    return {
        given_name: given,
        family_name: marker,
        dob: `${2008 + (n % 10)}-${month}-${day}`,
        addresses: [{ line1: `${n % 200 + 1} ${marker} Road`, postcode: 'SG1 1AA' }],
        flags: [{ flag: 'child_in_need', valid_from: '2025-01-01' }],
        aliases: [{ given_name: `${given}ie`, family_name: `Alias-${marker}` }],
        confirmed_new: true,
    };
}

/**
 * Every person in the database with its child rows, by id:
 * {id, given_name, family_name, dob, version, ethnicity, aliases:[...],
 *  addresses:[...], flags:[...], search:[ "key|token|n", ... sorted ]}
 */
export function dumpPeople(dbPath) {
    const rows = sqlite(dbPath, `
        SELECT p.id, p.given_name, p.family_name, p.dob, p.version, p.ethnicity,
          (SELECT json_group_array(json_object('given_name', given_name, 'family_name', family_name))
             FROM person_alias WHERE person_id = p.id) AS aliases,
          (SELECT json_group_array(json_object('line1', line1, 'postcode', postcode))
             FROM person_address WHERE person_id = p.id) AS addresses,
          (SELECT json_group_array(json_object('flag', flag, 'valid_from', valid_from))
             FROM person_flag WHERE person_id = p.id) AS flags,
          (SELECT json_group_array(search_key || '|' || token || '|' || name_tokens)
             FROM person_search WHERE person_id = p.id) AS search
        FROM person p ORDER BY p.id`);
    const out = new Map();
    for (const r of rows) {
        for (const k of ['aliases', 'addresses', 'flags', 'search']) r[k] = JSON.parse(r[k]);
        r.search.sort();
        out.set(r.id, r);
    }
    return out;
}

/** Audit entries on person records: Map id → {create: n, update: n}. */
export function personAudit(dbPath) {
    const rows = sqlite(dbPath, `SELECT record_id AS id, action, COUNT(*) AS n FROM audit_log
        WHERE record_type = 'person' AND action IN ('create', 'update') GROUP BY record_id, action`);
    const m = new Map();
    for (const r of rows) {
        const e = m.get(r.id) || { create: 0, update: 0 };
        e[r.action] = r.n;
        m.set(r.id, e);
    }
    return m;
}

/** The id in a Location header (/api/people/ID, or /api/KIND/ID), or null. */
export function idFromLocation(headers, kind = 'people') {
    const m = new RegExp(`/api/${kind}/(\\d+)$`).exec(headers.location || '');
    return m ? Number(m[1]) : null;
}

/**
 * Every incident in the database with its child rows, by id: the incident
 * columns the timescales rules read (plus grade_authorised_by_name, joined as
 * the engine sees it), and
 *   persons  [{person_id, role, is_child}] in link order
 *   logs     [entry, ...] in order
 *   grades   [{grade, event}] (incident_grade_history) in order
 *   thrives  number of THRIVE rows
 *   voices   [{person_id, seen, spoken_to, words}]
 *   tasks    [{rule, status, due_at, person_id}] (task rows, record_type 'incident')
 */
export function dumpIncidents(dbPath) {
    const rows = sqlite(dbPath, `
        SELECT i.id, i.reference, i.location, i.postcode, i.nature, i.status, i.grade, i.grade_requested,
          i.risk_grade, i.below_risk_grade, i.grade_authorised_by,
          (SELECT display_name FROM app_user WHERE id = i.grade_authorised_by) AS grade_authorised_by_name,
          i.received_at, i.attended_at, i.last_reviewed_at, i.graded_at, i.updated_at,
          i.reassessment_required, i.version,
          (SELECT json_group_array(json_object('person_id', person_id, 'role', role, 'is_child', is_child))
             FROM (SELECT * FROM incident_person WHERE incident_id = i.id ORDER BY id)) AS persons,
          (SELECT json_group_array(entry) FROM (SELECT entry FROM incident_log WHERE incident_id = i.id ORDER BY id)) AS logs,
          (SELECT json_group_array(json_object('grade', grade, 'event', event))
             FROM (SELECT * FROM incident_grade_history WHERE incident_id = i.id ORDER BY id)) AS grades,
          (SELECT COUNT(*) FROM thrive WHERE incident_id = i.id) AS thrives,
          COALESCE((SELECT domestic_abuse_child_present FROM thrive WHERE incident_id = i.id
                    ORDER BY id DESC LIMIT 1), 0) AS thrive_da_child,
          (SELECT assessed_at FROM thrive WHERE incident_id = i.id AND child_immediate_risk = 1
             AND id = (SELECT MAX(id) FROM thrive WHERE incident_id = i.id)
             AND NOT EXISTS (SELECT 1 FROM police_protection WHERE incident_id = i.id)
             AND NOT EXISTS (SELECT 1 FROM protection_decision WHERE incident_id = i.id))
             AS protection_decision_from,
          (SELECT COUNT(*) FROM referral WHERE source_type = 'incident' AND source_id = i.id
             AND status = 'sent') AS referrals_sent,
          (SELECT json_group_array(json_object('person_id', person_id, 'seen', seen, 'spoken_to', spoken_to,
                                               'words', words))
             FROM voice_of_child WHERE incident_id = i.id) AS voices,
          (SELECT json_group_array(json_object('rule', rule, 'status', status, 'due_at', due_at,
                                               'person_id', person_id))
             FROM task WHERE record_type = 'incident' AND record_id = i.id) AS tasks
        FROM incident i ORDER BY i.id`);
    const out = new Map();
    for (const r of rows) {
        for (const k of ['persons', 'logs', 'grades', 'voices', 'tasks']) r[k] = JSON.parse(r[k]);
        out.set(r.id, r);
    }
    return out;
}

/** Task rows of record_type 'incident' whose incident does not exist. */
export function orphanIncidentTasks(dbPath) {
    return sqlite(dbPath, `SELECT id, record_id, rule, status FROM task
        WHERE record_type = 'incident' AND record_id NOT IN (SELECT id FROM incident)`);
}

/** Audit entries on incident records: Map id → {action: n}. */
export function incidentAudit(dbPath) {
    const rows = sqlite(dbPath, `SELECT record_id AS id, action, COUNT(*) AS n FROM audit_log
        WHERE record_type = 'incident' AND action <> 'read' GROUP BY record_id, action`);
    const m = new Map();
    for (const r of rows) {
        const e = m.get(r.id) || {};
        e[r.action] = r.n;
        m.set(r.id, e);
    }
    return m;
}

/**
 * The incident rules of the timescales engine (src/rules/rules.c rule_table[]),
 * restated over a row of dumpIncidents(): each rule's predicate, the field its
 * clock starts from, and its default minutes. The derived fields the engine
 * adds (involves_child, voice_missing, last_reviewed_at defaulting to
 * received_at) are computed here from the same rows.
 */
const INCIDENT_RULES = [
    ['incident.attend_emergency', (r) => r.status === 'open' && r.grade === 'emergency' && !r.attended_at,
        'received_at', 15],
    ['incident.attend_priority', (r) => r.status === 'open' && r.grade === 'priority' && !r.attended_at,
        'received_at', 60],
    ['incident.rereview_priority',
        (r) => r.involves_child && r.status === 'open' && r.grade === 'priority' && !r.attended_at,
        'last_reviewed_at', 30],
    ['incident.rereview_scheduled',
        (r) => r.involves_child && r.status === 'open' && r.grade === 'scheduled' && !r.attended_at,
        'last_reviewed_at', 240],
    ['incident.authorise_grade',
        (r) => r.status !== 'closed' && !!r.below_risk_grade && !r.grade_authorised_by_name, 'graded_at', 15],
    ['incident.reassess', (r) => r.status !== 'closed' && !!r.reassessment_required, 'updated_at', 60],
    ['incident.voice_of_child',
        (r) => r.status !== 'closed' && r.involves_child && !!r.attended_at && r.voice_missing, 'attended_at', 24 * 60],
    // A mandatory referral (referrals.c): domestic abuse with a child present
    // (the nature and a child, or the latest THRIVE says so), none sent.
    ['incident.referral', (r) => r.referral_required && !r.referral_sent, 'received_at', 24 * 60],
    // Police protection (protection.c): the latest THRIVE records a child at
    // immediate risk, and no case is linked and no decision recorded.
    ['incident.protection_decision', (r) => !!r.protection_decision_from, 'protection_decision_from', 60],
];

/**
 * The tasks the engine must have open for an incident row of dumpIncidents():
 * Map rule → {due_at (ms since the epoch), person_id (the first child, or null)}.
 */
export function expectedIncidentTasks(inc) {
    const children = inc.persons.filter((p) => p.is_child === 1);
    const voiced = new Set(inc.voices.map((v) => v.person_id));
    const rec = {
        ...inc,
        involves_child: children.length > 0,
        referral_required: (inc.nature === 'domestic_abuse' && children.length > 0) || inc.thrive_da_child === 1,
        referral_sent: inc.referrals_sent > 0,
        voice_missing: children.some((c) => !voiced.has(c.person_id)),
        last_reviewed_at: inc.last_reviewed_at ?? inc.received_at,
    };
    const out = new Map();
    for (const [rule, applies, from, minutes] of INCIDENT_RULES) {
        const start = rec[from] ? Date.parse(rec[from]) : NaN;
        if (applies(rec) && !Number.isNaN(start))
            out.set(rule, { due_at: start + minutes * 60000, person_id: children.length ? children[0].person_id : null });
    }
    return out;
}

/** Locations of the closed incidents the case audits sample; the incident checks leave them out. */
export const AUDIT_INCIDENT_PREFIX = 'Crash-audit-';

/**
 * Inserts n closed child incidents (closed in the month before CLOCK's,
 * linking personId as a child) for case audits to sample.
 */
export function insertClosedIncidents(dbPath, n, personId) {
    const stmts = [];
    for (let k = 1; k <= n; k++) {
        const ref = `INC-2026-${String(700000 + k)}`;
        const day = String(1 + (k % 28)).padStart(2, '0');
        stmts.push(`INSERT INTO incident (reference, received_at, location, address_key, nature, status, grade,
            closed_at, created_at, updated_at) VALUES ('${ref}', '2026-05-${day}T08:00:00Z', '${AUDIT_INCIDENT_PREFIX}${k}',
            '', 'child_concern', 'closed', 'priority', '2026-05-${day}T18:00:00Z', '2026-05-${day}T08:00:00Z',
            '2026-05-${day}T18:00:00Z');
            INSERT INTO incident_person (incident_id, person_id, role, is_child, linked_at)
            VALUES (last_insert_rowid(), ${personId}, 'victim', 1, '2026-05-${day}T08:00:00Z');`);
    }
    sqlite(dbPath, `BEGIN; ${stmts.join('\n')} COMMIT;`);
}

/**
 * Every case audit: Map id → {id, version, status, grading_id, completed_at,
 * gradings: [{id, version, overall_grade, overall_reason, grades: [{key,
 * grade, reason}] in form order}] by version, graded: its 'grade' audit
 * entries}.
 */
export function dumpCaseAudits(dbPath) {
    const rows = sqlite(dbPath, `
        SELECT a.id, a.version, a.status, a.grading_id, a.completed_at,
          (SELECT json_group_array(json_object('id', g.id, 'version', g.version, 'overall_grade', g.overall_grade,
                    'overall_reason', g.overall_reason,
                    'grades', (SELECT json_group_array(json_object('key', x.key, 'grade', x.grade, 'reason', x.reason))
                               FROM (SELECT c.key, gr.grade, gr.reason FROM case_audit_grade gr
                                     JOIN case_audit_criterion c ON c.id = gr.criterion_id
                                     WHERE gr.grading_id = g.id ORDER BY c.position, c.id) x)))
             FROM (SELECT * FROM case_audit_grading WHERE audit_id = a.id ORDER BY version) g) AS gradings,
          (SELECT COUNT(*) FROM audit_log l WHERE l.record_type = 'case_audit' AND l.record_id = a.id
             AND l.action = 'grade') AS graded
        FROM case_audit a ORDER BY a.id`);
    const out = new Map();
    for (const r of rows) {
        r.gradings = JSON.parse(r.gradings).map((g) => ({ ...g, grades: typeof g.grades === 'string' ? JSON.parse(g.grades) : g.grades }));
        out.set(r.id, r);
    }
    return out;
}

/** A promise resolving after ms. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Compares a person row/response with the body it was created from. */
export function assertMatchesBody(p, body, what) {
    assert.equal(p.given_name, body.given_name, `${what}: given_name`);
    assert.equal(p.family_name, body.family_name, `${what}: family_name`);
    assert.equal(p.dob, body.dob, `${what}: dob`);
    assert.deepEqual(p.aliases.map((a) => ({ given_name: a.given_name, family_name: a.family_name })),
        body.aliases, `${what}: aliases`);
    assert.deepEqual(p.addresses.map((a) => ({ line1: a.line1, postcode: a.postcode })),
        body.addresses, `${what}: addresses`);
    assert.deepEqual(p.flags.map((f) => ({ flag: f.flag, valid_from: f.valid_from })),
        body.flags, `${what}: flags`);
}
