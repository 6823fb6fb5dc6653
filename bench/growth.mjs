// bench/growth.mjs — how cost grows with the dataset: reads the figures
// `make bench` wrote at each scale (build/bench/results-<scale>.json for
// small, medium and large: 1%, 10% and 100%), prints a Markdown table of
// each operation's median at one client, and draws docs/performance-growth.svg
// with the project's own chart module (safeguard chart).
//
//   node bench/growth.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const bin = process.env.SAFEGUARD_BIN || 'build/safeguard';
const scales = [['small', '1%'], ['medium', '10%'], ['large', '100%']]
  .filter(([s]) => existsSync(`build/bench/results-${s}.json`));
const runs = scales.map(([s]) => JSON.parse(readFileSync(`build/bench/results-${s}.json`, 'utf8')));
const ops = Object.keys(runs[0].ops).filter((k) => k !== 'healthz' && k !== 'signin');
const p50 = (run, k) => run.ops[k]?.levels['1']?.p50_ms;

console.log(`| operation (median ms, 1 client) | ${scales.map(([s, p]) => `${s} (${p})`).join(' | ')} | growth |`);
console.log(`|---|${scales.map(() => '---:').join('|')}|---:|`);
for (const k of ['healthz', 'signin', ...ops]) {
  const v = runs.map((r) => p50(r, k));
  const g = v[0] ? (v[v.length - 1] / v[0]).toFixed(1) + '×' : '—';
  console.log(`| ${runs[0].ops[k].label} | ${v.map((x) => (x === undefined ? '—' : x.toFixed(2))).join(' | ')} | ${g} |`);
}
// At most six series on one chart: the interactive paths and the board's.
const shown = ['search', 'person', 'incident', 'mywork', 'board_5y', 'pack'].filter((k) => ops.includes(k));
const chart = {
  kind: 'line',
  title: 'How median time grows with the dataset (relative to 1%)',
  x_label: 'Dataset size (share of a large force: 1,000,000 people)',
  y_label: 'Median time, times its 1% figure',
  categories: scales.map(([, p]) => p),
  series: shown.map((k) => ({ name: runs[0].ops[k].label,
    values: runs.map((r) => +(p50(r, k) / p50(runs[0], k)).toFixed(2)) })),
};
const svg = execFileSync(bin, ['chart'], { input: JSON.stringify(chart), encoding: 'utf8' });
writeFileSync('docs/performance-growth.svg', svg);
console.log('\n(chart written to docs/performance-growth.svg)');
