import { utf8Bytes } from '../core/utf8.ts';

/** CRC-32 (IEEE 802.3, reflected, as zlib and NGINX's ngx_crc32_long compute it). */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** Continues a CRC-32 register (start 0xffffffff) over `bytes`; finish with `^ 0xffffffff`. */
export function crc32Update(crc: number, bytes: ArrayLike<number>): number {
  let c = crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return c >>> 0;
}

/** CRC-32 of a string's UTF-8 bytes (NGINX `ngx_crc32_long`). */
export function crc32(s: string): number {
  return (crc32Update(0xffffffff, utf8Bytes(s)) ^ 0xffffffff) >>> 0;
}
