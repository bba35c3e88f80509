// The merchant's block and allow lists: page through, add, remove, import a file.
import { AppError, invalidField } from '../errors.ts';
import type { Actor } from '../priority-logic/types.ts';
import { normaliseListValue, parseListFile } from '../../risk/lists.ts';
import { ipKeyText } from '../../risk/ip.ts';
import type { RiskAdminDeps } from './risk-admin-service.ts';
import { kindOf, listName, need, str, who } from './risk-admin-input.ts';

const MAX_IMPORT_ENTRIES = 2_000_000;

export function createRiskListAdmin({ store, risk }: Pick<RiskAdminDeps, 'store' | 'risk'>) {
  return {
    async listEntries(actor: Actor, listRaw: string, query: { kind?: string; after?: string; limit?: string }) {
      need(actor, 'read');
      const list = listName(listRaw);
      const kind = query.kind ? kindOf(query.kind) : undefined;
      const limit = query.limit === undefined ? 100 : Number(query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidField('limit', 'must be an integer from 1 to 1000');
      const entries = await store.pageEntries(actor.merchantId, list, { ...(kind ? { kind } : {}), ...(query.after ? { after: query.after } : {}), limit });
      const last = entries.at(-1);
      return {
        list: `${list}list`,
        // IP entries are stored as the engine's keys; the API answers them as addresses and networks.
        entries: entries.map((e) => ({ kind: e.kind, value: e.kind === 'ip' ? (ipKeyText(e.value) ?? e.value) : e.value, note: e.note, created: e.createdAt.toISOString() })),
        next_cursor: entries.length === limit && last ? `${last.kind}|${last.value}` : null,
      };
    },
    /** Adds entries: `{kind, values: [...], note?}` or `{kind, value}`. All valid, or nothing is written. */
    async addEntries(actor: Actor, listRaw: string, body: unknown) {
      need(actor, 'edit');
      const list = listName(listRaw);
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
      const b = body as Record<string, unknown>;
      const kind = kindOf(b.kind);
      const raw = b.values ?? (b.value !== undefined ? [b.value] : undefined);
      if (!Array.isArray(raw) || raw.length === 0 || raw.length > 10_000) throw invalidField('values', 'must be a list of 1 to 10,000 values (or send value)');
      const values: string[] = [];
      raw.forEach((v, i) => {
        const n = typeof v === 'string' ? normaliseListValue(kind, v) : { ok: false as const, reason: 'must be a string' };
        if (!n.ok) throw invalidField(`values[${i}]`, n.reason);
        values.push(n.value);
      });
      const note = str(b.note, 'note', 500);
      const added = await store.addEntries(actor.merchantId, list, kind, values, note, who(actor));
      risk.invalidate(actor.merchantId);
      return { list: `${list}list`, kind, received: values.length, added };
    },
    async removeEntry(actor: Actor, listRaw: string, kindRaw: string, value: string) {
      need(actor, 'edit');
      const list = listName(listRaw);
      const kind = kindOf(kindRaw);
      // An IP entry is removed by its address or network (as listed), or by its stored key.
      const n = kind === 'ip' && ipKeyText(value) !== null ? { ok: true as const, value } : normaliseListValue(kind, value);
      if (!n.ok) throw invalidField('value', n.reason);
      if (!(await store.removeEntry(actor.merchantId, list, kind, n.value, who(actor))))
        throw new AppError('RESOURCE_NOT_FOUND', 'No such list entry', { fields: [{ field_name: 'value', reason: 'is not on this list' }] });
      risk.invalidate(actor.merchantId);
      return { removed: true, kind, value: kind === 'ip' ? (ipKeyText(n.value) ?? n.value) : n.value };
    },
    /**
     * Imports a file (one value per line, or CSV with the value first). Every line must be valid
     * except a first line that is a CSV header; otherwise nothing is written and the answer names
     * the first bad lines.
     */
    async importEntries(actor: Actor, listRaw: string, kindRaw: string, text: string) {
      need(actor, 'edit');
      const list = listName(listRaw);
      const kind = kindOf(kindRaw);
      const lines = parseListFile(text);
      if (lines.length === 0) throw invalidField('file', 'holds no values');
      if (lines.length > MAX_IMPORT_ENTRIES) throw invalidField('file', `holds more than ${MAX_IMPORT_ENTRIES} values`);
      const values: string[] = [];
      const bad: Array<{ field_name: string; reason: string }> = [];
      let skippedHeader = false;
      lines.forEach((line, i) => {
        const n = normaliseListValue(kind, line);
        if (n.ok) values.push(n.value);
        else if (i === 0 && /[a-z]/i.test(line) && kind !== 'email' && kind !== 'email_domain') skippedHeader = true;
        else if (bad.length < 10) bad.push({ field_name: `file line ${i + 1}`, reason: `"${line.slice(0, 40)}" ${n.reason}` });
      });
      if (bad.length) throw new AppError('INVALID_INPUT', `The file has invalid ${kind} values; nothing was imported`, { fields: bad });
      const added = await store.addEntries(actor.merchantId, list, kind, values, 'imported', who(actor));
      risk.invalidate(actor.merchantId);
      return { list: `${list}list`, kind, received: values.length, added, skipped_header: skippedHeader };
    },
  };
}
