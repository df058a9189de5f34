// Maps our validator's JSON Pointers to ranges of the editor text (jsonc-parser keeps offsets),
// so an issue of `stacksim validate` is underlined where it is in the file.
import { findNodeAtLocation, type Node, parseTree } from 'jsonc-parser';
import type { ScenarioIssue } from '../models/scenario/issues.ts';

/** A range of the text, offsets in UTF-16 code units. */
export interface TextRange {
  readonly from: number;
  readonly to: number;
}

/** Splits a JSON Pointer into its segments (RFC 6901 unescaping). */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** The offset of a 1-based line and column, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + Math.max(0, column - 1));
}

function segmentsFor(root: Node, segments: readonly string[]): (string | number)[] {
  const out: (string | number)[] = [];
  let node: Node | undefined = root;
  for (const s of segments) {
    if (node?.type === 'array' && /^\d+$/.test(s)) out.push(Number(s));
    else out.push(s);
    node = node === undefined ? undefined : findNodeAtLocation(node, [out[out.length - 1]!]);
  }
  return out;
}

/**
 * Where an issue belongs in the text: the key of the property it names (for a value, the whole
 * `"key": value`'s key), or the nearest enclosing node that exists (a missing field marks the
 * object's opening key); syntax errors ('not valid JSON: line L, column C') at that character.
 */
export function issueRange(text: string, issue: ScenarioIssue): TextRange {
  const syntax = /line (\d+), column (\d+)/.exec(issue.message);
  if (issue.pointer === '' && syntax !== null) {
    const at = offsetOf(text, Number(syntax[1]), Number(syntax[2]));
    return { from: at, to: Math.min(text.length, at + 1) };
  }
  const root = parseTree(text);
  if (root === undefined) return { from: 0, to: Math.min(1, text.length) };
  const path = segmentsFor(root, pointerSegments(issue.pointer));
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? root : findNodeAtLocation(root, path.slice(0, n));
    if (node === undefined) continue;
    const prop = node.parent?.type === 'property' ? node.parent : undefined;
    const key = prop?.children?.[0];
    if (key !== undefined && n > 0) return { from: key.offset, to: key.offset + key.length };
    // an array element or the root: the first line of the node
    const end = text.indexOf('\n', node.offset);
    const lineEnd = end < 0 ? node.offset + node.length : end;
    return {
      from: node.offset,
      to: Math.max(node.offset + 1, Math.min(lineEnd, node.offset + node.length)),
    };
  }
  return { from: 0, to: Math.min(1, text.length) };
}

/** The 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
