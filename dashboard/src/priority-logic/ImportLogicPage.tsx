// Import Rule (/priority-logic/import): upload a JSON file or write the JSON in the editor, then
// POST /v1/priority-logics/import (a file goes up as multipart, typed JSON as the body). The
// server validates exactly as create; its errors are listed with the field they name.
import { useId, useRef, useState } from 'react';
import { useInvalidate } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { ApiError } from '../api/client';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { useToast } from '../components/Toast';
import { Link, navigate } from '../router';
import { importLogic } from './api';
import { displayReason, locatedReason } from './model';

export function ImportLogicPage() {
  const { user } = useSession();
  const invalidate = useInvalidate();
  const toast = useToast();
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ file: File; text: string } | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; fields: { field: string; reason: string }[] } | null>(null);
  const ids = { file: useId(), json: useId(), name: useId(), err: useId() };
  const fileInput = useRef<HTMLInputElement>(null);

  const onFile = async (f: File | undefined) => {
    setError(null);
    if (!f) {
      setFile(null);
      return;
    }
    const content = await f.text();
    setFile({ file: f, text: content });
    setText(content);
  };

  const submit = async () => {
    setError(null);
    const usingFile = file !== null && file.text === text;
    let json: unknown;
    if (!usingFile) {
      if (!text.trim()) {
        setError({ message: 'Upload a JSON file or paste the JSON of a Priority Logic.', fields: [] });
        return;
      }
      try {
        json = JSON.parse(text);
      } catch (e) {
        setError({ message: `This is not valid JSON: ${e instanceof Error ? e.message : String(e)}`, fields: [] });
        return;
      }
    }
    setBusy(true);
    try {
      const logic = await importLogic(usingFile ? { file: file.file } : { json }, name.trim() || undefined);
      toast.show(`Priority Logic “${logic.name}” imported`, 'success');
      void invalidate(queryKeys.priorityLogic.all);
      navigate(`/priority-logic/${logic.id}`);
    } catch (e) {
      if (e instanceof ApiError) {
        setError({
          message: e.status >= 500 ? 'Something went wrong. Please try again' : e.message,
          fields: e.fields.map((f) => ({ field: f.field_name, reason: f.field_name === 'name' ? displayReason(f.reason) : locatedReason(f.field_name, f.reason) })),
        });
      } else setError({ message: 'Something went wrong. Please try again', fields: [] });
    } finally {
      setBusy(false);
    }
  };

  const nameErrors = error?.fields.filter((f) => f.field === 'name') ?? [];
  const otherErrors = error?.fields.filter((f) => f.field !== 'name') ?? [];

  return (
    <section className="page">
      <div className="page-header">
        <div>
          <div className="breadcrumb">
            <Link to="/priority-logic">Priority Logic</Link>
          </div>
          <h1>Import Rule</h1>
          <p>Create a Priority Logic from JSON: upload an exported rule configuration, or write the JSON directly in the editor.</p>
        </div>
      </div>
      {!can(user?.role, 'logic.edit') ? (
        <div className="alert alert-error" role="alert">
          You do not have access
        </div>
      ) : (
        <form
          className="card"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
          aria-label="Import Rule"
        >
          <div className="field">
            <label htmlFor={ids.file}>Upload JSON file</label>
            <input id={ids.file} ref={fileInput} type="file" accept="application/json,.json" onChange={(e) => void onFile(e.target.files?.[0])} />
            {file ? <span className="hint">{file.file.name} loaded into the editor below.</span> : null}
          </div>
          <div className="field">
            <label htmlFor={ids.json}>Rule JSON</label>
            <textarea
              id={ids.json}
              rows={18}
              spellCheck={false}
              value={text}
              placeholder={'{\n  "format": "junction.priority-logic",\n  "formatVersion": 1,\n  "name": "…",\n  "kind": "RULES",\n  …\n}'}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={otherErrors.length > 0 || undefined}
              aria-describedby={error ? ids.err : undefined}
            />
          </div>
          <div className="field" style={{ maxWidth: 420 }}>
            <label htmlFor={ids.name}>Name (optional)</label>
            <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="Keep the name in the JSON" aria-invalid={nameErrors.length > 0 || undefined} />
            <span className="hint">Renames the imported logic; names are unique.</span>
            {nameErrors.map((f) => (
              <p key={f.reason} className="field-error" role="alert">
                {f.reason}
              </p>
            ))}
          </div>
          {error ? (
            <div className="alert alert-error" role="alert" id={ids.err} data-testid="import-error">
              {otherErrors.length ? (
                <>
                  The Priority Logic was not imported:
                  <ul>
                    {otherErrors.map((f) => (
                      <li key={`${f.field}-${f.reason}`}>{f.reason}</li>
                    ))}
                  </ul>
                </>
              ) : nameErrors.length ? (
                <>
                  The Priority Logic was not imported: {nameErrors.map((f) => f.reason).join('; ')} (
                  <a
                    href={`#${ids.name}`}
                    onClick={(e) => {
                      e.preventDefault();
                      document.getElementById(ids.name)?.focus();
                    }}
                  >
                    Name
                  </a>
                  ).
                </>
              ) : (
                error.message || 'Something went wrong. Please try again'
              )}
            </div>
          ) : null}
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Importing…' : 'Import'}
            </button>
            <button type="button" className="btn" onClick={() => navigate('/priority-logic')}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
