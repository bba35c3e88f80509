// The fields now in error, read from the form's DOM after each render: the save banner lists and
// links them, and focus moves to the first after a refused save.
import { useLayoutEffect, useRef, useState, type RefObject } from 'react';

export interface InvalidField {
  label: string;
  message: string;
}

export function useInvalidFields(formRef: RefObject<HTMLFormElement | null>) {
  const focusFirstError = useRef(false);
  const [invalid, setInvalid] = useState<InvalidField[]>([]);
  const invalidEls = useRef<HTMLElement[]>([]);
  // The fields now in error, in page order, read from the messages shown next to them: the banner
  // links to each, disappears once they are fixed, and focus moves to the first after a refused save.
  useLayoutEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const found: InvalidField[] = [];
    const els: HTMLElement[] = [];
    for (const msg of form.querySelectorAll<HTMLElement>('.field-error')) {
      if (msg.closest('[data-testid="form-error"]')) continue;
      const field = msg.closest('.field');
      const section = msg.closest('section');
      const scope = field ?? section;
      const control = scope?.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea, [role=radio], button:not([disabled])') ?? null;
      const labelText =
        (!field ? section?.querySelector('h2')?.textContent : null) ??
        (control instanceof HTMLInputElement || control instanceof HTMLSelectElement || control instanceof HTMLTextAreaElement ? control.labels?.[0]?.textContent : null) ??
        control?.getAttribute('aria-label') ??
        section?.querySelector('h2')?.textContent ??
        'Field';
      found.push({ label: labelText.trim(), message: (msg.textContent ?? '').trim() });
      els.push(control ?? msg);
    }
    invalidEls.current = els;
    const key = (l: InvalidField[]) => l.map((f) => `${f.label}\u0000${f.message}`).join('\u0001');
    if (key(found) !== key(invalid)) setInvalid(found);
    if (focusFirstError.current && els.length) {
      focusFirstError.current = false;
      els[0]!.focus();
    }
  });
  return { invalid, invalidEls, focusFirstError };
}
