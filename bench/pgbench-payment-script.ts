// The database's own limit for a payment's writes: a pgbench script made of the statements the
// same-writes baseline (bench/same-writes-baseline.ts, Junction's storage adapters) sent for one
// payment, with their parameters written in as literals and the payment's unique values (order
// id, order and attempt keys, the gateway's id) replaced by pgbench variables, so that each run of
// the script is a new payment: the order's INSERT; the claim and the attempt's INSERT; the
// simulator ledger's INSERT; BEGIN, the order's lock, the outcome's UPDATE, COMMIT. Four commits per
// run, as a payment. pgbench is a C client on a persistent connection: no HTTP, no Node, no pool.
import { escapeLiteral } from 'pg';
import type { SqlParam } from '../src/storage/db.ts';

export interface RecordedStatement {
  text: string;
  params: readonly SqlParam[];
  inTransaction: boolean;
}

/** A parameter as an SQL literal (what pg would send, written into the text). */
export function sqlLiteral(value: SqlParam): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`pgbench script: cannot write ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (Array.isArray(value)) return escapeLiteral(`{${value.map((v) => `"${String(v).replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
  if (typeof value === 'object') return escapeLiteral(JSON.stringify(value));
  return escapeLiteral(String(value));
}

/** One statement with its $n parameters written in, on one line. */
export function inlineStatement(text: string, params: readonly SqlParam[]): string {
  const inlined = text.replace(/\$(\d+)/g, (_m, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= params.length) throw new Error(`pgbench script: $${n} has no parameter`);
    return sqlLiteral(params[index]!);
  });
  return inlined.replace(/\s+/g, ' ').trim();
}

/**
 * The script. `unique` maps each value that must differ between payments to its variable part:
 * every occurrence of the value becomes `<value>-:client_id-:k`, `k` drawn per run (pgbench writes
 * variables in before it sends the text, inside quoted literals too; a name ends at the `-`).
 */
export function pgbenchPaymentScript(statements: readonly RecordedStatement[], unique: readonly string[]): string {
  const lines = ['\\set k random(1, 9000000000000000)'];
  let open = false;
  for (const s of statements) {
    if (s.inTransaction && !open) lines.push('BEGIN;');
    if (!s.inTransaction && open) lines.push('COMMIT;');
    open = s.inTransaction;
    let line = inlineStatement(s.text, s.params);
    // Longest first, so that a value containing another (the attempt's txn_id holds the order id) is replaced whole.
    for (const value of [...unique].sort((a, b) => b.length - a.length)) line = line.split(value).join(`${value}-:client_id-:k`);
    lines.push(`${line};`);
  }
  if (open) lines.push('COMMIT;');
  return `${lines.join('\n')}\n`;
}
