// Cycles between folders: the import graph of files, collapsed to folders, must be acyclic,
// except for the file-to-file imports of a short allow-list (each with its reason).
import { importSpecifiers, listTs, read, resolveSpecifier } from './scan.ts';

/** One import of a file by another, both repo-relative. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

/** Every relative import of the .ts files under `dirs` (targets anywhere in the repo). */
export function importEdges(root: string, dirs: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const dir of dirs) {
    for (const from of listTs(root, dir)) {
      for (const { spec } of importSpecifiers(read(root, from))) {
        const to = resolveSpecifier(from, spec);
        if (to !== undefined) edges.push({ from, to });
      }
    }
  }
  return edges;
}

/**
 * The folder cycles of `edges`: each strongly connected set of two or more folders (folderOf
 * maps a file to its folder, or undefined to leave the file out), with one file import per
 * folder-to-folder step inside the set as evidence. Tarjan's algorithm; sorted output.
 */
export function folderCycles(
  edges: readonly ImportEdge[],
  folderOf: (file: string) => string | undefined,
): { folders: string[]; evidence: string[] }[] {
  const graph = new Map<string, Map<string, string>>();
  const node = (f: string) => {
    let m = graph.get(f);
    if (m === undefined) {
      m = new Map();
      graph.set(f, m);
    }
    return m;
  };
  for (const { from, to } of edges) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === undefined || b === undefined || a === b) continue;
    node(b);
    const out = node(a);
    if (!out.has(b)) out.set(b, `${from} -> ${to}`);
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const sets: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of [...graph.get(v)!.keys()].sort()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const set: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        set.push(w);
      } while (w !== v);
      if (set.length > 1) sets.push(set.sort());
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return sets
    .map((folders) => {
      const inSet = new Set(folders);
      const evidence: string[] = [];
      for (const a of folders) {
        for (const [b, why] of graph.get(a)!) if (inSet.has(b)) evidence.push(why);
      }
      return { folders, evidence: evidence.sort() };
    })
    .sort((x, y) => (x.folders[0]! < y.folders[0]! ? -1 : 1));
}
