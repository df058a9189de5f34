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

/** The bytes of a string as UTF-8 (models have no TextEncoder). */
export function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** CRC-32 of a string's UTF-8 bytes (NGINX `ngx_crc32_long`). */
export function crc32(s: string): number {
  return (crc32Update(0xffffffff, utf8(s)) ^ 0xffffffff) >>> 0;
}
