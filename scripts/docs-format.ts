// Regenerates the reference part of docs/scenario-format.md and docs/scenario.schema.json from
// the registered component kinds (`npm run docs:format`); `--check` only reports drift.
import { readFileSync, writeFileSync } from 'node:fs';
import { scenarioJsonSchemaText } from '../models/scenario/json-schema.ts';
import { withGeneratedReference } from '../models/scenario/reference-docs.ts';

const FORMAT_DOC = 'docs/scenario-format.md';
const SCHEMA_FILE = 'docs/scenario.schema.json';
const check = process.argv.includes('--check');
const wanted: [string, string][] = [
  [FORMAT_DOC, withGeneratedReference(readFileSync(FORMAT_DOC, 'utf8'))],
  [SCHEMA_FILE, scenarioJsonSchemaText()],
];
let stale = 0;
for (const [file, text] of wanted) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {}
  if (current === text) continue;
  stale++;
  if (check) console.error(`${file} is out of date: run npm run docs:format`);
  else {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
if (check && stale > 0) process.exitCode = 1;
