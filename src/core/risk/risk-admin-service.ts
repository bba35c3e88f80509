// The merchant's side of the risk engine: configuration, rules, block and allow lists (with file
// import), the audit trail, dry runs, and the review queue (approve = capture, reject = void).
// Every call is scoped to the actor's merchant; every change is audited by the store.
import { randomUUID } from 'node:crypto';
import { AppError, invalidField, notFound } from '../errors.ts';
import type { Actor } from '../priority-logic/types.ts';
import { hasRight } from '../priority-logic/priority-logic-service.ts';
import type { RiskStore } from '../ports/risk-store.ts';
import { isListKind, LIST_KINDS, normaliseListValue, parseListFile, type ListKind } from '../../risk/lists.ts';
import { ipKeyText } from '../../risk/ip.ts';
import { riskBlock } from '../../risk/engine.ts';
import type { RiskService } from '../../risk/risk-service.ts';
import type { RiskContext } from '../../risk/types.ts';
import { parseIp } from '../../risk/ip.ts';
import { parseRiskConfig, parseRiskRule, riskConfigWire, riskRuleWire } from './risk-config-input.ts';

export interface RiskAdminDeps {
  store: RiskStore;
  risk: Pick<RiskService, 'invalidate' | 'dryRun'>;
  capture(merchantId: string, txnUuid: string): Promise<Record<string, unknown>>;
  voidTxn(merchantId: string, txnUuid: string): Promise<Record<string, unknown>>;
  /** Tells the merchant (webhook) that a review ended. */
  reviewEvent?(merchantId: string, txnUuid: string, eventName: 'TXN_REVIEW_APPROVED' | 'TXN_REVIEW_REJECTED'): Promise<void>;
  now?: () => Date;
}

const MAX_IMPORT_ENTRIES = 2_000_000;

function need(actor: Actor, right: 'read' | 'edit'): void {
  if (!hasRight(actor, right)) throw new AppError('UNAUTHORIZED', right === 'edit' ? 'Changing risk settings needs the EDITOR or ADMIN role' : 'You do not have access');
}

function listName(raw: string): 'block' | 'allow' {
  if (raw === 'blocklist' || raw === 'block') return 'block';
  if (raw === 'allowlist' || raw === 'allow') return 'allow';
  throw invalidField('list', 'must be blocklist or allowlist');
}

function kindOf(raw: unknown, field = 'kind'): ListKind {
  if (!isListKind(raw)) throw invalidField(field, `must be one of ${LIST_KINDS.join(', ')}`);
  return raw;
}

const str = (v: unknown, field: string, max = 255): string | null => {
  if (v === undefined || v === null || v === '') return null;
  if (typeof v !== 'string' || v.length > max) throw invalidField(field, `must be a string of at most ${max} characters`);
  return v.trim();
};

/** A sample payment for a dry run (amount in minor units). */
export function dryRunContext(merchantId: string, body: unknown, nowMillis: number): RiskContext {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidField('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.amount !== 'number' || !Number.isInteger(b.amount) || b.amount < 0 || b.amount > 1e15) throw invalidField('amount', 'is required: an integer amount in minor units');
  const currency = str(b.currency, 'currency', 3);
  if (!currency || !/^[A-Za-z]{3}$/.test(currency)) throw invalidField('currency', 'is required: an ISO 4217 code');
  const bin = str(b.card_bin, 'card_bin', 8);
  if (bin && !/^(\d{6}|\d{8})$/.test(bin)) throw invalidField('card_bin', 'must be 6 or 8 digits');
  const fingerprint = str(b.card_fingerprint, 'card_fingerprint', 64);
  if (fingerprint && !normaliseListValue('card_fingerprint', fingerprint).ok) throw invalidField('card_fingerprint', 'is not a card fingerprint (never send a card number)');
  const ip = str(b.client_ip, 'client_ip', 64);
  if (ip && !parseIp(ip)) throw invalidField('client_ip', 'is not an IPv4 or IPv6 address');
  const country = (key: string) => {
    const v = str(b[key], key, 2);
    if (v && !/^[A-Za-z]{2}$/.test(v)) throw invalidField(key, 'must be an ISO 3166 two-letter country code');
    return v?.toUpperCase() ?? null;
  };
  const metadata = b.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || Object.values(metadata).some((v) => typeof v !== 'string')) throw invalidField('metadata', 'must be an object of strings');
  const issuerCountry = country('card_issuer_country');
  return {
    merchantId, orderId: str(b.order_id, 'order_id', 64) ?? 'dry-run', amount: b.amount, currency: currency.toUpperCase(),
    paymentMethodType: (str(b.payment_method_type, 'payment_method_type', 30) ?? 'CARD').toUpperCase(), paymentMethod: str(b.payment_method, 'payment_method', 30),
    card: bin || fingerprint ? { fingerprint, bin: bin?.slice(0, 6) ?? '000000', extendedBin: bin && bin.length === 8 ? bin : null, brand: str(b.card_brand, 'card_brand', 30), type: str(b.card_type, 'card_type', 30), issuer: null, issuerCountry } : null,
    email: str(b.email, 'email', 320), customerId: str(b.customer_id, 'customer_id', 128), clientIp: ip, deviceId: str(b.device_id, 'device_id', 128),
    billingCountry: country('billing_country'), ipCountry: country('ip_country'), metadata: metadata as Record<string, string>, udf: {}, nowMillis,
  };
}

export function createRiskAdminService(deps: RiskAdminDeps) {
  const { store, risk } = deps;
  const now = deps.now ?? (() => new Date());
  const who = (actor: Actor) => ({ id: `${actor.kind === 'API_KEY' ? 'api_key' : 'user'}:${actor.id}` });

  return {
    async getConfig(actor: Actor) {
      need(actor, 'read');
      const config = await store.getConfig(actor.merchantId);
      return { configured: config !== null, config: config ? riskConfigWire(config) : null };
    },
    async putConfig(actor: Actor, body: unknown) {
      need(actor, 'edit');
      const config = parseRiskConfig(body);
      await store.putConfig(actor.merchantId, config, who(actor));
      risk.invalidate(actor.merchantId);
      return { configured: true, config: riskConfigWire(config) };
    },
    async deleteConfig(actor: Actor) {
      need(actor, 'edit');
      const deleted = await store.deleteConfig(actor.merchantId, who(actor));
      risk.invalidate(actor.merchantId);
      if (!deleted) throw notFound('Risk configuration');
      return { configured: false, config: null };
    },
    async listRules(actor: Actor) {
      need(actor, 'read');
      return { rules: (await store.listRules(actor.merchantId)).map(riskRuleWire) };
    },
    async createRule(actor: Actor, body: unknown) {
      need(actor, 'edit');
      const rule = parseRiskRule(body, `rrl_${randomUUID().replace(/-/g, '').slice(0, 20)}`);
      const saved = await store.insertRule(actor.merchantId, rule, who(actor));
      if (!saved) throw new AppError('ALREADY_EXISTS', `A risk rule named ${rule.name} already exists`, { fields: [{ field_name: 'name', reason: 'is used by another rule' }] });
      risk.invalidate(actor.merchantId);
      return riskRuleWire(saved);
    },
    async updateRule(actor: Actor, id: string, body: unknown) {
      need(actor, 'edit');
      const previous = await store.getRule(actor.merchantId, id);
      if (!previous) throw new AppError('RESOURCE_NOT_FOUND', `Risk rule ${id} not found`, { fields: [{ field_name: 'id', reason: 'no such rule for this merchant' }] });
      const rule = parseRiskRule(body, id, previous);
      let saved;
      try {
        saved = await store.updateRule(actor.merchantId, rule, who(actor));
      } catch (error) {
        if (/unique|duplicate/i.test(String(error))) throw new AppError('ALREADY_EXISTS', `A risk rule named ${rule.name} already exists`, { fields: [{ field_name: 'name', reason: 'is used by another rule' }] });
        throw error;
      }
      if (!saved) throw notFound(`Risk rule ${id}`);
      risk.invalidate(actor.merchantId);
      return riskRuleWire(saved);
    },
    async deleteRule(actor: Actor, id: string) {
      need(actor, 'edit');
      if (!(await store.deleteRule(actor.merchantId, id, who(actor)))) throw new AppError('RESOURCE_NOT_FOUND', `Risk rule ${id} not found`, { fields: [{ field_name: 'id', reason: 'no such rule for this merchant' }] });
      risk.invalidate(actor.merchantId);
      return { deleted: true, id };
    },
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
      if (!(await store.removeEntry(actor.merchantId, list, kind, n.value, who(actor)))) throw new AppError('RESOURCE_NOT_FOUND', 'No such list entry', { fields: [{ field_name: 'value', reason: 'is not on this list' }] });
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
    async audit(actor: Actor, limitRaw?: string) {
      need(actor, 'read');
      const limit = limitRaw === undefined ? 100 : Number(limitRaw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidField('limit', 'must be an integer from 1 to 1000');
      return { audit: (await store.listAudit(actor.merchantId, limit)).map((a) => ({ id: a.id, actor: a.actor, action: a.action, entity: a.entity, detail: a.detail, at: a.at.toISOString() })) };
    },
    async dryRun(actor: Actor, body: unknown) {
      need(actor, 'read');
      const ctx = dryRunContext(actor.merchantId, body, now().getTime());
      const a = await risk.dryRun(ctx);
      return { action: a.action, score: a.score, code: a.code, reasons: a.reasons, allowlisted: a.allowlisted, checks: a.checks, risk: riskBlock(a) };
    },
    async reviews(actor: Actor) {
      need(actor, 'read');
      const held = await store.heldPayments(actor.merchantId, 500);
      return { reviews: held.map((h) => ({ txn_uuid: h.txnUuid, txn_id: h.txnId, order_id: h.orderId, status: h.status, amount: h.amount, currency: h.currency, gateway: h.gateway, risk: h.risk, created: h.createdAt.toISOString() })) };
    },
    /** Approve: capture the held authorisation. Reject: void it. Either way the decision is recorded. */
    async decide(actor: Actor, txnUuid: string, decision: 'approve' | 'reject') {
      need(actor, 'edit');
      const held = (await store.heldPayments(actor.merchantId, 10_000)).find((h) => h.txnUuid === txnUuid);
      if (!held) throw new AppError('RESOURCE_NOT_FOUND', `No payment ${txnUuid} is waiting for review`, { fields: [{ field_name: 'txn_uuid', reason: 'not held for review for this merchant' }] });
      if (held.status !== 'AUTHORIZED') throw new AppError('INVALID_ACTION', `The payment is ${held.status}: only an AUTHORIZED payment can be ${decision === 'approve' ? 'captured' : 'voided'}`, { fields: [{ field_name: 'txn_uuid', reason: `payment is ${held.status}` }] });
      const status = decision === 'approve' ? await deps.capture(actor.merchantId, txnUuid) : await deps.voidTxn(actor.merchantId, txnUuid);
      const heldAt = (held.risk.review as { heldAt?: unknown } | undefined)?.heldAt;
      await store.setReview(actor.merchantId, txnUuid, { state: decision === 'approve' ? 'APPROVED' : 'REJECTED', by: who(actor).id, at: now().toISOString(), result: String(status.status ?? ''), ...(typeof heldAt === 'string' ? { heldAt } : {}) }, who(actor));
      await deps.reviewEvent?.(actor.merchantId, txnUuid, decision === 'approve' ? 'TXN_REVIEW_APPROVED' : 'TXN_REVIEW_REJECTED');
      return status;
    },
  };
}

export type RiskAdminService = ReturnType<typeof createRiskAdminService>;
