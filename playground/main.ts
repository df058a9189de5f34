// The playground page: a menu of the bundled scenarios, the schema-aware editor, run options,
// the engine in a Web Worker (progress, cancel), results and a shareable link. Every failure is
// shown in the page; nothing is sent anywhere (the site is static and works offline).
import type { EditorView } from '@codemirror/view';
import type { ScenarioIssue } from '../models/scenario/issues.ts';
import { scenarioJsonSchema } from '../models/scenario/json-schema.ts';
import { loadScenarioText } from '../models/scenario/load.ts';
import { createEditor, setText } from './editor.ts';
import { issueRange, lineOf } from './positions.ts';
import type { RunOptions, WorkerReply } from './protocol.ts';
import { showResults } from './results-view.ts';
import type { Schema } from './schema-nav.ts';
import { decodeFragment, encodeFragment, type RunMode, type SharedState } from './share.ts';

declare const __STACKSIM_VERSION__: string;
const VERSION = __STACKSIM_VERSION__;
const DEFAULT_FILE = 'checkout.json';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const menu = $<HTMLSelectElement>('scenario-menu');
const mode = $<HTMLSelectElement>('mode');
const seed = $<HTMLInputElement>('seed');
const replications = $<HTMLInputElement>('replications');
const maxEvents = $<HTMLInputElement>('max-events');
const runButton = $<HTMLButtonElement>('run');
const cancelButton = $<HTMLButtonElement>('cancel');
const status = $('status');
const progress = $<HTMLProgressElement>('progress');

function notice(text: string | undefined, kind: 'error' | 'info' = 'error'): void {
  const n = $('notice');
  n.hidden = text === undefined;
  n.className = kind === 'info' ? 'info' : '';
  n.textContent = text ?? '';
}

function setStatus(text: string, bad = false): void {
  status.textContent = text;
  status.className = bad ? 'bad' : '';
}

window.addEventListener('error', (e) => notice(`Unexpected error: ${e.message}`));
window.addEventListener('unhandledrejection', (e) =>
  notice(`Unexpected error: ${String(e.reason)}`),
);

let editor: EditorView | undefined;

function validate(text: string): readonly ScenarioIssue[] {
  const r = loadScenarioText(text);
  return r.ok ? [] : r.issues;
}

/** Lists the validator's issues under the editor, each with its line and a jump button. */
function listIssues(issues: readonly ScenarioIssue[], text: string): void {
  const box = $('problems');
  box.replaceChildren();
  if (issues.length === 0) {
    const ok = document.createElement('span');
    ok.className = 'ok';
    ok.textContent = 'valid scenario';
    box.append(ok);
    return;
  }
  const ul = document.createElement('ul');
  ul.setAttribute('aria-label', `${issues.length} problems`);
  for (const issue of issues) {
    const r = issueRange(text, issue);
    const line = lineOf(text, r.from);
    const li = document.createElement('li');
    li.dataset.line = String(line);
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = `line ${line}: ${issue.pointer === '' ? '' : `${issue.pointer}: `}${issue.message}`;
    b.onclick = () => {
      editor?.dispatch({ selection: { anchor: r.from, head: r.to }, scrollIntoView: true });
      editor?.focus();
    };
    li.append(b);
    ul.append(li);
  }
  box.append(ul);
}

const whole = (input: HTMLInputElement, name: string): number | undefined | Error => {
  const t = input.value.trim();
  if (t === '') return undefined;
  if (!/^\d{1,15}$/.test(t)) return new Error(`${name} expects a whole number, got "${t}"`);
  return Number(t);
};

function options(): RunOptions | Error {
  const s = whole(seed, 'seed');
  const r = whole(replications, 'replications');
  const m = whole(maxEvents, 'event budget');
  for (const v of [s, r, m]) if (v instanceof Error) return v;
  return {
    mode: mode.value as RunMode,
    ...(s === undefined ? {} : { seed: s as number }),
    ...(r === undefined ? {} : { replications: r as number }),
    ...(m === undefined ? {} : { maxEvents: m as number }),
  };
}

// ---- the worker: one at a time; cancel terminates it and starts a fresh one
let worker: Worker | undefined;
let running: number | undefined;
let nextId = 1;

function newWorker(): Worker {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  w.onmessage = (e: MessageEvent<WorkerReply>) => onReply(e.data);
  w.onerror = (e) => {
    e.preventDefault();
    finish();
    setStatus(`The engine worker failed: ${e.message || 'could not load worker.js'}`, true);
  };
  return w;
}

function finish(): void {
  running = undefined;
  runButton.disabled = false;
  cancelButton.disabled = true;
  progress.hidden = true;
  document.body.dataset.state = 'idle';
}

function onReply(reply: WorkerReply): void {
  if (reply.id !== running) return;
  if (reply.kind === 'progress') {
    progress.value = reply.fraction;
    setStatus(reply.label);
    return;
  }
  finish();
  if (reply.kind === 'done') {
    const o = reply.output;
    setStatus(
      `${o.name}: ${o.partial ? `PARTIAL results (stopped by the ${o.stoppedBy} budget)` : 'done'} · ${o.events.toLocaleString('en-US')} events in ${o.wallSeconds.toFixed(2)} s`,
      o.partial,
    );
    showResults(o);
    document.body.dataset.state = 'done';
  } else if (reply.kind === 'invalid') {
    setStatus(
      `Not run: ${reply.issues.map((i) => (i.pointer === '' ? i.message : `${i.pointer}: ${i.message}`)).join('\n')}`,
      true,
    );
  } else {
    setStatus(`Run failed: ${reply.message}`, true);
  }
}

function run(): void {
  if (running !== undefined || editor === undefined) return;
  const text = editor.state.doc.toString();
  const issues = validate(text);
  listIssues(issues, text);
  if (issues.length > 0) {
    setStatus(`Not run: fix the ${issues.length} problem(s) listed under the editor first.`, true);
    return;
  }
  const o = options();
  if (o instanceof Error) {
    setStatus(o.message, true);
    return;
  }
  worker ??= newWorker();
  running = nextId++;
  runButton.disabled = true;
  cancelButton.disabled = false;
  progress.hidden = false;
  progress.value = 0;
  document.body.dataset.state = 'running';
  setStatus('Starting…');
  worker.postMessage({ kind: 'run', id: running, text, options: o });
}

function cancel(): void {
  if (running === undefined) return;
  worker?.terminate();
  worker = undefined;
  finish();
  document.body.dataset.state = 'cancelled';
  setStatus('Cancelled: the run was stopped and nothing was kept.');
}

// ---- scenarios, sharing
async function loadFile(file: string): Promise<void> {
  const r = await fetch(`scenarios/${encodeURIComponent(file)}`);
  if (!r.ok) throw new Error(`scenarios/${file}: HTTP ${r.status}`);
  if (editor !== undefined) setText(editor, await r.text());
}

function share(): void {
  if (editor === undefined) return;
  const o = options();
  if (o instanceof Error) {
    setStatus(o.message, true);
    return;
  }
  const state: SharedState = { scenario: editor.state.doc.toString(), ...o, file: menu.value };
  history.replaceState(null, '', `#${encodeFragment(state, VERSION)}`);
  const link = $<HTMLInputElement>('share-link');
  link.value = location.href;
  $('share-box').hidden = false;
  link.focus();
  link.select();
  void navigator.clipboard?.writeText(location.href).catch(() => undefined);
}

function applyState(state: SharedState): void {
  seed.value = state.seed === undefined ? '' : String(state.seed);
  replications.value = state.replications === undefined ? '' : String(state.replications);
  maxEvents.value = state.maxEvents === undefined ? '' : String(state.maxEvents);
  mode.value = state.mode ?? 'run';
  if (state.file !== undefined && [...menu.options].some((x) => x.value === state.file))
    menu.value = state.file;
}

async function start(): Promise<void> {
  $('version').textContent = `engine ${VERSION}`;
  const list = await fetch('scenarios/index.json').then((r) => r.json() as Promise<string[]>);
  for (const f of list) menu.append(new Option(f.replace(/\.json$/, ''), f));
  const schema = scenarioJsonSchema() as Schema;
  editor = createEditor($('editor'), '', { schema, validate, onIssues: listIssues, onRun: run });
  const hash = location.hash;
  const decoded = hash.length > 1 ? decodeFragment(hash) : undefined;
  if (decoded?.ok === true) {
    applyState(decoded.state);
    setText(editor, decoded.state.scenario);
    if (decoded.version !== VERSION)
      notice(
        `This link was made with stacksim ${decoded.version}; this page runs ${VERSION}. Results may differ from the ones it was shared with.`,
        'info',
      );
  } else {
    if (decoded !== undefined) notice(`Could not open the link: ${decoded.message}`);
    menu.value = list.includes(DEFAULT_FILE) ? DEFAULT_FILE : (list[0] ?? '');
    await loadFile(menu.value);
  }
  menu.onchange = () => {
    applyState({ scenario: '', file: menu.value });
    loadFile(menu.value).catch((e: Error) => notice(e.message));
  };
  runButton.onclick = run;
  cancelButton.onclick = cancel;
  $('share').onclick = share;
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      run();
    } else if (e.key === 'Escape' && running !== undefined) cancel();
  });
  document.body.dataset.state = 'idle';
}

start().catch((e: Error) =>
  notice(
    `The playground could not start: ${e.message}.${location.protocol === 'file:' ? ' Open it through a web server (stacksim playground), not as a file.' : ''}`,
  ),
);
