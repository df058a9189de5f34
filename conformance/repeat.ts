// Runs one group of conformance cases several times in a row and prints each run's agreement,
// to show a case holds under load: node scripts/run-ts.mjs conformance/repeat.ts GROUP [N]
// (GROUP: nginx-limit, nginx-upstream, nginx-hash, haproxy). Nothing is written.
import { haproxyCases } from './cases/haproxy.ts';
import { haproxyCheckCases } from './cases/haproxy-checks.ts';
import { haproxyHashCases } from './cases/haproxy-hash.ts';
import { nginxHashCases } from './cases/nginx-hash.ts';
import { nginxLimitCases } from './cases/nginx-limit.ts';
import { nginxUpstreamCases } from './cases/nginx-upstream.ts';
import type { CaseResult } from './compare.ts';
import { findBinary, stopAll } from './servers.ts';

const GROUPS: Record<string, [string, (bin: string) => Promise<CaseResult[]>]> = {
  'nginx-limit': ['nginx', nginxLimitCases],
  'nginx-upstream': ['nginx', nginxUpstreamCases],
  'nginx-hash': ['nginx', nginxHashCases],
  haproxy: ['haproxy', haproxyCases],
  'haproxy-hash': ['haproxy', haproxyHashCases],
  'haproxy-checks': ['haproxy', haproxyCheckCases],
};

async function main(): Promise<number> {
  const [group = '', times = '5'] = process.argv.slice(2);
  const g = GROUPS[group];
  const n = Math.min(20, Math.max(1, Number(times) || 1));
  if (g === undefined) {
    console.error(`usage: repeat.ts ${Object.keys(GROUPS).join('|')} [runs ≤ 20]`);
    return 2;
  }
  const bin = findBinary(g[0]);
  if (bin === undefined) {
    console.error(`${g[0]} not found`);
    return 2;
  }
  let failed = false;
  for (let k = 1; k <= n; k++) {
    const t = performance.now();
    for (const r of await g[1](bin)) {
      const pct = ((100 * r.agreed) / Math.max(1, r.compared)).toFixed(1);
      console.log(
        `run ${k} ${r.pass ? 'ok  ' : 'FAIL'} ${r.feature}: ${r.agreed}/${r.compared} (${pct}%)${r.measure === undefined ? '' : ` ${r.measure}`}`,
      );
      for (const d of r.disagreements) console.log(`       ${d}`);
      if (!r.pass && r.knownDefect === undefined) failed = true;
    }
    console.log(`run ${k}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  return failed ? 1 : 0;
}

main()
  .then(async (code) => {
    await stopAll();
    process.exitCode = code;
  })
  .catch(async (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    await stopAll();
    process.exitCode = 1;
  });
