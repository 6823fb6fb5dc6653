// bench/areas.mjs — server time for the areas' heavier reads on a demo-sized
// force: the assurance overview (every measure over 90 days), a
// recommendation with its six-month trends, the CSV of twelve months, the
// board pack PDF, the missing children board, the referrals list and the
// by-agency breakdown. Seeds people, incidents and missing episodes (and,
// with them, the demo agencies, referrals and case audits) into a temporary
// database, or uses BENCH_DB; prints median and p95 of the server's own
// timing (bench/lib.mjs).
//
//   node bench/areas.mjs [PEOPLE] [INCIDENTS] [MISSING]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, startBench } from './lib.mjs';

const people = Number(process.argv[2] || 20000);
const incidents = Number(process.argv[3] || 3000);
const missing = Number(process.argv[4] || 1500);
const dir = mkdtempSync(join(tmpdir(), 'sg-bench-'));
const db = process.env.BENCH_DB || join(dir, 'bench.db');
if (!existsSync(db)) {
  const t0 = Date.now();
  execFileSync(bin, ['init', '--db', db]);
  execFileSync(bin, ['seed', '--db', db, '--people', String(people), '--seed', '7', '--users',
    '--incidents', String(incidents), '--missing', String(missing)]);
  console.log(`seeded ${people} people, ${incidents} incidents, ${missing} missing episodes in ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
const bench = await startBench(db);
console.log('server time per request (ms, from the server\'s request log)');
await bench.report('assurance overview   /api/assurance', () => '/api/assurance', 60);
await bench.report('recommendation 3     /api/assurance/recommendations/3', () => '/api/assurance/recommendations/3', 60);
await bench.report('12 months of figures /api/assurance/measures.csv', () => '/api/assurance/measures.csv', 20);
await bench.report('trend chart          .../r3_reviews_on_time/trend.svg', () => '/api/assurance/measures/r3_reviews_on_time/trend.svg', 60);
await bench.report('board pack           /api/assurance/board-pack.pdf', () => '/api/assurance/board-pack.pdf', 10);
await bench.report('missing board        /api/missing', () => '/api/missing', 100);
await bench.report('missing board page   /missing', () => '/missing', 100);
await bench.report('an episode           /api/missing/{id}', (i) => `/api/missing/${1 + ((i * 37) % missing)}`, 200);
await bench.report('referrals            /api/referrals', () => '/api/referrals', 100);
await bench.report('by agency            /api/referrals/measures', () => '/api/referrals/measures', 100);
bench.stop();
if (!process.env.BENCH_DB) rmSync(dir, { recursive: true, force: true });
