// bench/lib.mjs — what the benchmarks share: a release server on a seeded
// database, requests with a user's API token, and the server's own timing of
// each request ("ms" in its JSON request log), so client and network time
// are left out.
import { spawn, spawnSync } from 'node:child_process';

export const bin = process.env.SAFEGUARD_BIN || 'build/safeguard';

/** Starts `safeguard serve` on db; returns {url, time(path), report(label, paths, n), stop()}. */
export async function startBench(db, username = 'supervisor') {
  const token = spawnSync(bin, ['token', 'create', '--db', db, '--username', username, '--name', 'bench'],
    { encoding: 'utf8' }).stdout.trim();
  const srv = spawn(bin, ['serve', '--db', db, '--listen', '127.0.0.1:0'],
    { env: { ...process.env, SAFEGUARD_LOG_REQUESTS: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const timings = new Map(); // request id -> server ms
  let buf = '';
  const url = await new Promise((resolve, reject) => {
    srv.stderr.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const m = line.match(/listening on (http:\/\/[0-9.]+:\d+)/);
        if (m) resolve(m[1]);
        if (line.startsWith('{')) {
          try {
            const j = JSON.parse(line);
            if (j.request_id) timings.set(j.request_id, j.ms);
          } catch { /* not a request line */ }
        }
      }
    });
    srv.on('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  const headers = { authorization: `Bearer ${token}` };
  async function time(path) {
    const r = await fetch(url + path, { headers });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
    return r.headers.get('x-request-id');
  }
  const pct = (a, p) => a[Math.min(a.length - 1, Math.floor((a.length * p) / 100))];
  /** Requests path(i) n times (after 10% warm-up) and prints median and p95. */
  async function report(label, path, n = 200) {
    const ids = [];
    const warm = Math.max(2, Math.floor(n / 10));
    for (let i = 0; i < n + warm; i++) {
      const id = await time(path(i));
      if (i >= warm) ids.push(id);
    }
    await new Promise((r) => setTimeout(r, 100)); // let the log lines arrive
    const ms = ids.map((id) => timings.get(id)).filter((x) => x !== undefined).sort((a, b) => a - b);
    console.log(`  ${label.padEnd(44)} median ${pct(ms, 50).toFixed(2)}  p95 ${pct(ms, 95).toFixed(2)}  (n=${ms.length})`);
  }
  return { url, time, report, stop: () => srv.kill('SIGTERM') };
}
