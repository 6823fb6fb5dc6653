// bench/chronology.mjs — server time to build one child's chronology (issue
// 15: target < 50 ms for 500 events). Seeds a temporary database with a
// background of synthetic people, then, through the API as a supervisor, one
// child with about 500 events across every area: incidents with THRIVE and
// the child's voice, a missing episode and its events, referrals, an
// investigation and its actions, online referrals with the child as the
// suspect, police protection and its notes. Prints the event count and the
// median and p95 of the server's own timing (bench/lib.mjs) for the
// chronology (JSON and page), a filtered read, the PDF export and the board.
//
//   node bench/chronology.mjs [BACKGROUND_PEOPLE]
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, startBench } from './lib.mjs';

const people = Number(process.argv[2] || 5000);
const dir = mkdtempSync(join(tmpdir(), 'sg-bench-chron-'));
const db = join(dir, 'bench.db');
execFileSync(bin, ['init', '--db', db]);
execFileSync(bin, ['seed', '--db', db, '--people', String(people), '--seed', '11', '--users']);
const bench = await startBench(db);
const token = spawnSync(bin, ['token', 'create', '--db', db, '--username', 'supervisor', '--name', 'seed'],
  { encoding: 'utf8' }).stdout.trim();
async function api(method, path, body) {
  const r = await fetch(bench.url + path, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  const j = await r.json();
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

const t0 = Date.now();
const child = await api('POST', '/api/people', { given_name: 'Bench', family_name: 'Chronology', dob: '2012-01-01',
  confirmed_new: true, flags: [{ flag: 'child_protection_plan', valid_from: '2025-01-01' }] });
const adult = await api('POST', '/api/people', { given_name: 'Adult', family_name: 'Chronology', dob: '1980-01-01', confirmed_new: true });
const THRIVE = { threat: 't', harm: 'h', risk: 'Medium', investigation: 'i', vulnerability: 'v', engagement: 'e' };
for (let i = 0; i < 60; i++) { // 180 events
  const inc = await api('POST', '/api/incidents', { location: `${i} Bench Road`, nature: 'domestic_abuse',
    persons: [{ person_id: child.id, role: 'child_present' }, { person_id: adult.id, role: 'suspect' }] });
  await api('POST', `/api/incidents/${inc.id}/thrive`, THRIVE);
  await api('PUT', `/api/incidents/${inc.id}/voice/${child.id}`, { seen: true, spoken_to: true, words: `Words ${i}` });
}
const ep = await api('POST', '/api/missing', { person_id: child.id, reported_by: 'Carer', last_seen_at: new Date(Date.now() - 3600e3).toISOString().replace(/\.\d+Z/, 'Z'),
  last_seen_location: 'Park', missing_from: '1 Bench Road', circumstances: 'Left', risk: 'medium', risk_rationale: 'r' });
for (let i = 0; i < 118; i++) // 120 events
  await api('POST', `/api/missing/${ep.id}/events`, { kind: i % 2 ? 'enquiry' : 'sighting', text: `Enquiry ${i}` });
for (let i = 0; i < 30; i++) // 30 events
  await api('POST', '/api/referrals', { person_id: child.id, categories: ['neglect'], summary: `Referral ${i}` });
const inv = await api('POST', '/api/investigations', { crime_type: 'Neglect', category: 'neglect',
  persons: [{ person_id: child.id, role: 'victim' }] });
for (let i = 0; i < 79; i++) // 80 events
  await api('POST', `/api/investigations/${inv.id}/actions`, { title: `Action ${i}` });
const pp = await api('POST', '/api/police-protection', { person_id: child.id, power: 'removed', circumstances: 'c', grounds: 'g' });
for (let i = 0; i < 79; i++) // 80 events
  await api('POST', `/api/police-protection/${pp.id}/notes`, { text: `Note ${i}` });
for (let i = 0; i < 8; i++) { // 8 events
  const o = await api('POST', '/api/online-referrals', { source: 'NCA CEOP', source_reference: `B-${i}`, platform: 'App',
    content_category: 'other', identifiers: [{ kind: 'username', value: `bench${i}` }] });
  await api('POST', `/api/online-referrals/${o.id}/resolve`, { person_id: child.id });
}
const c = await api('GET', `/api/people/${child.id}/chronology`);
console.log(`seeded ${people} people and one child with ${c.total} chronology events ` +
  `(${c.areas.map((a) => `${a.area} ${a.count}`).join(', ')}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log('server time per request (ms, from the server\'s request log); target: chronology < 50 ms');
const p = `/api/people/${child.id}/chronology`;
await bench.report('chronology           /api/people/{id}/chronology', () => p, 100);
await bench.report('chronology page      /people/{id}/chronology', () => p.slice(4), 100);
await bench.report('one area, a month    ?area=missing&from=...', () => `${p}?area=missing&from=2026-01-01`, 100);
await bench.report('PDF export           .../chronology/export.pdf', () => `${p}/export.pdf`, 20);
await bench.report('children at risk     /api/children-at-risk', () => '/api/children-at-risk', 100);
await bench.report('board change token   /api/children-at-risk/version', () => '/api/children-at-risk/version', 100);
bench.stop();
rmSync(dir, { recursive: true, force: true });
