import { checkoutGroup } from './checkout.ts';
import { holdGroup } from './hold.ts';
import type { BenchGroup } from './measure.ts';
import { memoryGroup } from './memory.ts';
import { mm1Group } from './mm1.ts';

/** Every benchmark group, in run order. A new group is one file plus one line here. */
export const GROUPS: readonly BenchGroup[] = [holdGroup, mm1Group, memoryGroup, checkoutGroup];
