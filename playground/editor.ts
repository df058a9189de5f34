// The scenario editor: CodeMirror 6 with JSON highlighting, completion and hover from the
// scenario JSON Schema, and inline errors from our own validator (the one `stacksim validate`
// runs), so the editor and the command line always report the same problems.
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { json } from '@codemirror/lang-json';
import {
  bracketMatching,
  defaultHighlightStyle,
  foldGutter,
  foldKeymap,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { type Diagnostic, linter, lintGutter, lintKeymap } from '@codemirror/lint';
import { searchKeymap } from '@codemirror/search';
import { EditorState, type Extension, Transaction } from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  hoverTooltip,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { getLocation, parse } from 'jsonc-parser';
import type { ScenarioIssue } from '../models/scenario/issues.ts';
import { issueRange } from './positions.ts';
import { hoverText, propertyProposals, type Schema, valueProposals } from './schema-nav.ts';

/** What the editor needs from the page. */
export interface EditorHooks {
  readonly schema: Schema;
  /** Our validator on the text: every issue, sorted (empty when valid). */
  readonly validate: (text: string) => readonly ScenarioIssue[];
  /** Called after each lint pass with the issues found (the page lists them). */
  readonly onIssues: (issues: readonly ScenarioIssue[], text: string) => void;
  /** Ctrl/Cmd-Enter. */
  readonly onRun: () => void;
}

const lenientParse = (text: string): unknown => parse(text, [], { allowTrailingComma: true });

function keysAt(doc: unknown, path: readonly (string | number)[]): string[] {
  let v = doc;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as any)[seg] : undefined;
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}

function completion(schema: Schema) {
  return (ctx: CompletionContext) => {
    const text = ctx.state.doc.toString();
    const loc = getLocation(text, ctx.pos);
    const word = ctx.matchBefore(/"?[^\s"{}[\],:]*"?/);
    if (word === null || (word.from === word.to && !ctx.explicit && !loc.isAtPropertyKey))
      return null;
    const doc = lenientParse(text);
    let options: Completion[];
    if (loc.isAtPropertyKey) {
      const path = loc.path.slice(0, -1);
      options = propertyProposals(schema, path, doc, keysAt(doc, path)).map((p) => ({
        label: `"${p.label}"`,
        apply: `"${p.label}": `,
        type: 'property',
        ...(p.detail === undefined ? {} : { detail: p.detail }),
        ...(p.info === undefined ? {} : { info: p.info }),
      }));
    } else {
      options = valueProposals(schema, loc.path, doc).map((p) => ({
        label: p.label,
        type: 'constant',
        ...(p.info === undefined ? {} : { info: p.info }),
      }));
    }
    if (options.length === 0) return null;
    return { from: word.from, to: word.to, options, validFor: /^"?[^\s"{}[\],:]*"?$/ };
  };
}

function hover(schema: Schema) {
  return hoverTooltip((view, pos) => {
    const text = view.state.doc.toString();
    const loc = getLocation(text, pos);
    const node = loc.previousNode;
    if (node === undefined || loc.path.length === 0) return null;
    const info = hoverText(schema, loc.path, lenientParse(text));
    if (info === undefined) return null;
    return {
      pos: node.offset,
      end: node.offset + node.length,
      above: true,
      create: () => {
        const dom = document.createElement('div');
        dom.className = 'schema-hover';
        dom.textContent = info;
        return { dom };
      },
    };
  });
}

function validatorLinter(hooks: EditorHooks) {
  return linter(
    (view) => {
      const text = view.state.doc.toString();
      const issues = hooks.validate(text);
      hooks.onIssues(issues, text);
      return issues.map((issue): Diagnostic => {
        const r = issueRange(text, issue);
        return {
          from: r.from,
          to: Math.max(r.to, r.from),
          severity: 'error',
          source: 'stacksim validate',
          message: issue.pointer === '' ? issue.message : `${issue.pointer}: ${issue.message}`,
        };
      });
    },
    { delay: 250 },
  );
}

/** Creates the editor in `parent` with `text`; Tab leaves the editor (keyboard users). */
export function createEditor(parent: HTMLElement, text: string, hooks: EditorHooks): EditorView {
  const extensions: Extension[] = [
    lineNumbers(),
    highlightActiveLineGutter(),
    foldGutter(),
    history(),
    drawSelection(),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    EditorView.lineWrapping,
    json(),
    autocompletion({ override: [completion(hooks.schema)], icons: false }),
    hover(hooks.schema),
    validatorLinter(hooks),
    lintGutter(),
    keymap.of([
      {
        key: 'Mod-Enter',
        run: () => {
          hooks.onRun();
          return true;
        },
      },
      ...closeBracketsKeymap,
      ...defaultKeymap,
      ...searchKeymap,
      ...historyKeymap,
      ...foldKeymap,
      ...completionKeymap,
      ...lintKeymap,
    ]),
    EditorView.contentAttributes.of({ 'aria-label': 'Scenario JSON', 'data-testid': 'editor' }),
  ];
  return new EditorView({ state: EditorState.create({ doc: text, extensions }), parent });
}

/** Replaces the whole text of the editor (a new document: not undoable). */
export function setText(view: EditorView, text: string): void {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    annotations: Transaction.addToHistory.of(false),
  });
}
