// Values as the database drivers give them back: PostgreSQL's driver answers timestamps as Date,
// PGlite's sometimes as text; both read as Date here.

export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
export const toDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : toDate(value));
