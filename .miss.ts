import { scenarioJsonSchema } from './models/scenario/json-schema.ts';
const s = scenarioJsonSchema();
const missing: string[] = [];
const walk = (node: any, at: string) => {
  if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}/${i}`));
  if (node === null || typeof node !== 'object') return;
  if (node.properties && typeof node.properties === 'object' && !Array.isArray(node.properties))
    for (const [k, sub] of Object.entries(node.properties)) if (typeof (sub as any).description !== 'string') missing.push(`${at} :: ${k}`);
  for (const [k, sub] of Object.entries(node)) walk(sub, `${at}/${k}`);
};
walk(s, '#');
// label component arms with their type const
const arms = (s as any).properties.components.additionalProperties.oneOf.map((o: any) => o.properties.type.const);
console.log(missing.length);
for (const m of missing) console.log(m.replace(/oneOf\/(\d+)/, (_, i) => `[${arms[Number(i)]}]`).replace('#/properties/components/additionalProperties/', ''));
