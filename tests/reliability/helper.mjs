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

/** The id in a Location header (/api/people/ID), or null. */
export function idFromLocation(headers) {
    const m = /\/api\/people\/(\d+)$/.exec(headers.location || '');
    return m ? Number(m[1]) : null;
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
