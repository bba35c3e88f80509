// The code editor, lazily loaded: CodeMirror and its language packages are a separate chunk that is
// fetched only when a page shows an editor.
import { Suspense, lazy } from 'react';

export interface CodeEditorProps {
  value: string;
  onChange?: (value: string) => void;
  /** Accessible name of the editable area (Playwright: getByLabel). */
  ariaLabel: string;
  /** A 1-based line to highlight (a compile error). */
  errorLine?: number | null;
  readOnly?: boolean;
  completions?: readonly { label: string; detail?: string; type?: string }[];
  height?: string;
  id?: string;
}

const CodeMirrorEditor = lazy(() => import('./CodeMirrorEditor'));

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense
      fallback={
        <div className="muted" style={{ padding: 12 }}>
          Loading editor…
        </div>
      }
    >
      <CodeMirrorEditor {...props} />
    </Suspense>
  );
}
