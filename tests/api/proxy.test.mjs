// Behind a load balancer: with trusted_proxies set, the audit trail records
// the client that X-Forwarded-For names, not the balancer; a header from a
// peer that is not trusted, or one that names nothing usable, is ignored.
// (The rightmost-untrusted rule itself is unit-tested in tests/unit/test_proxy.c.)
import assert from 'node:assert/strict';
import { test, describe, before, after, startServer, sqlite } from './harness.mjs';

function auditAddress(srv, r) {
    const rid = r.headers.get('x-request-id');
    const rows = sqlite(srv.dbPath, `SELECT remote_addr FROM audit_log WHERE request_id = '${rid}'`);
    assert.equal(rows.length, 1, `one audit row for request ${rid}`);
    return rows[0].remote_addr;
}

describe('the client address behind a trusted load balancer', () => {
    let behind, direct;
    before(async () => {
        // The tests reach the server from 127.0.0.1: here that is the balancer.
        behind = await startServer({ env: { SAFEGUARD_TRUSTED_PROXIES: '127.0.0.1' } });
        direct = await startServer();
    });
    after(() => {
        behind?.stop();
        direct?.stop();
    });

    const body = { given_name: 'Rowan', family_name: 'Haverleigh', confirmed_new: true };

    test('writes and audited reads record the address the balancer saw', async () => {
        const c = await behind.api('POST', '/api/people', { body, headers: { 'X-Forwarded-For': '203.0.113.7' } });
        assert.equal(c.status, 201, c.text);
        assert.equal(auditAddress(behind, c), '203.0.113.7');
        // A client-written entry on the left is not believed.
        const g = await behind.api('GET', `/api/people/${c.json.id}`,
            { headers: { 'X-Forwarded-For': '198.51.100.1, 203.0.113.8' } });
        assert.equal(g.status, 200, g.text);
        assert.equal(auditAddress(behind, g), '203.0.113.8');
    });

    test('a header naming nothing usable leaves the balancer\'s own address', async () => {
        const c = await behind.api('POST', '/api/people', { body, headers: { 'X-Forwarded-For': 'unknown' } });
        assert.equal(c.status, 201, c.text);
        assert.equal(auditAddress(behind, c), '127.0.0.1');
        const d = await behind.api('POST', '/api/people', { body });
        assert.equal(auditAddress(behind, d), '127.0.0.1');
    });

    test('without trusted_proxies the header is ignored: anyone can write it', async () => {
        const c = await direct.api('POST', '/api/people', { body, headers: { 'X-Forwarded-For': '203.0.113.7' } });
        assert.equal(c.status, 201, c.text);
        assert.equal(auditAddress(direct, c), '127.0.0.1');
    });
});
