// A modal confirmation: title, message, Cancel and a confirm button. Escape or Cancel closes it.
// The caller may keep it open to show the server's answer (e.g. why a delete was refused).
import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel?: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  /** Shown inside the dialog (role=alert), e.g. the server's refusal. */
  error?: string | null;
  /** Hide the confirm button (e.g. after a refusal that retrying cannot fix). */
  hideConfirm?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({ open, title, children, confirmLabel = 'Confirm', cancelLabel = 'Cancel', danger, busy, error, hideConfirm, onConfirm, onCancel }: ConfirmDialogProps) {
  const titleId = useId();
  const bodyId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const previous = useRef<Element | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: onCancel's identity changes per render; the key listener only needs the latest at key time
  useEffect(() => {
    if (!open) return;
    previous.current = document.activeElement;
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      if (previous.current instanceof HTMLElement) previous.current.focus();
    };
    // onCancel identity changes per render; the listener only needs the latest at key time.
  }, [open]);

  if (!open) return null;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop is a pointer shortcut for Cancel; the keyboard has Escape and the Cancel button
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} aria-describedby={bodyId}>
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId}>{children}</div>
        {error ? (
          <div className="alert alert-error" role="alert" style={{ marginTop: 12, marginBottom: 0 }} data-testid="dialog-error">
            {error}
          </div>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="btn" ref={cancelRef} onClick={onCancel} disabled={busy}>
            {error && hideConfirm ? 'Close' : cancelLabel}
          </button>
          {hideConfirm ? null : (
            <button type="button" className={danger ? 'btn btn-danger solid' : 'btn btn-primary'} onClick={onConfirm} disabled={busy}>
              {busy ? 'Working…' : confirmLabel}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
