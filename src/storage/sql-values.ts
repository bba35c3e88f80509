// Values as the database drivers give them back: a timestamp arrives as a Date, or as ISO text when a
// query returns it through JSON or a cast; both read as Date here.

export const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
export const toDateOrNull = (value: Date | string | null): Date | null => (value === null ? null : toDate(value));
