// referrals_export.test.mjs — a sent referral for an agency not on the portal
// (DOMAIN.md R4, issue 9): the signed JSON export and the printable PDF.
//
//   the export's signature verifies with the public key (node's crypto with
//   an Ed25519 KeyObject built from the raw 32 bytes, and the PEM the
//   signing-key route gives); a tampered body does not; the key pair is made
//   once, on first use; every export and print is in the referral's history
//   and the audit trail; only a sent referral goes out, only to an agency it
//   was sent to; the PDF is A4, marked OFFICIAL-SENSITIVE on every page, with
//   the referral and its history, and flows over more pages when it is long.

import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
    test, describe, before, after, startServer, assertError, createPerson, makeUser, sqlite, tempDir,
} from './harness.mjs';

/** The canonical form that is signed: keys sorted, no whitespace, UTF-8. */
function canonical(v) {
    if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
    if (v && typeof v === 'object')
        return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
    return JSON.stringify(v);
}

/** An Ed25519 public KeyObject from the raw 32 bytes (base64). */
function keyFromRaw(b64) {
    const raw = Buffer.from(b64, 'base64');
    assert.equal(raw.length, 32);
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

const verifies = (doc, key) =>
    verify(null, Buffer.from(canonical(doc.referral), 'utf8'), key, Buffer.from(doc.signature, 'base64'));

/** Pages of the PDF bytes, by pdfinfo; and its text, by pdftotext. */
function pdf(bytes, dir, name) {
    const path = join(dir, `${name}.pdf`);
    writeFileSync(path, bytes);
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info);
    return { pages: Number(/Pages:\s+(\d+)/.exec(info)[1]), text, width: Number(size[1]), height: Number(size[2]) };
}

describe('referrals: the signed export and the printable PDF', () => {
    let srv, dir, reviewer, officer, child, agencies, sent, draft;
    const as = (token) => ({ Authorization: `Bearer ${token}` });

    /** A referral raised from a new domestic-abuse incident with a child present, completed. */
    async function referral(extra = {}) {
        const adult = await createPerson(srv, { given_name: 'Dana', family_name: 'Exportley', dob: '1988-02-02', confirmed_new: true });
        const inc = await srv.api('POST', '/api/incidents', {
            headers: as(officer),
            body: {
                location: '12 Signing Row', postcode: 'LS6 1AA', nature: 'domestic_abuse',
                description: 'Shouting heard; a child crying', received_at: '2026-06-01T09:00:00Z',
                persons: [{ person_id: child.id, role: 'child_present' }, { person_id: adult.id, role: 'suspect' }],
            },
        });
        assert.equal(inc.status, 201, inc.text);
        const r = await srv.api('POST', `/api/incidents/${inc.json.id}/referrals`, {
            headers: as(officer), body: { agencies: agencies.map((a) => ({ id: a.id })) },
        });
        assert.equal(r.status, 201, r.text);
        const p = await srv.api('PATCH', `/api/referrals/${r.json.id}`, {
            headers: as(officer),
            body: {
                version: r.json.version, summary: 'Shouting heard; Zoë was crying on the stairs.',
                child_voice: 'Zoë said: "I hide under the bed when they shout."',
                risk_view: 'Medium: repeated abuse; Zoë is frightened', consent: 'not_sought',
                consent_reason: 'Sharing protects the child from significant harm', urgency: 'within_24h',
                ...extra,
            },
        });
        assert.equal(p.status, 200, p.text);
        return p.json;
    }

    async function send(ref) {
        const s = await srv.api('POST', `/api/referrals/${ref.id}/submit`, { headers: as(officer), body: { version: ref.version } });
        assert.equal(s.status, 200, s.text);
        assert.equal(s.json.status, 'submitted');
        const a = await srv.api('POST', `/api/referrals/${ref.id}/review`, {
            headers: as(reviewer), body: { version: s.json.version, decision: 'approve' },
        });
        assert.equal(a.status, 200, a.text);
        assert.equal(a.json.status, 'sent');
        return a.json;
    }

    before(async () => {
        srv = await startServer(); // the tester: supervisor and admin (agencies, people)
        dir = tempDir();
        officer = makeUser(srv.dbPath, 'exp-officer', ['response_officer']);
        reviewer = makeUser(srv.dbPath, 'exp-reviewer', ['supervisor']);
        agencies = [];
        for (const body of [
            { name: 'Exportshire Children\'s Services', kind: 'childrens_social_care', local_authority: 'Exportshire Council' },
            { name: 'St Ædelflæd\'s Academy', kind: 'school', on_portal: false, contact_email: 'dsl@example.org' },
        ]) {
            const r = await srv.api('POST', '/api/agencies', { body });
            assert.equal(r.status, 201, r.text);
            agencies.push(r.json.agencies.find((a) => a.name === body.name));
        }
        const c = await srv.api('POST', '/api/people', {
            headers: as(officer), body: { given_name: 'Zoë', family_name: 'Ó Signéd', dob: '2017-04-09', confirmed_new: true },
        });
        assert.equal(c.status, 201, c.text);
        child = c.json;
        draft = await referral();
        // A second child's referral, sent.
        const c2 = await srv.api('POST', '/api/people', {
            headers: as(officer), body: { given_name: 'Zoë', family_name: 'Ó Signéd', dob: '2015-01-20', confirmed_new: true },
        });
        assert.equal(c2.status, 201, c2.text);
        child = c2.json;
        sent = await send(await referral());
    });
    after(async () => {
        await srv?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('no key pair exists until it is first needed', () => {
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) AS n FROM signing_key')[0].n, 0);
    });

    test('the export is signed: the signature verifies with the raw public key and with the PEM', async () => {
        const school = agencies[1];
        const r = await srv.api('GET', `/api/referrals/${sent.id}/export.json?agency=${school.id}`, { headers: as(officer) });
        assert.equal(r.status, 200, r.text);
        assert.deepEqual(Object.keys(r.json).sort(), ['algorithm', 'public_key', 'referral', 'signature']);
        assert.equal(r.json.algorithm, 'Ed25519');
        assert.match(r.headers.get('content-disposition'), new RegExp(`^attachment; filename="${sent.reference}\\.json"$`));
        const doc = r.json;
        assert.equal(Buffer.from(doc.signature, 'base64').length, 64);
        assert.ok(verifies(doc, keyFromRaw(doc.public_key)), 'the signature verifies with the raw key');
        // The body is written in its canonical form, so the signed bytes are in the response as they are.
        assert.ok(r.text.includes(`"referral":${canonical(doc.referral)},`), 'the referral is sent in its canonical form');

        // What the agency needs, and nothing of the police's workflow.
        const b = doc.referral;
        assert.equal(b.schema, 'safeguard.referral-export/1');
        assert.equal(b.reference, sent.reference);
        assert.deepEqual(b.child, { given_name: 'Zoë', family_name: 'Ó Signéd', dob: '2015-01-20' });
        assert.deepEqual(b.household, [{ name: 'Dana Exportley', dob: '1988-02-02', relationship: 'suspect' }]);
        assert.deepEqual(b.categories, ['domestic_abuse']);
        assert.match(b.child_voice, /I hide under the bed/);
        assert.equal(b.consent, 'not_sought');
        assert.equal(b.consent_reason, 'Sharing protects the child from significant harm');
        assert.equal(b.urgency, 'within_24h');
        assert.equal(b.concern_at, '2026-06-01T09:00:00Z');
        assert.equal(b.sent_at, sent.sent_at);
        assert.match(b.source_reference, /^INC-/);
        assert.equal(b.mandatory_reason, 'domestic abuse with a child present');
        assert.deepEqual(b.recipient, { agency_id: school.id, name: school.name, kind: 'school', local_authority: null });
        assert.equal(b.exported_at, '2026-06-01T12:00:00Z');
        for (const k of ['officer_id', 'version', 'return_reason', 'recipients', 'history', 'tasks', 'person_id'])
            assert.ok(!(k in b), `${k} is not exported`);

        // The signing-key route gives the same key, raw and as PEM.
        const k = await srv.api('GET', '/api/referrals/signing-key', { headers: as(officer) });
        assert.equal(k.status, 200, k.text);
        assert.equal(k.json.algorithm, 'Ed25519');
        assert.equal(k.json.public_key, doc.public_key);
        assert.match(k.json.public_key_pem, /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=]{60}\n-----END PUBLIC KEY-----\n$/);
        assert.ok(verifies(doc, createPublicKey(k.json.public_key_pem)), 'the signature verifies with the PEM');
        assert.equal(k.json.created_at, '2026-06-01T12:00:00Z');
    });

    test('a tampered export does not verify', async () => {
        const r = await srv.api('GET', `/api/referrals/${sent.id}/export.json?agency=${agencies[0].id}`, { headers: as(officer) });
        assert.equal(r.status, 200, r.text);
        const key = keyFromRaw(r.json.public_key);
        assert.ok(verifies(r.json, key));
        const tamper = (f) => {
            const doc = structuredClone(r.json);
            f(doc.referral);
            return doc;
        };
        assert.equal(verifies(tamper((b) => { b.summary += ' '; }), key), false, 'a changed summary');
        assert.equal(verifies(tamper((b) => { b.child.dob = '2015-01-21'; }), key), false, 'a changed date of birth');
        assert.equal(verifies(tamper((b) => { b.categories.push('neglect'); }), key), false, 'an added category');
        assert.equal(verifies(tamper((b) => { delete b.mandatory_reason; }), key), false, 'a removed field');
        assert.equal(verifies(tamper((b) => { b.recipient.name = 'Someone else'; }), key), false, 'another recipient');
        // Another referral's signature does not fit this one.
        const other = await srv.api('GET', `/api/referrals/${sent.id}/export.json?agency=${agencies[1].id}`, { headers: as(officer) });
        assert.equal(verify(null, Buffer.from(canonical(r.json.referral)), key, Buffer.from(other.json.signature, 'base64')), false);
        // Key order does not matter: the canonical form sorts it.
        const reordered = { ...r.json, referral: Object.fromEntries(Object.entries(r.json.referral).reverse()) };
        assert.ok(verifies(reordered, key));
    });

    test('the key pair is made once and kept; its halves match', async () => {
        const rows = sqlite(srv.dbPath, 'SELECT id, public_key, length(secret_key) AS n FROM signing_key');
        assert.equal(rows.length, 1);
        assert.equal(rows[0].id, 1);
        assert.equal(rows[0].n, 88, 'the 64-byte secret, base64');
        const again = await srv.api('GET', `/api/referrals/${sent.id}/export.json?agency=${agencies[0].id}`, { headers: as(officer) });
        assert.equal(again.json.public_key, rows[0].public_key);
    });

    test('each export is in the referral\'s history and the audit trail', async () => {
        const r = await srv.api('GET', `/api/referrals/${sent.id}`, { headers: as(officer) });
        const exported = r.json.history.filter((h) => h.kind === 'exported');
        assert.ok(exported.length >= 3, JSON.stringify(r.json.history));
        assert.equal(exported[0].text, `Exported as signed JSON for ${agencies[1].name}`);
        assert.equal(exported[0].agency, agencies[1].name);
        assert.equal(exported[0].by, 'exp-officer');
        const audit = sqlite(srv.dbPath,
            `SELECT action, record_type, record_id, detail FROM audit_log WHERE action = 'export' AND record_id = ${sent.id} ORDER BY id`);
        assert.ok(audit.length >= 3);
        assert.equal(audit[0].record_type, 'referral');
        assert.deepEqual(JSON.parse(audit[0].detail), { agency_id: agencies[1].id });
    });

    test('refusals: not sent, no such referral, which agency, not a recipient, bad query', async () => {
        const h = { headers: as(officer) };
        for (const what of ['export.json', 'print.pdf']) {
            assertError(await srv.api('GET', `/api/referrals/${draft.id}/${what}?agency=${agencies[0].id}`, h), 409, 'not_sent');
            assertError(await srv.api('GET', `/api/referrals/999999/${what}`, h), 404, 'not_found');
            assertError(await srv.api('GET', `/api/referrals/${sent.id}/${what}`, h), 422, 'missing_field', 'agency');
            assertError(await srv.api('GET', `/api/referrals/${sent.id}/${what}?agency=999`, h), 422, 'invalid_field', 'agency');
            for (const bad of ['x', '0', '-1', '1x', '+1'])
                assertError(await srv.api('GET', `/api/referrals/${sent.id}/${what}?agency=${bad}`, h), 422, 'invalid_field', 'agency');
            assertError(await srv.api('GET', `/api/referrals/${sent.id}/${what}?agency=1&x=1`, h), 422, 'unknown_query_parameter');
        }
        // Nothing refused was recorded.
        const r = await srv.api('GET', `/api/referrals/${draft.id}`, h);
        assert.equal(r.json.history.filter((e) => e.kind === 'exported' || e.kind === 'printed').length, 0);
    });

    test('the PDF: A4, OFFICIAL-SENSITIVE on every page, the referral then its history on a page of its own', async () => {
        const school = agencies[1];
        const res = await srv.fetch(`/api/referrals/${sent.id}/print.pdf?agency=${school.id}`, { headers: as(officer) });
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'application/pdf');
        assert.match(res.headers.get('content-disposition'), new RegExp(`^inline; filename="referral-${sent.id}\\.pdf"$`));
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
        const p = pdf(bytes, dir, 'short');
        assert.equal(p.pages, 2, 'the referral on one page, the history on the next');
        assert.deepEqual([Math.round(p.width), Math.round(p.height)], [595, 842], 'A4');
        assert.equal((p.text.match(/OFFICIAL-SENSITIVE\n/g) || []).length >= 4, true, 'top and bottom of each page');
        assert.match(p.text, /Page 1 of 2/);
        assert.match(p.text, /Page 2 of 2/);
        assert.match(p.text, new RegExp(`Child concern referral ${sent.reference}`));
        assert.match(p.text, /To St Ædelflæd's Academy \(School\)/);
        assert.match(p.text, /Name\s+Zoë Ó Signéd/);
        assert.match(p.text, /Date of birth\s+20 January 2015/);
        assert.match(p.text, /Urgency\s+Within 24 hours/);
        assert.match(p.text, /Concern known\s+1 June 2026, 10:00/);
        assert.match(p.text, /Mandatory because\s+domestic abuse with a child present/);
        assert.match(p.text, /Consent\s+Not sought: Sharing protects the child from significant harm/);
        assert.match(p.text, /Suspect\s+Dana Exportley, born 2 February 1988/);
        assert.match(p.text, /I hide under the bed when they shout/);
        assert.match(p.text, /History[\s\S]*Drafted from INC-[\s\S]*Approved for sending \(exp-reviewer\)[\s\S]*Sent to St Ædelflæd's Academy \(signed export\)[\s\S]*Printed for St Ædelflæd's Academy \(exp-officer\)/);
        const hist = (await srv.api('GET', `/api/referrals/${sent.id}`, { headers: as(officer) })).json.history;
        assert.equal(hist.at(-1).kind, 'printed');
        assert.equal(hist.at(-1).text, `Printed for ${school.name}`);
        const audit = sqlite(srv.dbPath, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'print' AND record_id = ${sent.id}`);
        assert.equal(audit[0].n, 1);
    });

    test('a long referral flows over more pages, numbered "Page n of N"', async () => {
        const para = 'The family has been known to services for some years and the pattern of incidents has grown worse. ';
        const long = await send(await referral({
            summary: `${para.repeat(20)}\n\n${para.repeat(15)}`,
            child_voice: `${'Zoë said she is scared at night. '.repeat(60)}${'x'.repeat(300)}`,
            risk_view: para.repeat(18),
        }));
        const res = await srv.fetch(`/api/referrals/${long.id}/print.pdf?agency=${agencies[0].id}`, { headers: as(officer) });
        assert.equal(res.status, 200);
        const p = pdf(Buffer.from(await res.arrayBuffer()), dir, 'long');
        assert.ok(p.pages >= 3, `${p.pages} pages`);
        for (let n = 1; n <= p.pages; n++) assert.match(p.text, new RegExp(`Page ${n} of ${p.pages}`));
        assert.equal((p.text.match(/OFFICIAL-SENSITIVE\n/g) || []).length >= 2 * p.pages, true);
        assert.match(p.text, /x{40}/, 'a word longer than a line is broken, not lost');
    });

    test('the signing key is for anyone signed in; the export and the PDF need referrals.read', async () => {
        const partner = makeUser(srv.dbPath, 'exp-partner', ['partner_agency'], { agency: agencies[0].name });
        const k = await srv.api('GET', '/api/referrals/signing-key', { headers: as(partner) });
        assert.equal(k.status, 200, k.text);
        for (const what of ['export.json', 'print.pdf'])
            assertError(await srv.api('GET', `/api/referrals/${sent.id}/${what}?agency=${agencies[0].id}`, { headers: as(partner) }), 403, 'forbidden');
    });
});
