// The editing state of the block and allow lists: the entries being added (kind, values, note) or
// imported from a file, and the message or errors of the last change.
import { useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { errorText } from '../analytics/format';
import { addEntries, importFile, type ListKind, type ListName } from './api';

/** `restart` goes back to the first page and loads the lists again after a change. */
export function useListEditing(list: ListName, restart: () => void) {
  const [kind, setKind] = useState<ListKind>('email');
  const [values, setValues] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<ApiError | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const showError = (error: unknown) => {
    setErrors(error instanceof ApiError && error.fields.length ? error : null);
    setFailure(errorText(error));
  };

  async function add() {
    const items = values
      .split(/[\n,]/)
      .map((v) => v.trim())
      .filter(Boolean);
    setErrors(null);
    setFailure(null);
    setMessage(null);
    if (items.length === 0) {
      setFailure('Enter at least one value.');
      return;
    }
    setBusy(true);
    try {
      const answer = await addEntries(list, kind, items, note.trim() || undefined);
      setMessage(`Added ${answer.added} of ${items.length} to the ${list} (${kind}).`);
      setValues('');
      restart();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  async function upload() {
    const file = fileInput.current?.files?.[0];
    setErrors(null);
    setFailure(null);
    setMessage(null);
    if (!file) {
      setFailure('Choose a file to import.');
      return;
    }
    setBusy(true);
    try {
      const answer = await importFile(list, kind, file);
      setMessage(`Imported ${file.name}: ${answer.added} added of ${answer.received} values${answer.skipped_header ? ' (a header line was skipped)' : ''}.`);
      if (fileInput.current) fileInput.current.value = '';
      restart();
    } catch (error) {
      showError(error);
    } finally {
      setBusy(false);
    }
  }

  const fieldReasons = (errors?.fields ?? []).map((f) => `${f.field_name}: ${f.reason}`);
  return { kind, setKind, values, setValues, note, setNote, failure, message, setMessage, busy, fileInput, fieldReasons, showError, add, upload };
}

export type ListEditing = ReturnType<typeof useListEditing>;
