// CodeMirror 6 with JavaScript highlighting. Loaded lazily (see CodeEditor.tsx) so the first page
// load does not carry the editor. Suggestions (Ctrl+Space) know the Priority Logic inputs and calls.
import { useEffect, useRef } from 'react';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import { Decoration, EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, type DecorationSet } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { HighlightStyle, bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { autocompletion, completionKeymap, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import type { CodeEditorProps } from './CodeEditor';

const setErrorLine = StateEffect.define<number | null>();
const errorLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(deco, tr) {
    let next = deco.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setErrorLine)) continue;
      const line = e.value;
      if (line === null || line < 1 || line > tr.state.doc.lines) next = Decoration.none;
      else next = Decoration.set([Decoration.line({ class: 'cm-error-line' }).range(tr.state.doc.line(line).from)]);
    }
    return next;
  },
  provide: (f) => EditorView.decorations.from(f),
});

// Colours are the stylesheet's custom properties (styles.css: --editor-*, --code-*), so the editor
// follows the light or dark scheme with the rest of the page.
const theme = EditorView.theme({
  '&': { backgroundColor: 'var(--editor-bg)', color: 'var(--text)' },
  '.cm-content': { fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace", caretColor: 'var(--editor-cursor)' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--editor-cursor)' },
  '.cm-gutters': { backgroundColor: 'var(--editor-gutter-bg)', borderRight: '1px solid var(--border)', color: 'var(--editor-gutter-fg)' },
  '.cm-activeLine': { backgroundColor: 'var(--editor-active-line)' },
  '.cm-activeLineGutter': { backgroundColor: 'var(--editor-active-line)', color: 'var(--text)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: 'var(--editor-selection)' },
  '&.cm-focused .cm-matchingBracket': { backgroundColor: 'var(--editor-selection)', outline: '1px solid var(--border-strong)' },
  '.cm-error-line': { backgroundColor: 'var(--editor-error-line)' },
  '.cm-tooltip': { backgroundColor: 'var(--surface-raised)', color: 'var(--text)', border: '1px solid var(--border-strong)' },
  '.cm-tooltip-autocomplete ul li[aria-selected]': { backgroundColor: 'var(--primary-solid)', color: 'var(--on-primary)' },
});

/** CodeMirror's default highlighting with each colour taken from a --code-* custom property. */
const CODE_COLORS: Record<string, string> = {
  '#404740': '--code-meta',
  '#708': '--code-keyword',
  '#219': '--code-atom',
  '#164': '--code-literal',
  '#a11': '--code-string',
  '#e40': '--code-regexp',
  '#00f': '--code-def',
  '#30a': '--code-local',
  '#085': '--code-type',
  '#167': '--code-class',
  '#256': '--code-special',
  '#00c': '--code-propdef',
  '#940': '--code-comment',
  '#f00': '--code-invalid',
};
const highlightStyle = HighlightStyle.define(
  defaultHighlightStyle.specs.map((spec) => (spec.color && CODE_COLORS[spec.color] ? { ...spec, color: `var(${CODE_COLORS[spec.color]}, ${spec.color})` } : spec)),
);

function completionsFor(words: readonly { label: string; detail?: string; type?: string }[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const word = ctx.matchBefore(/[\w.]*/);
    if (!word || (word.from === word.to && !ctx.explicit)) return null;
    return { from: word.from, options: words.map((w) => ({ label: w.label, detail: w.detail, type: w.type ?? 'variable' })), validFor: /^[\w.]*$/ };
  };
}

export default function CodeMirrorEditor({ value, onChange, ariaLabel, errorLine, readOnly, completions, height, id }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the editor is created once; value and errorLine are synchronised by the effects below
  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      bracketMatching(),
      highlightActiveLine(),
      syntaxHighlighting(highlightStyle),
      javascript(),
      keymap.of([...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
      autocompletion({ activateOnTyping: false, override: completions ? [completionsFor(completions)] : null }),
      errorLineField,
      theme,
      EditorView.contentAttributes.of({ 'aria-label': ariaLabel, ...(id ? { id } : {}), 'aria-multiline': 'true' }),
      EditorState.readOnly.of(Boolean(readOnly)),
      EditorView.editable.of(!readOnly),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) onChangeRef.current?.(u.state.doc.toString());
      }),
    ];
    if (height) extensions.push(EditorView.theme({ '&': { height } }));
    const v = new EditorView({ parent: host.current!, state: EditorState.create({ doc: value, extensions }) });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; value and errorLine are synchronised by the effects below.
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== value) v.dispatch({ changes: { from: 0, to: current.length, insert: value } });
  }, [value]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the document changes its lines, so the error line is set again after `value` too
  useEffect(() => {
    view.current?.dispatch({ effects: setErrorLine.of(errorLine ?? null) });
  }, [errorLine, value]);

  return <div ref={host} data-testid="code-editor" />;
}
