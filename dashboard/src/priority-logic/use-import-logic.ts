// The state of Import Rule: the JSON typed or loaded from a file, the optional new name, and the
// import itself (a file goes up as multipart, typed JSON as the body); the server's errors are
// kept with the field they name.
import { useState } from 'react';
import { ApiError } from '../api/client';
import { useInvalidate } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { useToast } from '../components/Toast';
import { navigate } from '../router';
import { importLogic } from './api';
import { displayReason, locatedReason } from './model';

export interface ImportError {
  message: string;
  fields: { field: string; reason: string }[];
}

export function useImportLogic() {
  const invalidate = useInvalidate();
  const toast = useToast();
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ file: File; text: string } | null>(null);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ImportError | null>(null);

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

  return { text, setText, file, name, setName, busy, error, onFile, submit };
}
