// bench/compare.mjs — SQLite and PostgreSQL side by side: reads the figures
// `make bench` and `BENCH_BACKEND=postgres make bench` wrote for one scale
// (build/bench/results-<scale>.json and results-<scale>-postgres.json) and
// prints a Markdown table per operation (median, p99 and requests per second
// at each concurrency on each backend), then the raw baselines and the
// per-measure medians, for docs/performance.md.
//
//   node bench/compare.mjs [scale]   (default small)
import { readFileSync } from 'node:fs';

const scale = process.argv[2] || 'small';
const read = (f) => JSON.parse(readFileSync(`build/bench/${f}`, 'utf8'));
const lite = read(`results-${scale}.json`);
const pg = read(`results-${scale}-postgres.json`);
const n = (x, d = 2) => (x === undefined ? '—' : x >= 100 ? Math.round(x).toLocaleString('en-GB') : x.toFixed(d));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : '—');

console.log(`SQLite run ${lite.when}, PostgreSQL run ${pg.when}; ${lite.seconds} s per cell.\n`);
for (const [k, op] of Object.entries(lite.ops)) {
  const other = pg.ops[k];
  if (!other) continue;
  console.log(`**${op.label}**\n`);
  console.log('| clients | SQLite p50 ms | SQLite p99 ms | SQLite req/s | PostgreSQL p50 ms | PostgreSQL p99 ms | PostgreSQL req/s | PG ÷ SQLite p50 |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const c of Object.keys(op.levels)) {
    const a = op.levels[c], b = other.levels[c];
    if (!b) continue;
    const errs = (r) => (r.errors ? ` (${r.errors} error${r.errors > 1 ? 's' : ''})` : '');
    console.log(`| ${c} | ${n(a.p50_ms)} | ${n(a.p99_ms)} | ${n(a.rps, 0)}${errs(a)} | ${n(b.p50_ms)} | ${n(b.p99_ms)} | ` +
      `${n(b.rps, 0)}${errs(b)} | ${ratio(b.p50_ms, a.p50_ms)} |`);
  }
  console.log('');
}
console.log('**Raw query of the same shape (no HTTP, no audit), p50 ms / req/s**\n');
console.log('| operation | clients | SQLite p50 | SQLite req/s | PostgreSQL p50 | PostgreSQL req/s |');
console.log('|---|---:|---:|---:|---:|---:|');
for (const [k, op] of Object.entries(lite.ops)) {
  for (const c of Object.keys(op.levels)) {
    const a = op.levels[c].raw, b = pg.ops[k]?.levels[c]?.raw;
    if (a && b) console.log(`| ${op.label} | ${c} | ${n(a.p50_ms, 3)} | ${n(a.rps, 0)} | ${n(b.p50_ms, 3)} | ${n(b.rps, 0)} |`);
  }
}
if (lite.measures.length && pg.measures.length) {
  console.log('\n**Each board measure, one client, median ms (one month; 36-month trend)**\n');
  console.log('| measure | SQLite month | PostgreSQL month | SQLite 36m | PostgreSQL 36m |');
  console.log('|---|---:|---:|---:|---:|');
  for (const m of lite.measures) {
    const o = pg.measures.find((x) => x.key === m.key);
    if (o) console.log(`| ${m.key} | ${n(m.month.p50_ms)} | ${n(o.month.p50_ms)} | ${n(m.trend36.p50_ms)} | ${n(o.trend36.p50_ms)} |`);
  }
}
