import type { HttpRequest, WriteLedger } from '../http/messages.ts';

/** Methods RFC 9110 calls safe: they never write. */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A fresh ledger for a logical request of `method`, or undefined for a safe method. */
export function ledgerFor(method: string): WriteLedger | undefined {
  return SAFE_METHODS.has(method) ? undefined : { appliedBy: [] };
}

/**
 * Notes that attempt `req` applied a write. Returns true when it is a duplicate: another
 * attempt of the same logical request applied one before (several writes by one attempt, as
 * in a handler that writes two rows, count once). Requests without a ledger never duplicate.
 */
export function noteApplied(req: HttpRequest | undefined): boolean {
  const ledger = req?.ledger;
  if (ledger === undefined) return false;
  const by = ledger.appliedBy;
  if (by.includes(req!.id)) return false;
  by.push(req!.id);
  return by.length > 1;
}
