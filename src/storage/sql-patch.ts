// Builds the SET list of an UPDATE from a partial domain object and its field-to-column map:
// only defined fields are written, as numbered parameters starting at `startAt`.
import type { SqlParam } from './db.ts';

export function buildSetClause<P extends object>(patch: P, columns: Record<keyof P, string>, startAt: number): { parts: string[]; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  for (const key of Object.keys(patch) as (keyof P)[]) {
    const value = patch[key];
    if (value === undefined) continue;
    params.push(value as SqlParam);
    parts.push(`${columns[key]} = $${startAt + params.length - 1}`);
  }
  return { parts, params };
}

/** A fixed list of status literals as SQL (`('CHARGED','AUTHORIZED')`); only for our own constants, never input. */
export function sqlStatusList(statuses: readonly string[]): string {
  return `(${statuses.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')})`;
}
