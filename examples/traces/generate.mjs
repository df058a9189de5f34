// Writes the three small example traces (same 600 requests in each format):
//   node examples/traces/generate.mjs
// Keys follow a skewed (power-law) popularity over 60 objects; one request every 5 ms.
import { writeFileSync } from 'node:fs';

const rows = [];
let x = 12345;
for (let i = 0; i < 600; i++) {
  x = (x * 48271) % 2147483647;
  const key = 1 + Math.floor((x / 2147483647) ** 3 * 60);
  rows.push({ ms: i * 5, key, size: 200 + ((key * 37) % 800), user: 1 + (key % 7) });
}
const dir = new URL('.', import.meta.url);
writeFileSync(
  new URL('small.csv', dir),
  `time,method,path,key,user,size\n${rows.map((r) => `${(r.ms / 1000).toFixed(3)},GET,/item/${r.key},${r.key},${r.user},${r.size}`).join('\n')}\n`,
);
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const clf = (s) => {
  const d = new Date(Date.UTC(2024, 2, 1, 12, 0, 0) + s * 1000);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
};
// access logs have one-second resolution: spread the same requests over 600 s (one per second)
writeFileSync(
  new URL('small.access.log', dir),
  `${rows
    .map(
      (r, i) =>
        `10.0.0.${r.user} - - [${clf(i)}] "GET /item/${r.key} HTTP/1.1" 200 ${r.size} "-" "curl/8.5.0"`,
    )
    .join('\n')}\n`,
);
const bin = Buffer.alloc(rows.length * 24);
rows.forEach((r, i) => {
  bin.writeUInt32LE(Math.floor(r.ms / 1000), i * 24);
  bin.writeBigUInt64LE(BigInt(r.key), i * 24 + 4);
  bin.writeUInt32LE(r.size, i * 24 + 12);
  bin.writeBigInt64LE(-1n, i * 24 + 16);
});
writeFileSync(new URL('small.oracleGeneral.bin', dir), bin);
