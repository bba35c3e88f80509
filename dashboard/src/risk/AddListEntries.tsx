// Adding entries to a block or allow list: typed values (one a line or comma-separated) with a
// note, or a file of values (text, one a line, or CSV, value in the first column).
import { FieldErrorList } from '../priority-logic/FieldErrors';
import { LIST_KINDS, type ListKind, type ListName } from './api';
import type { ListEditing } from './use-list-editing';

/** The list kinds as the options of a select. */
export const KIND_OPTIONS = LIST_KINDS.map((k) => (
  <option key={k} value={k}>
    {k}
  </option>
));
export const isKind = (v: string): v is ListKind => (LIST_KINDS as readonly string[]).includes(v);

export function AddListEntries({ list, editing }: { list: ListName; editing: ListEditing }) {
  const { kind, setKind, values, setValues, note, setNote, failure, busy, fileInput, fieldReasons, add, upload } = editing;
  return (
    <div className="card stack" aria-label="Add entries" role="group">
      <h2>Add to the {list}</h2>
      <div className="grid-form">
        <div className="field">
          <label>
            Kind
            <select aria-label="Entry kind" value={kind} onChange={(e) => isKind(e.target.value) && setKind(e.target.value)}>
              {KIND_OPTIONS}
            </select>
          </label>
        </div>
        <div className="field">
          <label>
            Values (one a line or comma-separated)
            <textarea rows={3} value={values} onChange={(e) => setValues(e.target.value)} />
          </label>
        </div>
        <div className="field">
          <label>
            Note
            <input type="text" value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
        </div>
      </div>
      <div className="row">
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void add()}>
          Add entries
        </button>
      </div>
      <div className="row">
        <label className="row">
          Import a file of {kind} values
          <input ref={fileInput} type="file" accept=".txt,.csv,text/plain,text/csv" aria-label="Blocklist file" />
        </label>
        <button type="button" className="btn" disabled={busy} onClick={() => void upload()}>
          Import file
        </button>
      </div>
      {failure ? (
        <p role="alert" className="field-error" data-testid="lists-error">
          {failure}
        </p>
      ) : null}
      <FieldErrorList messages={fieldReasons} testId="lists-field-errors" />
    </div>
  );
}
