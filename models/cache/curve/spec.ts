import {
  POLICY_NAMES,
  type PolicyName,
  type PolicyTuning,
  TUNING_KEYS,
} from '../policies/index.ts';

/** A policy of a curve: its name, its tuning, and the label it gets in the output. */
export interface CurvePolicy {
  readonly label: string;
  readonly name: PolicyName | 'opt';
  readonly tuning: PolicyTuning;
}

/** Curve policy names: every eviction policy plus Belady's OPT. */
export const CURVE_POLICY_NAMES: readonly string[] = [...POLICY_NAMES, 'opt'];

/** A spec that cannot be parsed: the message says which part and what was expected. */
export type SpecResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parses `lru,s3-fifo(smallRatio=0.2;moveToMainThreshold=2),opt(bypass=false)`: policy names,
 * each with optional tuning in parentheses (key=value separated by ';' or ','). Keys and values
 * are checked against PolicyTuning.
 */
export function parsePolicyList(text: string): SpecResult<CurvePolicy[]> {
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if ((ch === ',' && depth === 0) || ch === undefined) {
      parts.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  const out: CurvePolicy[] = [];
  for (const part of parts) {
    const m = /^([a-z0-9-]+)(?:\((.*)\))?$/.exec(part);
    if (m === null)
      return {
        ok: false,
        message: `cannot read policy "${part}" (expected name or name(key=value;…))`,
      };
    const name = m[1]!;
    if (!CURVE_POLICY_NAMES.includes(name)) {
      return {
        ok: false,
        message: `unknown policy "${name}" (policies: ${CURVE_POLICY_NAMES.join(', ')})`,
      };
    }
    const tuning: Record<string, number | boolean> = {};
    for (const kv of (m[2] ?? '')
      .split(/[;,]/)
      .map((s) => s.trim())
      .filter((s) => s !== '')) {
      const eq = kv.indexOf('=');
      const key = eq < 0 ? kv : kv.slice(0, eq).trim();
      const raw = eq < 0 ? '' : kv.slice(eq + 1).trim();
      const kind = TUNING_KEYS[key as keyof typeof TUNING_KEYS];
      if (kind === undefined || !Object.hasOwn(TUNING_KEYS, key)) {
        return {
          ok: false,
          message: `${name}: unknown tuning "${key}" (tunings: ${Object.keys(TUNING_KEYS).join(', ')})`,
        };
      }
      if (kind === 'boolean') {
        if (raw !== 'true' && raw !== 'false')
          return { ok: false, message: `${name}: ${key} expects true or false, got "${raw}"` };
        tuning[key] = raw === 'true';
      } else {
        const v = Number(raw);
        if (raw === '' || !Number.isFinite(v) || v < 0) {
          return {
            ok: false,
            message: `${name}: ${key} expects a non-negative number, got "${raw}"`,
          };
        }
        tuning[key] = v;
      }
    }
    if (out.some((p) => p.label === part))
      return { ok: false, message: `policy "${part}" is listed twice` };
    out.push({ label: part, name: name as PolicyName | 'opt', tuning });
  }
  if (out.length === 0) return { ok: false, message: 'expected at least one policy' };
  return { ok: true, value: out };
}

/** A cache size of a curve: a share of the working set, or an absolute count or byte size. */
export type CurveSize =
  | { readonly label: string; readonly kind: 'share'; readonly value: number }
  | { readonly label: string; readonly kind: 'absolute'; readonly value: number };

/**
 * Parses `0.1%,1%,10%` (shares of the working set: distinct objects, or their bytes), `1000,5000`
 * (objects with --ignore-size, else bytes) or `64MB,1GiB` (bytes) with `parseSize`.
 */
export function parseSizeList(
  text: string,
  parseSize: (t: string) => number | undefined,
): SpecResult<CurveSize[]> {
  const out: CurveSize[] = [];
  for (const raw of text.split(',').map((s) => s.trim())) {
    if (raw.endsWith('%')) {
      const v = Number(raw.slice(0, -1));
      if (raw.length === 1 || !(v > 0 && v <= 100)) {
        return { ok: false, message: `size "${raw}": expected a percentage in (0, 100]` };
      }
      out.push({ label: raw, kind: 'share', value: v / 100 });
      continue;
    }
    const n = /^[0-9]+$/.test(raw) ? Number(raw) : parseSize(raw);
    if (n === undefined || !(n >= 1) || !Number.isFinite(n)) {
      return {
        ok: false,
        message: `size "${raw}": expected a percentage (1%), a count (1000) or a size (64MB)`,
      };
    }
    out.push({ label: raw, kind: 'absolute', value: Math.floor(n) });
  }
  return { ok: true, value: out };
}
