// people.test.mjs — the person record through the API: create, read, rules,
// duplicates, optimistic concurrency and tolerant search.
// The server runs with --clock 2026-06-01T12:00:00Z, so "today" is 2026-06-01.

import assert from 'node:assert/strict';
import {
    test, describe, before, after, startServer, assertError, assertUnchanged, createPerson, sqlite,
} from './harness.mjs';

describe('people: create and read', () => {
    let srv;
    before(async () => (srv = await startServer()));
    after(() => srv?.stop());

    test('create answers 201 with Location and ETag "1"; GET returns the same record', async () => {
        const body = {
            given_name: 'Amelia', family_name: 'Worthington', dob: '2010-06-02', dob_accuracy: 'exact',
            gender: 'female', ethnicity: 'White British',
        };
        const r = await srv.api('POST', '/api/people', { body });
        assert.equal(r.status, 201, r.text);
        const p = r.json;
        assert.ok(Number.isInteger(p.id) && p.id > 0);
        assert.equal(r.headers.get('location'), `/api/people/${p.id}`);
        assert.equal(r.headers.get('etag'), '"1"');
        assert.equal(p.version, 1);
        for (const k of Object.keys(body)) assert.equal(p[k], body[k], k);
        assert.equal(p.created_at, '2026-06-01T12:00:00Z', 'timestamps come from the injected clock');
        assert.equal(p.updated_at, '2026-06-01T12:00:00Z');
        assert.deepEqual([p.aliases, p.addresses, p.flags], [[], [], []]);

        const g = await srv.api('GET', r.headers.get('location'));
        assert.equal(g.status, 200);
        assert.equal(g.headers.get('etag'), '"1"');
        assert.deepEqual(g.json, p, 'GET returns exactly what create returned');
        // And it is really stored.
        const rows = sqlite(srv.dbPath, `SELECT given_name, family_name, dob FROM person WHERE id = ${p.id}`);
        assert.deepEqual(rows, [{ given_name: 'Amelia', family_name: 'Worthington', dob: '2010-06-02' }]);
    });

    test('age and is_child are computed on the injected clock date', async () => {
        const cases = [
            // [dob, age, is_child] on 2026-06-01
            ['2010-06-02', 15, true], // 16th birthday is tomorrow
            ['2010-06-01', 16, true],
            ['2008-06-02', 17, true], // 18 tomorrow: still a child today
            ['2008-06-01', 18, false], // 18 today: an adult
            ['1980-01-15', 46, false],
            ['2026-06-01', 0, true], // born today
        ];
        const names = ['Bartholomew', 'Cressida', 'Desmond', 'Evangeline', 'Fitzgerald', 'Gwendolyn'];
        for (const [i, [dob, age, child]] of cases.entries()) {
            const p = await createPerson(srv, { given_name: names[i], family_name: 'Agecheck', dob, confirmed_new: true });
            assert.equal(p.age, age, `age for dob ${dob}`);
            assert.equal(p.is_child, child, `is_child for dob ${dob}`);
            const g = await srv.api('GET', `/api/people/${p.id}`);
            assert.equal(g.json.age, age);
            assert.equal(g.json.is_child, child);
        }
    });

    test('unknown date of birth: age and is_child are null, accuracy "unknown"', async () => {
        const p = await createPerson(srv, { given_name: 'Horatio', family_name: 'Nodob' });
        assert.equal(p.dob, null);
        assert.equal(p.dob_accuracy, 'unknown');
        assert.equal(p.age, null);
        assert.equal(p.is_child, null);
        const q = await createPerson(srv, { given_name: 'Ignatius', family_name: 'Nulldob', dob: null });
        assert.equal(q.dob, null);
        assert.equal(q.age, null);
        assert.equal(q.is_child, null);
    });

    test('dob_accuracy defaults to exact with a date and may be approximate', async () => {
        const p = await createPerson(srv, { given_name: 'Jemima', family_name: 'Accurate', dob: '2012-03-04' });
        assert.equal(p.dob_accuracy, 'exact');
        const q = await createPerson(srv, {
            given_name: 'Kasimir', family_name: 'Approximate', dob: '2012-01-01', dob_accuracy: 'approximate',
        });
        assert.equal(q.dob_accuracy, 'approximate');
        assert.equal(q.age, 14);
    });

    test('dob_accuracy must agree with whether a date of birth is given', async () => {
        await assertUnchanged(srv, async () => {
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Leopold', family_name: 'Mismatch', dob: '2012-03-04', dob_accuracy: 'unknown' },
            }), 422, 'invalid_field', 'dob_accuracy');
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Leopold', family_name: 'Mismatch', dob_accuracy: 'exact' },
            }), 422, 'invalid_field', 'dob_accuracy');
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Leopold', family_name: 'Mismatch', dob_accuracy: 'roughly' },
            }), 422, 'invalid_field', 'dob_accuracy');
        });
    });

    test('a date of birth after the (injected) today is refused', async () => {
        await assertUnchanged(srv, async () => {
            // 2026-06-02 is tomorrow on the injected clock, though long past on the wall clock
            // of a machine running later: the check must use the injected clock.
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Maximilian', family_name: 'Future', dob: '2026-06-02' },
            }), 422, 'invalid_date', 'dob');
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Maximilian', family_name: 'Future', dob: '2099-01-01' },
            }), 422, 'invalid_date', 'dob');
        });
    });

    test('aliases, addresses and flags are stored and returned', async () => {
        const p = await createPerson(srv, {
            given_name: 'Nathaniel', family_name: 'Oyelaran', dob: '2011-09-10',
            aliases: [{ given_name: 'Nate', family_name: 'Oyelaran' }, { given_name: 'Nathan', family_name: 'Lawal' }],
            addresses: [
                { line1: '1 High Street', line2: 'Flat 2', town: 'Leeds', postcode: 'LS1 1AA', valid_from: '2020-01-01', valid_to: '2024-12-31' },
                { line1: '5 Mill Lane', valid_from: '2025-01-01' },
                { line1: '9 Future Road', valid_from: '2026-06-02' },
            ],
            flags: [
                { flag: 'child_protection_plan', valid_from: '2025-01-01', note: 'neglect' },
                { flag: 'looked_after', valid_from: '2024-01-01', valid_to: '2026-05-31', local_authority: 'Leeds City Council' },
                { flag: 'child_in_need', valid_from: '2026-06-01', valid_to: '2026-06-01' },
                { flag: 'exploitation_risk', valid_from: '2026-06-02' },
            ],
        });
        assert.deepEqual(p.aliases, [
            { given_name: 'Nate', family_name: 'Oyelaran' }, { given_name: 'Nathan', family_name: 'Lawal' },
        ]);
        // Addresses come newest first (valid_from descending, undated last).
        assert.deepEqual(p.addresses.map((a) => a.line1), ['9 Future Road', '5 Mill Lane', '1 High Street']);
        const a = p.addresses[2];
        assert.deepEqual(
            [a.line1, a.line2, a.town, a.postcode, a.valid_from, a.valid_to],
            ['1 High Street', 'Flat 2', 'Leeds', 'LS1 1AA', '2020-01-01', '2024-12-31'],
        );
        assert.deepEqual(p.addresses.map((x) => x.current), [false, true, false], 'current vs 2026-06-01');
        assert.equal(p.addresses[1].line2, null);
        assert.equal(p.addresses[1].valid_to, null);
        assert.equal(p.flags.length, 4);
        const byKind = Object.fromEntries(p.flags.map((f) => [f.flag, f]));
        assert.equal(byKind.child_protection_plan.active, true, 'open-ended, started in the past');
        assert.equal(byKind.child_protection_plan.note, 'neglect');
        assert.equal(byKind.looked_after.active, false, 'ended yesterday');
        assert.equal(byKind.looked_after.local_authority, 'Leeds City Council');
        assert.equal(byKind.child_in_need.active, true, 'from and to today inclusive');
        assert.equal(byKind.exploitation_risk.active, false, 'starts tomorrow');
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.deepEqual(g.json, p);
        const n = sqlite(srv.dbPath, `SELECT (SELECT COUNT(*) FROM person_alias WHERE person_id=${p.id}) a,
            (SELECT COUNT(*) FROM person_address WHERE person_id=${p.id}) d,
            (SELECT COUNT(*) FROM person_flag WHERE person_id=${p.id}) f`);
        assert.deepEqual(n, [{ a: 2, d: 3, f: 4 }]);
    });

    test('address valid_from after valid_to is refused with the item path', async () => {
        await assertUnchanged(srv, async () => {
            assertError(await srv.api('POST', '/api/people', {
                body: {
                    given_name: 'Octavia', family_name: 'Backwards',
                    addresses: [{ line1: '1 Back Lane', valid_from: '2024-05-01', valid_to: '2024-04-30' }],
                },
            }), 422, 'invalid_date', 'addresses[0].valid_to');
            assertError(await srv.api('POST', '/api/people', {
                body: {
                    given_name: 'Octavia', family_name: 'Backwards',
                    addresses: [{ line1: 'ok' }, { line1: '2 Back Lane', valid_from: '2024-05-01', valid_to: '2023-01-01' }],
                },
            }), 422, 'invalid_date', 'addresses[1].valid_to');
        });
        // Same day is fine.
        const p = await createPerson(srv, {
            given_name: 'Octavia', family_name: 'Sameday',
            addresses: [{ line1: '1 One Day', valid_from: '2024-05-01', valid_to: '2024-05-01' }],
        });
        assert.equal(p.addresses.length, 1);
    });

    test('flags: looked_after needs local_authority; dates in order; known kinds only', async () => {
        await assertUnchanged(srv, async () => {
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Percival', family_name: 'Flagless', flags: [{ flag: 'looked_after', valid_from: '2025-01-01' }] },
            }), 422, 'missing_field', 'flags[0].local_authority');
            assertError(await srv.api('POST', '/api/people', {
                body: {
                    given_name: 'Percival', family_name: 'Flagless',
                    flags: [{ flag: 'looked_after', valid_from: '2025-01-01', local_authority: null }],
                },
            }), 422, 'missing_field', 'flags[0].local_authority');
            assertError(await srv.api('POST', '/api/people', {
                body: {
                    given_name: 'Percival', family_name: 'Flagless',
                    flags: [{ flag: 'child_in_need', valid_from: '2025-01-01', valid_to: '2024-01-01' }],
                },
            }), 422, 'invalid_date', 'flags[0].valid_to');
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Percival', family_name: 'Flagless', flags: [{ flag: 'naughty_list', valid_from: '2025-01-01' }] },
            }), 422, 'invalid_field', 'flags[0].flag');
            assertError(await srv.api('POST', '/api/people', {
                body: { given_name: 'Percival', family_name: 'Flagless', flags: [{ flag: 'child_in_need' }] },
            }), 422, 'missing_field', 'flags[0].valid_from');
        });
    });

    test('GET of an id that is not a positive number or does not exist is 404', async () => {
        for (const path of ['/api/people/abc', '/api/people/0', '/api/people/-1', '/api/people/999999',
            '/api/people/1e3', '/api/people/99999999999999999999999']) {
            assertError(await srv.api('GET', path), 404, 'not_found');
        }
    });
});

describe('people: possible duplicates', () => {
    let srv;
    before(async () => (srv = await startServer()));
    after(() => srv?.stop());

    test('same name and dob, or a spelling variant, is 409 possible_duplicate; confirmed_new creates', async () => {
        const first = await createPerson(srv, { given_name: 'John', family_name: 'Smith', dob: '2010-06-02' });
        for (const [given_name, family_name] of [['John', 'Smith'], ['Jon', 'Smyth'], ['JOHN', 'smith'], ['Smith', 'John']]) {
            const body = { given_name, family_name, dob: '2010-06-02' };
            const r = await assertUnchanged(srv, () => srv.api('POST', '/api/people', { body }));
            assertError(r, 409, 'possible_duplicate');
            assert.ok(Array.isArray(r.json.candidates), r.text);
            const c = r.json.candidates.find((x) => x.id === first.id);
            assert.ok(c, `${given_name} ${family_name}: candidates include id ${first.id}: ${r.text}`);
            assert.equal(c.given_name, 'John');
            assert.equal(c.family_name, 'Smith');
            assert.equal(c.dob, '2010-06-02');
        }
        const r = await srv.api('POST', '/api/people', {
            body: { given_name: 'Jon', family_name: 'Smyth', dob: '2010-06-02', confirmed_new: true },
        });
        assert.equal(r.status, 201, r.text);
        assert.notEqual(r.json.id, first.id);
        assert.equal(r.json.given_name, 'Jon');
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) n FROM person')[0].n, 2);
    });

    test('the same name with a clearly different date of birth is not a duplicate', async () => {
        await createPerson(srv, { given_name: 'Priya', family_name: 'Raghunathan', dob: '2012-02-03' });
        const r = await srv.api('POST', '/api/people', {
            body: { given_name: 'Priya', family_name: 'Raghunathan', dob: '1975-11-20' },
        });
        assert.equal(r.status, 201, r.text);
    });

    test('without a dob, an identical name is a possible duplicate', async () => {
        const first = await createPerson(srv, { given_name: 'Quentin', family_name: 'Blakemore' });
        const r = await assertUnchanged(srv, () => srv.api('POST', '/api/people', {
            body: { given_name: 'Quentin', family_name: 'Blakemore' },
        }));
        assertError(r, 409, 'possible_duplicate');
        assert.ok(r.json.candidates.some((c) => c.id === first.id), r.text);
        const ok = await srv.api('POST', '/api/people', {
            body: { given_name: 'Quentin', family_name: 'Blakemore', confirmed_new: true },
        });
        assert.equal(ok.status, 201);
    });
});

describe('people: concurrent writes', () => {
    let srv;
    before(async () => (srv = await startServer()));
    after(() => srv?.stop());

    test('simultaneous creates of the same person: exactly one 201, the rest possible_duplicate', async () => {
        const body = { given_name: 'Ottoline', family_name: 'Simultaneous', dob: '2012-01-05' };
        const rs = await Promise.all(Array.from({ length: 8 }, () => srv.api('POST', '/api/people', { body })));
        const statuses = rs.map((r) => r.status).sort();
        assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409, 409, 409], rs.map((r) => r.text).join('\n'));
        const id = rs.find((r) => r.status === 201).json.id;
        for (const r of rs.filter((x) => x.status === 409)) {
            assertError(r, 409, 'possible_duplicate');
            assert.ok(r.json.candidates.some((c) => c.id === id));
        }
        assert.equal(sqlite(srv.dbPath, 'SELECT COUNT(*) n FROM person')[0].n, 1);
    });

    test('simultaneous PATCHes from version 1: exactly one wins, the others get version_conflict', async () => {
        const p = await createPerson(srv, { given_name: 'Barnaby', family_name: 'Racewell', confirmed_new: true });
        const rs = await Promise.all(Array.from({ length: 8 }, (_, i) =>
            srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 1, ethnicity: `writer ${i}` } })));
        const won = rs.filter((r) => r.status === 200);
        assert.equal(won.length, 1, rs.map((r) => `${r.status} ${r.text}`).join('\n'));
        for (const r of rs.filter((x) => x.status !== 200)) assertError(r, 409, 'version_conflict');
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.equal(g.json.version, 2);
        assert.equal(g.json.ethnicity, won[0].json.ethnicity, 'the stored value is the winner\'s');
    });
});

describe('people: update', () => {
    let srv;
    before(async () => (srv = await startServer()));
    after(() => srv?.stop());

    const make = (given) => createPerson(srv, { given_name: given, family_name: 'Updateson', dob: '2011-04-05', confirmed_new: true });

    test('PATCH with the body version gives 200, version 2 and ETag "2"', async () => {
        const p = await make('Rosalind');
        const r = await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 1, given_name: 'Rosalyn' } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.version, 2);
        assert.equal(r.headers.get('etag'), '"2"');
        assert.equal(r.json.given_name, 'Rosalyn');
        assert.equal(r.json.family_name, 'Updateson', 'fields not sent are kept');
        assert.equal(r.json.dob, '2011-04-05');
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.deepEqual(g.json, r.json);
    });

    test('PATCH with If-Match: "1" gives 200 version 2', async () => {
        const p = await make('Sebastian');
        const r = await srv.api('PATCH', `/api/people/${p.id}`, {
            body: { ethnicity: 'Mixed' }, headers: { 'If-Match': '"1"' },
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.version, 2);
        assert.equal(r.json.ethnicity, 'Mixed');
        // The new ETag works as the next If-Match.
        const r2 = await srv.api('PATCH', `/api/people/${p.id}`, {
            body: { ethnicity: null }, headers: { 'If-Match': r.headers.get('etag') },
        });
        assert.equal(r2.status, 200, r2.text);
        assert.equal(r2.json.version, 3);
        assert.equal(r2.json.ethnicity, null);
    });

    test('a stale version is 409 version_conflict and the record is unchanged', async () => {
        const p = await make('Theodora');
        const ok = await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 1, gender: 'female' } });
        assert.equal(ok.status, 200, ok.text);
        for (const req of [
            { body: { version: 1, given_name: 'Overwritten' } },
            { body: { given_name: 'Overwritten' }, headers: { 'If-Match': '"1"' } },
            { body: { version: 7, given_name: 'Overwritten' } },
        ]) {
            const r = await assertUnchanged(srv, () => srv.api('PATCH', `/api/people/${p.id}`, req));
            assertError(r, 409, 'version_conflict');
        }
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.deepEqual(g.json, ok.json, 'record unchanged after the conflicts');
    });

    test('PATCH without a version is 428; a malformed If-Match is 422', async () => {
        const p = await make('Ulysses');
        assertError(await srv.api('PATCH', `/api/people/${p.id}`, { body: { given_name: 'X' } }), 428, 'missing_field', 'version');
        assertError(await srv.api('PATCH', `/api/people/${p.id}`, {
            body: { given_name: 'X' }, headers: { 'If-Match': 'banana' },
        }), 422, 'invalid_field', 'If-Match');
        assertError(await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 0, given_name: 'X' } }),
            422, 'invalid_field', 'version');
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.deepEqual(g.json, p);
    });

    test('PATCH of an unknown id is 404', async () => {
        await assertUnchanged(srv, async () => {
            assertError(await srv.api('PATCH', '/api/people/999999', { body: { version: 1, given_name: 'X' } }), 404, 'not_found');
            assertError(await srv.api('PATCH', '/api/people/abc', { body: { version: 1, given_name: 'X' } }), 404, 'not_found');
            assertError(await srv.api('PATCH', '/api/people/0', { body: { version: 1, given_name: 'X' } }), 404, 'not_found');
        });
    });

    test('PATCH applies the same rules as create and saves nothing when they fail', async () => {
        const p = await make('Valentina');
        const cases = [
            [{ version: 1, dob: '2026-06-02' }, 'invalid_date', 'dob'],
            [{ version: 1, dob_accuracy: 'unknown' }, 'invalid_field', 'dob_accuracy'],
            [{ version: 1, given_name: '   ' }, 'invalid_field', 'given_name'],
            [{ version: 1, flags: [{ flag: 'looked_after', valid_from: '2025-01-01' }] }, 'missing_field', 'flags[0].local_authority'],
            [{ version: 1, addresses: [{ line1: 'x', valid_from: '2025-01-02', valid_to: '2025-01-01' }] }, 'invalid_date', 'addresses[0].valid_to'],
            [{ version: 1, confirmed_new: true }, 'unknown_field', 'confirmed_new'],
        ];
        for (const [body, code, field] of cases) {
            const r = await assertUnchanged(srv, () => srv.api('PATCH', `/api/people/${p.id}`, { body }));
            assertError(r, 422, code, field);
        }
        const g = await srv.api('GET', `/api/people/${p.id}`);
        assert.deepEqual(g.json, p, 'nothing changed, version still 1');
    });

    test('PATCH recomputes age, replaces lists, and clearing dob resets accuracy', async () => {
        const p = await createPerson(srv, {
            given_name: 'Wilhelmina', family_name: 'Updateson', dob: '2011-04-05', confirmed_new: true,
            aliases: [{ given_name: 'Billie', family_name: 'Updateson' }],
        });
        assert.equal(p.age, 15);
        let r = await srv.api('PATCH', `/api/people/${p.id}`, {
            body: { version: 1, dob: '2000-01-01', aliases: [{ given_name: 'Mina', family_name: 'Jones' }] },
        });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.age, 26);
        assert.equal(r.json.is_child, false);
        assert.equal(r.json.dob_accuracy, 'exact');
        assert.deepEqual(r.json.aliases, [{ given_name: 'Mina', family_name: 'Jones' }], 'aliases replaced, not appended');
        r = await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 2, dob: null } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.dob, null);
        assert.equal(r.json.dob_accuracy, 'unknown');
        assert.equal(r.json.age, null);
        assert.equal(r.json.is_child, null);
        assert.equal(r.json.version, 3);
    });

    test('a renamed person is found by the new name and not by the old one', async () => {
        const p = await createPerson(srv, { given_name: 'Xanthe', family_name: 'Zebedee', confirmed_new: true });
        const r = await srv.api('PATCH', `/api/people/${p.id}`, { body: { version: 1, family_name: 'Quarrington' } });
        assert.equal(r.status, 200, r.text);
        const found = await srv.api('GET', '/api/people?q=Xanthe+Quarrington');
        assert.ok(found.json.results.some((x) => x.id === p.id), found.text);
        const old = await srv.api('GET', '/api/people?q=Zebedee');
        assert.ok(!old.json.results.some((x) => x.id === p.id), `old name still indexed: ${old.text}`);
    });
});

describe('people: search', () => {
    let srv;
    const ids = {};
    before(async () => {
        srv = await startServer();
        const people = {
            smith: { given_name: 'John', family_name: 'Smith', dob: '2012-03-14' },
            muhammad: { given_name: 'Muhammad', family_name: 'Rahman', dob: '2013-07-01' },
            hyphen: { given_name: 'Lucy', family_name: 'Smith-Jones', dob: '2011-11-11' },
            alias: {
                given_name: 'Kieran', family_name: 'Doherty', dob: '2009-08-08',
                aliases: [{ given_name: 'Kez', family_name: 'Fairbrother' }],
            },
            kowalskiA: { given_name: 'Robert', family_name: 'Kowalski', dob: '2010-01-01' },
            kowalskiB: { given_name: 'Robert', family_name: 'Kowalski', dob: '2014-09-30' },
            unrelated: { given_name: 'Zofia', family_name: 'Nakamura', dob: '2012-03-14' },
        };
        for (const [k, body] of Object.entries(people))
            ids[k] = (await createPerson(srv, { ...body, confirmed_new: true })).id;
        for (let i = 0; i < 5; i++)
            ids[`page${i}`] = (await createPerson(srv, {
                given_name: ['Ada', 'Bea', 'Cal', 'Dot', 'Eli'][i], family_name: 'Abernathy', confirmed_new: true,
            })).id;
    });
    after(() => srv?.stop());

    const search = async (qs) => {
        const r = await srv.api('GET', `/api/people?${qs}`);
        assert.equal(r.status, 200, `${qs}: ${r.text}`);
        return r.json;
    };
    const foundIds = (j) => j.results.map((x) => x.id);

    test('results carry the brief record and a score', async () => {
        const j = await search('q=John+Smith');
        assert.equal(j.page, 1);
        assert.equal(j.per_page, 20);
        const hit = j.results.find((x) => x.id === ids.smith);
        assert.ok(hit, JSON.stringify(j));
        assert.equal(hit.given_name, 'John');
        assert.equal(hit.family_name, 'Smith');
        assert.equal(hit.dob, '2012-03-14');
        assert.equal(hit.age, 14);
        assert.equal(hit.is_child, true);
        assert.equal(typeof hit.score, 'number');
        assert.equal(j.results[0].id, ids.smith, 'the exact name ranks first');
        assert.ok(!foundIds(j).includes(ids.unrelated), 'an unrelated name is not returned');
    });

    test('misspellings are found: "Smiht" finds Smith, "Jon Smyth" finds John Smith', async () => {
        assert.ok(foundIds(await search('q=Smiht')).includes(ids.smith));
        assert.ok(foundIds(await search('q=Jon+Smyth')).includes(ids.smith));
        assert.ok(foundIds(await search('q=smith')).includes(ids.smith), 'case does not matter');
    });

    test('"Mohamed" finds "Muhammad"', async () => {
        assert.ok(foundIds(await search('q=Mohamed')).includes(ids.muhammad));
        assert.ok(foundIds(await search('q=Mohammed+Rahman')).includes(ids.muhammad));
    });

    test('given and family name in either order', async () => {
        const j = await search('q=Smith+John');
        assert.equal(j.results[0]?.id, ids.smith, JSON.stringify(j));
        assert.ok(foundIds(await search('q=Rahman%20Muhammad')).includes(ids.muhammad));
    });

    test('a hyphenated family name is found by either part', async () => {
        assert.ok(foundIds(await search('q=Jones')).includes(ids.hyphen));
        assert.ok(foundIds(await search('q=Lucy+Jones')).includes(ids.hyphen));
        assert.ok(foundIds(await search('q=Smith-Jones')).includes(ids.hyphen));
    });

    test('an alias finds the person', async () => {
        const j = await search('q=Kez+Fairbrother');
        assert.ok(foundIds(j).includes(ids.alias), JSON.stringify(j));
        assert.equal(j.results.find((x) => x.id === ids.alias).family_name, 'Doherty', 'the primary name is returned');
    });

    test('dob ranks the same-name person with that date first', async () => {
        const both = await search('q=Robert+Kowalski');
        assert.deepEqual(new Set(foundIds(both).slice(0, 2)), new Set([ids.kowalskiA, ids.kowalskiB]));
        assert.equal(both.results[0].score, both.results[1].score, 'without dob the two tie');
        for (const [dob, want, other] of [['2014-09-30', ids.kowalskiB, ids.kowalskiA], ['2010-01-01', ids.kowalskiA, ids.kowalskiB]]) {
            const j = await search(`q=Robert+Kowalski&dob=${dob}`);
            assert.equal(j.results[0].id, want, JSON.stringify(j));
            assert.ok(j.results[0].score > both.results[0].score * 0.7, 'a matching dob adds to the score');
            // The other one may be narrowed out; if listed, it ranks lower.
            const o = j.results.find((x) => x.id === other);
            if (o) assert.ok(o.score < j.results[0].score);
        }
        // A mistyped day (same year and month) still finds the person, ranked first.
        const near = await search('q=Robert+Kowalski&dob=2014-09-03');
        assert.equal(near.results[0]?.id, ids.kowalskiB, JSON.stringify(near));
    });

    test('dob alone finds everyone born that day', async () => {
        const j = await search('dob=2012-03-14');
        assert.deepEqual(new Set(foundIds(j)), new Set([ids.smith, ids.unrelated]));
        assert.equal(j.total, 2);
        const none = await search('dob=1901-01-01');
        assert.deepEqual(none.results, []);
        assert.equal(none.total, 0);
    });

    test('pagination: page and per_page slice a stable ordering; total counts all', async () => {
        const all = await search('q=Abernathy&per_page=100');
        const expected = [0, 1, 2, 3, 4].map((i) => ids[`page${i}`]);
        assert.deepEqual(new Set(foundIds(all)), new Set(expected));
        assert.equal(all.total, 5);
        const pages = [];
        for (const page of [1, 2, 3]) {
            const j = await search(`q=Abernathy&per_page=2&page=${page}`);
            assert.equal(j.total, 5);
            assert.equal(j.page, page);
            assert.equal(j.per_page, 2);
            pages.push(foundIds(j));
        }
        assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
        assert.deepEqual(pages.flat(), foundIds(all), 'pages concatenate to the full ordering');
        const beyond = await search('q=Abernathy&per_page=2&page=4');
        assert.deepEqual(beyond.results, []);
        assert.equal(beyond.total, 5);
    });

    test('names in non-Latin scripts are found by name and by dob, and duplicate-checked', async () => {
        for (const [given_name, family_name, dob] of [['محمد', 'علي', '2011-02-03'], ['王', '伟', '2011-02-04'],
            ['Иван', 'Петров', '2011-02-05'], ['Νίκος', 'Παπαδόπουλος', '2011-02-06']]) {
            const p = await createPerson(srv, { given_name, family_name, dob });
            const what = `${given_name} ${family_name}`;
            assert.ok(foundIds(await search(`q=${encodeURIComponent(what)}`)).includes(p.id), `q finds ${what}`);
            assert.ok(foundIds(await search(`dob=${dob}`)).includes(p.id), `dob finds ${what}`);
            const again = await srv.api('POST', '/api/people', { body: { given_name, family_name, dob } });
            assertError(again, 409, 'possible_duplicate');
        }
    });

    test('search validation', async () => {
        assertError(await srv.api('GET', '/api/people'), 422, 'missing_field');
        assertError(await srv.api('GET', '/api/people?q=%20%20'), 422, 'missing_field');
        assertError(await srv.api('GET', '/api/people?dob=2012-02-30'), 422, 'invalid_date', 'dob');
        assertError(await srv.api('GET', '/api/people?q=Smith&dob=14/03/2012'), 422, 'invalid_date', 'dob');
        assertError(await srv.api('GET', '/api/people?q=Smith&sort=name'), 422, 'unknown_query_parameter', 'sort');
        assertError(await srv.api('GET', '/api/people?q=Smith&per_page=0'), 422, 'invalid_field', 'per_page');
        assertError(await srv.api('GET', '/api/people?q=Smith&per_page=101'), 422, 'invalid_field', 'per_page');
        assertError(await srv.api('GET', '/api/people?q=Smith&per_page=ten'), 422, 'invalid_field', 'per_page');
        assertError(await srv.api('GET', '/api/people?q=Smith&page=0'), 422, 'invalid_field', 'page');
        assertError(await srv.api('GET', `/api/people?q=${'a'.repeat(201)}`), 422, 'invalid_field', 'q');
        // The limits themselves are accepted.
        assert.equal((await srv.api('GET', '/api/people?q=Smith&per_page=100')).status, 200);
        assert.equal((await srv.api('GET', '/api/people?q=Smith&per_page=1')).status, 200);
    });
});
