const LABEL_VALUE = /^[A-Za-z0-9_.:/{}*-]{1,80}$/;
/** A label value from a bounded vocabulary, or OTHER when it does not look like one (never an id or free text). */
export function boundedLabel(value: string | null | undefined, none = 'NONE'): string {
  if (value === null || value === undefined || value === '') return none;
  return LABEL_VALUE.test(value) ? value : 'OTHER';
}
