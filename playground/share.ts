// The URL fragment of a shared playground: the scenario text, seed and run options, compressed
// with lz-string, plus the version of the engine that made the link (`#v=0.1.0&s=…`).
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';

/** Run modes of the playground: one scenario's replications, or its variants side by side. */
export type RunMode = 'run' | 'compare';

/** What a link reproduces: the scenario text and the options of the run. */
export interface SharedState {
  readonly scenario: string;
  /** Overrides the scenario's seed (like `--seed`). */
  readonly seed?: number;
  /** Overrides run.replications (like `--replications`). */
  readonly replications?: number;
  /** Overrides run.maxEvents, the event budget per replication (like `--set run.maxEvents=N`). */
  readonly maxEvents?: number;
  readonly mode?: RunMode;
  /** Bundled scenario file the text came from, if any (menu selection). */
  readonly file?: string;
}

/** A decoded fragment: the state and the engine version it was made with. */
export type DecodedFragment =
  | { readonly ok: true; readonly version: string; readonly state: SharedState }
  | { readonly ok: false; readonly message: string };

/** Encodes state as a URL fragment (without '#'); `version` is the engine's package version. */
export function encodeFragment(state: SharedState, version: string): string {
  const s = compressToEncodedURIComponent(JSON.stringify(state));
  return `v=${encodeURIComponent(version)}&s=${s}`;
}

const wholeNumber = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Decodes a fragment (with or without '#'); never throws, says what is wrong instead. */
export function decodeFragment(fragment: string): DecodedFragment {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  const version = params.get('v');
  const packed = params.get('s');
  if (version === null || packed === null)
    return { ok: false, message: 'the link has no scenario (expected #v=VERSION&s=DATA)' };
  const text = decompressFromEncodedURIComponent(packed);
  if (text === null || text === '')
    return { ok: false, message: 'the link is damaged: its scenario data does not decompress' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, message: 'the link is damaged: its scenario data is not JSON' };
  }
  if (value === null || typeof value !== 'object' || typeof (value as any).scenario !== 'string')
    return { ok: false, message: 'the link is damaged: it holds no scenario text' };
  const v = value as Record<string, unknown>;
  const state: Record<string, unknown> = { scenario: v.scenario };
  for (const k of ['seed', 'replications', 'maxEvents'] as const)
    if (wholeNumber(v[k])) state[k] = v[k];
  if (v.mode === 'run' || v.mode === 'compare') state.mode = v.mode;
  if (typeof v.file === 'string') state.file = v.file;
  return { ok: true, version, state: state as unknown as SharedState };
}
