// `npm run conformance`: differential tests of stacksim against the real nginx, haproxy, redis
// and varnish on 127.0.0.1; writes docs/conformance.md. Exit 1 when a target is missed or, with
// CI=true, when a product's binary is missing (locally that product is skipped). A suite that
// misses a target runs a second time, whose results stand (the first attempt's are noted).
import { resolve } from 'node:path';
import { haproxyCases } from './cases/haproxy.ts';
import { haproxyCheckCases } from './cases/haproxy-checks.ts';
import { haproxyHashCases } from './cases/haproxy-hash.ts';
import { nginxHashCases } from './cases/nginx-hash.ts';
import { nginxLimitCases } from './cases/nginx-limit.ts';
import { nginxUpstreamCases } from './cases/nginx-upstream.ts';
import { redisCases } from './cases/redis.ts';
import { redisEvictionCases } from './cases/redis-evict.ts';
import { redisScriptCases } from './cases/redis-scripts.ts';
import { varnishCases } from './cases/varnish.ts';
import type { CaseResult } from './compare.ts';
import { type Skipped, writeConformanceDoc } from './report.ts';
import { findBinary, stopAll } from './servers.ts';

/** One product: its binary, the Debian package shipping it, and its cases. */
interface Suite {
  readonly product: string;
  readonly binary: string;
  readonly pkg: string;
  readonly run: (binary: string) => Promise<CaseResult[]>;
}

const SUITES: readonly Suite[] = [
  {
    product: 'nginx',
    binary: 'nginx',
    pkg: 'nginx',
    run: async (bin) => [
      ...(await nginxLimitCases(bin)),
      ...(await nginxUpstreamCases(bin)),
      ...(await nginxHashCases(bin)),
    ],
  },
  {
    product: 'haproxy',
    binary: 'haproxy',
    pkg: 'haproxy',
    run: async (bin) => [
      ...(await haproxyCases(bin)),
      ...(await haproxyHashCases(bin)),
      ...(await haproxyCheckCases(bin)),
    ],
  },
  {
    product: 'redis',
    binary: 'redis-server',
    pkg: 'redis-server',
    run: async (bin) => [
      ...(await redisCases(bin)),
      ...(await redisScriptCases(bin)),
      ...(await redisEvictionCases(bin)),
    ],
  },
  { product: 'varnish', binary: 'varnishd', pkg: 'varnish', run: varnishCases },
];

/** The whole harness stops (servers by PID) after this long: CI allows 10 minutes. */
const WATCHDOG_MS = 9 * 60 * 1000;

async function main(): Promise<number> {
  const ci = process.env.CI === 'true';
  const only = process.argv.slice(2);
  const results: CaseResult[] = [];
  const skipped: Skipped[] = [];
  let failed = false;
  for (const suite of SUITES) {
    if (only.length > 0 && !only.includes(suite.product)) continue;
    const bin = findBinary(suite.binary);
    if (bin === undefined) {
      const reason = `\`${suite.binary}\` not found (apt-get install ${suite.pkg})`;
      console.error(`${suite.product}: ${reason}${ci ? '' : '; skipped'}`);
      skipped.push({ product: suite.product, reason });
      if (ci) failed = true;
      continue;
    }
    const t = performance.now();
    let rs = await suite.run(bin);
    // The product side runs on real timers: on a busy machine one arrival can land on a
    // rate limiter's edge and tip the decisions after it. A suite with a missed target runs
    // once more, and the second attempt's results stand, each saying what the first gave.
    const missed = rs.filter((r) => !r.pass && r.knownDefect === undefined);
    if (missed.length > 0) {
      for (const r of missed)
        console.log(`retry ${r.product}: ${r.feature}: first attempt ${r.agreed}/${r.compared}`);
      const first = new Map(missed.map((r) => [r.feature, r]));
      rs = (await suite.run(bin)).map((r) => {
        const was = first.get(r.feature);
        return was === undefined
          ? r
          : {
              ...r,
              note: `${r.note ?? ''}${r.note === undefined ? '' : ' '}Second attempt: the first agreed on ${was.agreed}/${was.compared}.`,
            };
      });
    }
    for (const r of rs) {
      const tag = r.pass ? 'ok  ' : r.knownDefect !== undefined ? 'KNOWN' : 'FAIL';
      console.log(
        `${tag} ${r.product}: ${r.feature}: ${r.agreed}/${r.compared}${r.measure === undefined ? '' : ` (${r.measure})`}`,
      );
      for (const d of r.disagreements) console.log(`       ${d}`);
      if (!r.pass && r.knownDefect === undefined) failed = true;
    }
    console.log(`${suite.product}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    results.push(...rs);
  }
  if (only.length === 0) {
    writeConformanceDoc(resolve('.'), results, skipped);
    console.log('wrote docs/conformance.md');
  }
  return failed ? 1 : 0;
}

const watchdog = setTimeout(() => {
  console.error(`conformance: over ${WATCHDOG_MS / 60000} minutes; stopping the servers`);
  void stopAll().then(() => process.exit(1));
}, WATCHDOG_MS);
main()
  .then(async (code) => {
    clearTimeout(watchdog);
    await stopAll();
    process.exitCode = code;
  })
  .catch(async (e: unknown) => {
    clearTimeout(watchdog);
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    await stopAll();
    process.exitCode = 1;
  });
