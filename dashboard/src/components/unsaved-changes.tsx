// The unsaved-changes guard: a filled form registers itself while it differs from what was saved;
// leaving it (an in-app link, Back, closing or reloading the tab) asks first. In-app navigation
// asks with the ConfirmDialog (router.setNavigationBlocker); the browser asks on beforeunload.
import { useCallback, useEffect, useRef, useState } from 'react';
import { setNavigationBlocker } from '../router.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';

const dirtyForms = new Set<symbol>();

function onBeforeUnload(event: BeforeUnloadEvent) {
  if (dirtyForms.size === 0) return;
  event.preventDefault();
  event.returnValue = ''; // older browsers need a value to ask
}

function sync() {
  if (typeof window === 'undefined') return;
  if (dirtyForms.size > 0) window.addEventListener('beforeunload', onBeforeUnload);
  else window.removeEventListener('beforeunload', onBeforeUnload);
}

export function hasUnsavedChanges(): boolean {
  return dirtyForms.size > 0;
}

/**
 * Marks the calling form as holding unsaved changes while `dirty` is true. Call the returned
 * `release()` right before navigating away after a successful save (state updates come too late).
 */
export function useUnsavedChanges(dirty: boolean): () => void {
  const key = useRef(Symbol('form')).current;
  useEffect(() => {
    if (dirty) dirtyForms.add(key);
    else dirtyForms.delete(key);
    sync();
    return () => {
      dirtyForms.delete(key);
      sync();
    };
  }, [dirty, key]);
  return useCallback(() => {
    dirtyForms.delete(key);
    sync();
  }, [key]);
}

/** Mounted once in the shell: holds in-app navigation away from a dirty form and asks. */
export function UnsavedChangesPrompt() {
  const [pending, setPending] = useState<(() => void) | null>(null);
  useEffect(
    () =>
      setNavigationBlocker((proceed) => {
        if (dirtyForms.size === 0) return false;
        setPending(() => proceed);
        return true;
      }),
    [],
  );
  return (
    <ConfirmDialog
      open={pending !== null}
      title="Leave this page?"
      confirmLabel="Leave without saving"
      cancelLabel="Stay on this page"
      danger
      onCancel={() => setPending(null)}
      onConfirm={() => {
        const go = pending;
        setPending(null);
        dirtyForms.clear();
        sync();
        go?.();
      }}
    >
      <p>The form has changes that are not saved. If you leave, they are lost.</p>
    </ConfirmDialog>
  );
}
