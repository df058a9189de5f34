import { browserGroup } from './browser.ts';
import { cacheGroup } from './cache.ts';
import { cacheCurveGroup } from './cache-curve.ts';
import { checkoutGroup } from './checkout.ts';
import { costGroup } from './cost.ts';
import { distributedGroup } from './distributed.ts';
import { experimentsGroup } from './experiments.ts';
import { histogramGroup } from './histogram.ts';
import { holdGroup } from './hold.ts';
import { lbGroup } from './lb.ts';
import type { BenchGroup } from './measure.ts';
import { memoryGroup } from './memory.ts';
import { mm1Group } from './mm1.ts';
import { ratelimitGroup } from './ratelimit.ts';
import { scenariosGroup } from './scenarios.ts';

/** Every benchmark group, in run order. A new group is one file plus one line here. */
export const GROUPS: readonly BenchGroup[] = [
  holdGroup,
  mm1Group,
  memoryGroup,
  checkoutGroup,
  scenariosGroup,
  costGroup,
  histogramGroup,
  lbGroup,
  cacheGroup,
  cacheCurveGroup,
  experimentsGroup,
  distributedGroup,
  ratelimitGroup,
  browserGroup,
];
