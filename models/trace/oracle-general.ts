import {
  type ByteSource,
  emptyRecord,
  TraceInputError,
  type TraceRecord,
  type TraceSource,
} from './record.ts';

/** Bytes of one oracleGeneral record. */
export const ORACLE_RECORD_BYTES = 24;
const TWO32 = 4_294_967_296;
/** Object ids below 2^53 stay numbers; larger ones become "hi:lo" strings (still unique). */
const HI_EXACT = 1 << 21;

/**
 * Streaming reader of libCacheSim's oracleGeneral binary traces: little-endian 24-byte records
 * { uint32 clock_time (s); uint64 obj_id; uint32 obj_size; int64 next_access_vtime }. The
 * next-access field is not needed (OPT computes its own) and is skipped. A file whose length is
 * not a multiple of 24 fails at the byte offset of the partial record.
 */
export class OracleGeneralReader implements TraceSource {
  private readonly record = emptyRecord();
  private readonly buf = new Uint8Array(ORACLE_RECORD_BYTES * 43_690);
  private readonly view = new DataView(this.buf.buffer);
  private pos = 0;
  private filled = 0;
  private offset = 0;
  private eof = false;
  private readonly source: ByteSource;

  constructor(source: ByteSource) {
    this.source = source;
  }

  next(): TraceRecord | undefined {
    if (this.filled - this.pos < ORACLE_RECORD_BYTES) {
      this.refill();
      if (this.filled - this.pos < ORACLE_RECORD_BYTES) {
        if (this.filled === this.pos) return undefined;
        const left = this.filled - this.pos;
        throw new TraceInputError(
          `${this.source.name}: byte offset ${this.offset + this.pos}: expected a 24-byte oracleGeneral record, the file ends after ${left} byte${left === 1 ? '' : 's'} (is this an oracleGeneral trace? compressed .zst traces must be decompressed first)`,
        );
      }
    }
    const v = this.view;
    const p = this.pos;
    const r = this.record;
    r.time = v.getUint32(p, true) * 1e6;
    const lo = v.getUint32(p + 4, true);
    const hi = v.getUint32(p + 8, true);
    r.key = hi < HI_EXACT ? hi * TWO32 + lo : `${hi}:${lo}`;
    r.size = v.getUint32(p + 12, true);
    this.pos = p + ORACLE_RECORD_BYTES;
    return r;
  }

  private refill(): void {
    while (!this.eof && this.filled - this.pos < ORACLE_RECORD_BYTES) {
      if (this.pos > 0) {
        this.buf.copyWithin(0, this.pos, this.filled);
        this.offset += this.pos;
        this.filled -= this.pos;
        this.pos = 0;
      }
      const n = this.source.read(this.buf.subarray(this.filled));
      if (n === 0) this.eof = true;
      this.filled += n;
    }
  }
}

/** Encodes requests as oracleGeneral bytes (tests, examples, converting traces). */
export function encodeOracleGeneral(
  rows: readonly { readonly time: number; readonly id: number; readonly size: number }[],
): Uint8Array {
  const out = new Uint8Array(rows.length * ORACLE_RECORD_BYTES);
  const v = new DataView(out.buffer);
  rows.forEach((r, i) => {
    const p = i * ORACLE_RECORD_BYTES;
    v.setUint32(p, r.time, true);
    v.setUint32(p + 4, r.id % TWO32, true);
    v.setUint32(p + 8, Math.floor(r.id / TWO32), true);
    v.setUint32(p + 12, r.size, true);
    v.setInt32(p + 16, -1, true);
    v.setInt32(p + 20, -1, true);
  });
  return out;
}
