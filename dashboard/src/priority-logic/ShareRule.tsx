// The Share Rule card of a logic's view: Download JSON (a file) and Copy JSON (the clipboard, or
// a read-only text area to copy from where the clipboard is not available).
import { useId, useState } from 'react';
import { ApiError } from '../api/client';
import { useToast } from '../components/Toast';
import { exportLogic } from './api';
import type { Logic } from './types';

/** The file name of a logic's JSON export. */
const exportFileName = (logic: Logic): string => `${logic.name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80) || 'priority-logic'}.json`;

export function ShareRule({ logic }: { logic: Logic }) {
  const toast = useToast();
  const [json, setJson] = useState<string | null>(null);
  const [shareNote, setShareNote] = useState<string | null>(null);
  const jsonId = useId();

  const download = async () => {
    try {
      const doc = await exportLogic(logic.id);
      const text = JSON.stringify(doc, null, 2);
      const blob = new Blob([text], { type: 'application/json' });
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = exportFileName(logic);
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (e) {
      toast.show(e instanceof ApiError ? e.message : 'Something went wrong. Please try again', 'error');
    }
  };

  const copyJson = async () => {
    try {
      const text = JSON.stringify(await exportLogic(logic.id), null, 2);
      setJson(text);
      try {
        await navigator.clipboard.writeText(text);
        setShareNote('JSON copied to the clipboard.');
        toast.show('JSON copied to the clipboard', 'success');
      } catch {
        setShareNote('The clipboard is not available here: select the JSON below and copy it.');
      }
    } catch (e) {
      toast.show(e instanceof ApiError ? e.message : 'Something went wrong. Please try again', 'error');
    }
  };

  return (
    <section className="card" aria-labelledby="share-title">
      <h2 id="share-title">Share Rule</h2>
      <p className="muted small">Export this logic as JSON to share it or import it elsewhere.</p>
      <div className="row">
        <button type="button" className="btn" onClick={() => void download()}>
          Download JSON
        </button>
        <button type="button" className="btn" onClick={() => void copyJson()}>
          Copy JSON
        </button>
        {shareNote ? (
          <span className="muted small" role="status">
            {shareNote}
          </span>
        ) : null}
      </div>
      {json !== null ? (
        <div className="field" style={{ marginTop: 12 }}>
          <label htmlFor={jsonId}>Rule JSON</label>
          <textarea id={jsonId} readOnly value={json} rows={12} onFocus={(e) => e.currentTarget.select()} />
        </div>
      ) : null}
    </section>
  );
}
