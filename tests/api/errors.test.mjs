// errors.test.mjs — bad input is refused precisely, in the one error shape,
// and leaves the database exactly as it was.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startServer, assertError, assertUnchanged, createPerson, sqlite,
    tableNames, PERSON_TABLES,
} from './harness.mjs';

const MAX_BODY = 1024 * 1024;
const valid = () => ({ given_name: 'Errol', family_name: 'Testcase', dob: '2012-05-06' });

describe('errors', () => {
    let srv;
    before(async () => {
        srv = await startServer();
        // Something in every table, so "unchanged" compares real counts.
        await createPerson(srv, {
            given_name: 'Baseline', family_name: 'Person', dob: '2011-01-01',
            aliases: [{ given_name: 'Base', family_name: 'Line' }],
            addresses: [{ line1: '1 Baseline Road' }],
            flags: [{ flag: 'child_in_need', valid_from: '2025-01-01' }],
        });
    });
    after(() => srv?.stop());

    /** POST /api/people, asserting the error and that nothing was written. */
    const refused = async (opts, status, code, field) => {
        const r = await assertUnchanged(srv, () => srv.api('POST', '/api/people', opts));
        return assertError(r, status, code, field);
    };

    test('malformed JSON is 400 malformed_json', async () => {
        for (const raw of ['{', '{"given_name": "A", }', 'not json', '', '{"given_name": "A" "family_name": "B"}',
            '{"given_name": "A"} trailing', "{'given_name': 'A'}", '{"given_name": "\u0001"}']) {
            await refused({ raw, headers: { 'Content-Type': 'application/json' } }, 400, 'malformed_json', null);
        }
    });

    test('a body that is JSON but not an object is refused', async () => {
        await refused({ body: [] }, 422, 'invalid_body', null);
        await refused({ body: [valid()] }, 422, 'invalid_body', null);
        // Bare scalars are not accepted as JSON documents at all (400) or not as an object (422).
        for (const body of ['string', 42, null, true]) {
            const r = await assertUnchanged(srv, () => srv.api('POST', '/api/people', { body }));
            assertError(r, r.status === 422 ? 422 : 400, r.status === 422 ? 'invalid_body' : 'malformed_json');
        }
    });

    test('duplicate JSON keys are 400', async () => {
        const e = await refused({
            raw: '{"given_name": "Dup", "family_name": "Keys", "given_name": "Other"}',
            headers: { 'Content-Type': 'application/json' },
        }, 400, 'malformed_json');
        assert.match(e.message, /duplicate/i);
    });

    test('wrong or missing Content-Type is 415', async () => {
        const raw = JSON.stringify(valid());
        for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonp', 'application/json-patch+json'])
            await refused({ raw, headers: { 'Content-Type': ct } }, 415, 'unsupported_media_type', null);
        // fetch sends text/plain for a string body unless told otherwise; a Blob without type sends none.
        await refused({ raw: new Blob([raw]) }, 415, 'unsupported_media_type');
        // Parameters after the media type are fine.
        const ok = await srv.api('POST', '/api/people', {
            raw: JSON.stringify({ ...valid(), given_name: 'Charset', confirmed_new: true }),
            headers: { 'Content-Type': 'application/json; charset=utf-8' },
        });
        assert.equal(ok.status, 201, ok.text);
    });

    test('a body on GET is 415', async () => {
        const r = await assertUnchanged(srv, () => srv.api('GET', '/api/people?q=Smith', { body: valid() }));
        assertError(r, 415, 'unsupported_media_type');
        const h = await srv.api('GET', '/healthz', { raw: 'x', headers: { 'Content-Type': 'text/plain' } });
        assertError(h, 415, 'unsupported_media_type');
    });

    test('a body over 1 MiB with Content-Length is 413 body_too_large', async () => {
        const raw = JSON.stringify({ ...valid(), ethnicity: 'x'.repeat(MAX_BODY) });
        assert.ok(Buffer.byteLength(raw) > MAX_BODY);
        await refused({ raw, headers: { 'Content-Type': 'application/json' } }, 413, 'body_too_large', null);
        // The connection and server are still fine afterwards.
        assert.equal((await srv.api('GET', '/healthz')).status, 200);
    });

    test('a chunked body that grows past 1 MiB is 413 body_too_large', async () => {
        const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
        let sent = 0;
        const stream = new ReadableStream({
            start(c) {
                c.enqueue(new TextEncoder().encode('{"given_name": "Chunky", "family_name": "Stream", "ethnicity": "'));
            },
            pull(c) {
                if (sent > MAX_BODY + chunk.length) {
                    c.enqueue(new TextEncoder().encode('"}'));
                    c.close();
                    return;
                }
                c.enqueue(chunk);
                sent += chunk.length;
            },
        });
        await refused({ raw: stream, headers: { 'Content-Type': 'application/json' } }, 413, 'body_too_large', null);
        assert.equal((await srv.api('GET', '/healthz')).status, 200);
    });

    test('a chunked body under the limit is accepted', async () => {
        const parts = ['{"given_name": "Small", ', '"family_name": "Chunks", ', '"confirmed_new": true}'];
        const stream = new ReadableStream({
            pull(c) {
                if (parts.length) c.enqueue(new TextEncoder().encode(parts.shift()));
                else c.close();
            },
        });
        const r = await srv.api('POST', '/api/people', { raw: stream, headers: { 'Content-Type': 'application/json' } });
        assert.equal(r.status, 201, r.text);
        assert.equal(r.json.family_name, 'Chunks');
    });

    test('a body of exactly 1 MiB is read (and refused for its content, not its size)', async () => {
        const head = JSON.stringify({ ...valid(), ethnicity: '' }).slice(0, -2); // ...,"ethnicity":"
        const raw = head + 'y'.repeat(MAX_BODY - head.length - 2) + '"}';
        assert.equal(Buffer.byteLength(raw), MAX_BODY);
        await refused({ raw, headers: { 'Content-Type': 'application/json' } }, 422, 'invalid_field', 'ethnicity');
    });

    test('an unknown field is 422 unknown_field naming it, at any depth', async () => {
        await refused({ body: { ...valid(), nickname: 'E' } }, 422, 'unknown_field', 'nickname');
        await refused({ body: { ...valid(), aliases: [{ given_name: 'A', family_name: 'B', middle: 'C' }] } },
            422, 'unknown_field', 'aliases[0].middle');
        await refused({ body: { ...valid(), addresses: [{ line1: 'x', country: 'UK' }] } }, 422, 'unknown_field', 'addresses[0].country');
        await refused({ body: { ...valid(), id: 5 } }, 422, 'unknown_field', 'id');
        await refused({ body: { ...valid(), version: 1 } }, 422, 'unknown_field', 'version');
    });

    test('missing required fields are 422 missing_field', async () => {
        await refused({ body: { family_name: 'Only' } }, 422, 'missing_field', 'given_name');
        await refused({ body: { given_name: 'Only' } }, 422, 'missing_field', 'family_name');
        await refused({ body: {} }, 422, 'missing_field');
        await refused({ body: { ...valid(), aliases: [{ given_name: 'A' }] } }, 422, 'missing_field', 'aliases[0].family_name');
        await refused({ body: { ...valid(), addresses: [{ town: 'Leeds' }] } }, 422, 'missing_field', 'addresses[0].line1');
    });

    test('wrong JSON types are 422 with the precise field path', async () => {
        const cases = [
            [{ given_name: 5 }, 'invalid_type', 'given_name'],
            [{ given_name: null }, 'invalid_field', 'given_name'],
            [{ family_name: ['Smith'] }, 'invalid_type', 'family_name'],
            [{ dob: 20100101 }, 'invalid_type', 'dob'],
            [{ aliases: 'x' }, 'invalid_type', 'aliases'],
            [{ aliases: {} }, 'invalid_type', 'aliases'],
            [{ aliases: ['Bob'] }, 'invalid_field', 'aliases[0]'],
            [{ aliases: [{ given_name: 'A', family_name: 7 }] }, 'invalid_type', 'aliases[0].family_name'],
            [{ flags: [1] }, 'invalid_field', 'flags[0]'],
            [{ flags: [{ flag: 'child_in_need', valid_from: 20250101 }] }, 'invalid_type', 'flags[0].valid_from'],
            [{ addresses: [{ line1: 'ok' }, { line1: true }] }, 'invalid_type', 'addresses[1].line1'],
            [{ confirmed_new: 'yes' }, 'invalid_type', 'confirmed_new'],
            [{ confirmed_new: 1 }, 'invalid_type', 'confirmed_new'],
            [{ gender: 'robot' }, 'invalid_field', 'gender'],
            [{ gender: 1 }, 'invalid_type', 'gender'],
        ];
        for (const [patch, code, field] of cases)
            await refused({ body: { ...valid(), ...patch } }, 422, code, field);
    });

    test('impossible or badly written dates are 422 invalid_date', async () => {
        for (const dob of ['2023-02-29', '2024-13-01', '2024-1-1', '2024-00-10', '2024-04-31', '24-01-01',
            '2024/01/01', '2024-01-01T00:00:00Z', ' 2024-01-01', '', 'yesterday'])
            await refused({ body: { ...valid(), dob } }, 422, 'invalid_date', 'dob');
        await refused({ body: { ...valid(), addresses: [{ line1: 'x', valid_from: '2023-02-29' }] } },
            422, 'invalid_date', 'addresses[0].valid_from');
        await refused({ body: { ...valid(), flags: [{ flag: 'child_in_need', valid_from: '2024-1-1' }] } },
            422, 'invalid_date', 'flags[0].valid_from');
        // A real leap day is fine.
        const p = await createPerson(srv, { given_name: 'Leapling', family_name: 'Testcase', dob: '2012-02-29' });
        assert.equal(p.dob, '2012-02-29');
        assert.equal(p.age, 14);
    });

    test('empty or whitespace-only names are 422', async () => {
        for (const given_name of ['', ' ', '   ', '\t', '\n ', '\r\n'])
            await refused({ body: { ...valid(), given_name } }, 422, 'invalid_field', 'given_name');
        await refused({ body: { ...valid(), family_name: '  ' } }, 422, 'invalid_field', 'family_name');
        await refused({ body: { ...valid(), aliases: [{ given_name: 'A', family_name: '' }] } },
            422, 'invalid_field', 'aliases[0].family_name');
        await refused({ body: { ...valid(), addresses: [{ line1: ' ' }] } }, 422, 'invalid_field', 'addresses[0].line1');
    });

    test('over-long strings and lists are 422; the limits themselves are accepted', async () => {
        await refused({ body: { ...valid(), given_name: 'a'.repeat(101) } }, 422, 'invalid_field', 'given_name');
        await refused({ body: { ...valid(), family_name: 'b'.repeat(10000) } }, 422, 'invalid_field', 'family_name');
        await refused({ body: { ...valid(), addresses: [{ line1: 'x', postcode: 'LS1 1AAAAAA' }] } },
            422, 'invalid_field', 'addresses[0].postcode');
        await refused({ body: { ...valid(), flags: [{ flag: 'child_in_need', valid_from: '2025-01-01', note: 'n'.repeat(2001) }] } },
            422, 'invalid_field', 'flags[0].note');
        const aliases = Array.from({ length: 17 }, (_, i) => ({ given_name: `A${i}`, family_name: 'B' }));
        await refused({ body: { ...valid(), aliases } }, 422, 'invalid_field', 'aliases');
        const p = await createPerson(srv, {
            given_name: 'c'.repeat(100), family_name: 'Longname', confirmed_new: true,
            aliases: aliases.slice(0, 16), addresses: [{ line1: 'x', postcode: 'AB12 3CDEF' }],
        });
        assert.equal(p.given_name.length, 100);
        assert.equal(p.aliases.length, 16);
    });

    test('length limits count characters, not bytes', async () => {
        // A name in a non-Latin script within the limit must be accepted: 100 characters, 200 bytes.
        const r = await srv.api('POST', '/api/people', {
            body: { given_name: 'é'.repeat(100), family_name: 'Accented', confirmed_new: true },
        });
        assert.equal(r.status, 201, r.text);
    });

    test('non-ASCII names round-trip', async () => {
        const body = { given_name: 'Zoë-Åsa', family_name: 'Ní Bhriain', aliases: [{ given_name: 'محمد', family_name: '王' }], confirmed_new: true };
        const p = await createPerson(srv, body);
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.equal(g.json.given_name, body.given_name);
        assert.equal(g.json.family_name, body.family_name);
        assert.deepEqual(g.json.aliases, body.aliases);
    });

    test('control characters in strings are 422 invalid_field', async () => {
        for (const ch of ['\u0001', '\u0007', '\u001b', '\u001f', '\b', '\f'])
            await refused({ body: { ...valid(), given_name: `Ev${ch}il` } }, 422, 'invalid_field', 'given_name');
        await refused({ body: { ...valid(), addresses: [{ line1: 'x', town: 'Le\u0002eds' }] } },
            422, 'invalid_field', 'addresses[0].town');
        await refused({ body: { ...valid(), flags: [{ flag: 'child_in_need', valid_from: '2025-01-01', note: 'bell\u0007' }] } },
            422, 'invalid_field', 'flags[0].note');
        // Tab and newline are ordinary text in a note.
        const p = await createPerson(srv, {
            given_name: 'Tabby', family_name: 'Newline', confirmed_new: true,
            flags: [{ flag: 'child_in_need', valid_from: '2025-01-01', note: 'line one\nline\ttwo' }],
        });
        assert.equal(p.flags[0].note, 'line one\nline\ttwo');
    });

    test('a NUL character (\\u0000) is 422 invalid_field naming the field', async () => {
        await refused({ body: { ...valid(), given_name: 'Nu\u0000ll' } }, 422, 'invalid_field', 'given_name');
    });

    test('a NUL character is refused and nothing is saved', async () => {
        // Whatever the status, \u0000 must never be stored (C strings would truncate it).
        const r = await assertUnchanged(srv, () => srv.api('POST', '/api/people', { body: { ...valid(), given_name: 'Nu\u0000ll' } }));
        assert.ok(r.status === 400 || r.status === 422, r.text);
        assertError(r, r.status, r.status === 400 ? 'malformed_json' : 'invalid_field');
    });

    test('SQL metacharacters in every string field are stored verbatim', async () => {
        // Names must contain a letter, so every payload carries one (x) beside the metacharacters.
        const payloads = [`x'; DROP TABLE person; --`, `x" OR 1=1 --`, `x%_\\`, `Robert'); DELETE FROM person_flag;--`];
        for (const [i, s] of payloads.entries()) {
            const short = s.slice(0, 10); // postcode is at most 10 characters
            const body = {
                given_name: s, family_name: `${s} ${i}`, ethnicity: s, confirmed_new: true,
                aliases: [{ given_name: s, family_name: s }],
                addresses: [{ line1: s, line2: s, town: s, postcode: short }],
                flags: [{ flag: 'looked_after', valid_from: '2025-01-01', local_authority: s, note: s }],
            };
            const p = await createPerson(srv, body);
            const g = (await srv.api('GET', `/api/people/${p.id}`)).json;
            assert.equal(g.given_name, s);
            assert.equal(g.family_name, `${s} ${i}`);
            assert.equal(g.ethnicity, s);
            assert.deepEqual(g.aliases, [{ given_name: s, family_name: s }]);
            const a = g.addresses[0];
            assert.deepEqual([a.line1, a.line2, a.town, a.postcode], [s, s, s, short]);
            assert.deepEqual([g.flags[0].local_authority, g.flags[0].note], [s, s]);
            // And directly in the database, byte for byte.
            const row = sqlite(srv.dbPath, `SELECT given_name, ethnicity FROM person WHERE id = ${p.id}`)[0];
            assert.deepEqual(row, { given_name: s, ethnicity: s });
            // PATCH stores it verbatim too.
            const u = await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 1, family_name: s } });
            assert.equal(u.status, 200, u.text);
            assert.equal(u.json.family_name, s);
            // Search with the payload answers normally.
            const q = await srv.api('GET', `/api/people?q=${encodeURIComponent(s)}`);
            assert.equal(q.status, 200, q.text);
        }
        const tables = tableNames(srv.dbPath);
        for (const t of [...PERSON_TABLES, 'schema_version']) assert.ok(tables.includes(t), `table ${t} still exists`);
        assert.ok(sqlite(srv.dbPath, 'SELECT COUNT(*) n FROM person')[0].n >= 5);
        assert.ok(sqlite(srv.dbPath, 'SELECT COUNT(*) n FROM person_flag')[0].n >= 5);
    });

    test('an unknown route is 404 not_found in the error shape', async () => {
        for (const path of ['/nope', '/api', '/api/peoples', '/api/people/1/extra', '/api/people/', '//api/people',
            '/api//people', '/healthz/', '/API/people', '/api/people/1%2F2'])
            assertError(await srv.api('GET', path), 404, 'not_found', null);
        assertError(await srv.api('POST', '/nope', { body: {} }), 404, 'not_found');
    });

    test('a wrong method is 405 with an Allow header', async () => {
        const cases = [
            ['DELETE', '/api/people/1', 'GET, PATCH'],
            ['PUT', '/api/people/1', 'GET, PATCH'],
            ['POST', '/api/people/1', 'GET, PATCH'],
            ['PATCH', '/api/people', 'GET, POST'],
            ['DELETE', '/api/people', 'GET, POST'],
            ['POST', '/healthz', 'GET'],
            ['PUT', '/metrics', 'GET'],
        ];
        for (const [method, path, allow] of cases) {
            const r = await assertUnchanged(srv, () => srv.api(method, path, { body: valid() }));
            assertError(r, 405, 'method_not_allowed', null);
            assert.equal(r.headers.get('allow'), allow, `${method} ${path}`);
        }
    });

    test('HEAD on a GET route answers like GET without a body', async () => {
        const r = await srv.api('HEAD', '/healthz');
        assert.equal(r.status, 200);
        assert.equal(r.text, '');
    });

    test('every response carried a unique X-Request-Id, and API responses Cache-Control: no-store', async () => {
        assert.ok(srv.responses.length > 100, `only ${srv.responses.length} responses seen`);
        const seen = new Set();
        for (const { method, path, status, headers } of srv.responses) {
            const what = `${method} ${path} -> ${status}`;
            const id = headers.get('x-request-id');
            assert.match(id ?? '', /^[0-9a-f]{32}$/, what);
            assert.ok(!seen.has(id), `request id repeated: ${what}`);
            seen.add(id);
            if (path.startsWith('/api/') && path !== '/api/openapi.json')
                assert.equal(headers.get('cache-control'), 'no-store', what);
            assert.equal(headers.get('x-content-type-options'), 'nosniff', what);
        }
    });
});
