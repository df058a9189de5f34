import type { Behavior } from './actor.ts';
import { hashString } from './fingerprint.ts';

/** One handler of a behaviour with its message type's fingerprint code. */
export interface Dispatch {
  readonly handler: Behavior<any>['on'][string];
  readonly code: number;
}

/** A behaviour's handlers by message type; shared by the actors of one behaviour. */
export type DispatchTable = { readonly [type: string]: Dispatch | undefined };

/** Builds the table once per behaviour (its keys added in one order, so lookups stay fast). */
export function dispatchTable(behavior: Behavior<any>): DispatchTable {
  const table: { [type: string]: Dispatch } = {};
  for (const type of Object.keys(behavior.on)) {
    table[type] = { handler: behavior.on[type]!, code: hashString(type) };
  }
  return table;
}
