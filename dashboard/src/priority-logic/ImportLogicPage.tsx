// Import Rule (/priority-logic/import): upload a JSON file or write the JSON in the editor, then
// POST /v1/priority-logics/import (a file goes up as multipart, typed JSON as the body). The
// server validates exactly as create; its errors are listed with the field they name.
import { useId, useRef } from 'react';
import { can } from '../auth/permissions';
import { useSession } from '../auth/session';
import { Link, navigate } from '../router';
import { useImportLogic, type ImportError } from './use-import-logic';

export function ImportLogicPage() {
  const { user } = useSession();
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
        <ImportLogicForm />
      )}
    </section>
  );
}

function ImportLogicForm() {
  const { text, setText, file, name, setName, busy, error, onFile, submit } = useImportLogic();
  const ids = { file: useId(), json: useId(), name: useId(), err: useId() };
  const fileInput = useRef<HTMLInputElement>(null);
  const nameErrors = error?.fields.filter((f) => f.field === 'name') ?? [];
  const otherErrors = error?.fields.filter((f) => f.field !== 'name') ?? [];
  return (
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
      {error ? <ImportErrorAlert error={error} id={ids.err} nameId={ids.name} /> : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        <button type="button" className="btn" onClick={() => navigate('/priority-logic')}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Why the import was refused: the errors in the JSON, the name's, or the server's message. */
function ImportErrorAlert({ error, id, nameId }: { error: ImportError; id: string; nameId: string }) {
  const nameErrors = error.fields.filter((f) => f.field === 'name');
  const otherErrors = error.fields.filter((f) => f.field !== 'name');
  return (
    <div className="alert alert-error" role="alert" id={id} data-testid="import-error">
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
            href={`#${nameId}`}
            onClick={(e) => {
              e.preventDefault();
              document.getElementById(nameId)?.focus();
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
  );
}
