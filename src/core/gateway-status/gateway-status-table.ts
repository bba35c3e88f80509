// The gateway status table: per connector, what each raw gateway code means (unified code,
// category, failure class, retryable on another gateway, counts against health). Connectors ship
// their table as data; operators override rows at run time. Every failed attempt is classified here,
// so the retry decision and the health feedback read the same row.
import { AppError, invalidField } from '../errors.ts';
import { UNIFIED_FAILURE_CATEGORIES, type FailureClass, type GatewayStatusEntry } from '../ports/connector.ts';
import type { GatewayStatusOverride, GatewayStatusStore } from '../ports/gateway-status-store.ts';

const FAILURE_CLASSES: readonly FailureClass[] = ['HARD_DECLINE', 'SOFT_DECLINE', 'TECHNICAL_ERROR', 'AUTHENTICATION_FAILED', 'VALIDATION_ERROR', 'GATEWAY_DOWN'];

export interface ClassifiedStatus extends GatewayStatusEntry {
  source: 'CONNECTOR' | 'OVERRIDE' | 'FALLBACK';
}

export function parseStatusEntry(body: Record<string, unknown>): GatewayStatusEntry {
  const str = (key: string, max = 200): string | null => {
    const value = body[key];
    if (value === undefined || value === null || value === '') return null;
    if (typeof value !== 'string' || value.length > max) throw invalidField(key, `must be a string of at most ${max} characters`);
    return value;
  };
  const bool = (key: string): boolean => {
    const value = body[key];
    if (typeof value !== 'boolean') throw invalidField(key, 'must be true or false');
    return value;
  };
  const failureClass = str('failure_class');
  if (failureClass !== null && !(FAILURE_CLASSES as readonly string[]).includes(failureClass)) throw invalidField('failure_class', `must be one of ${FAILURE_CLASSES.join(', ')}`);
  const category = str('category');
  if (category !== null && !(UNIFIED_FAILURE_CATEGORIES as readonly string[]).includes(category)) throw invalidField('category', `must be one of ${UNIFIED_FAILURE_CATEGORIES.join(', ')}`);
  const message = str('message');
  if (!message) throw invalidField('message', 'is required');
  const unifiedCode = str('unified_code', 64);
  if (unifiedCode !== null && !/^[A-Z][A-Z0-9_]*$/.test(unifiedCode)) throw invalidField('unified_code', 'must be UPPER_SNAKE_CASE');
  const retryable = bool('retryable');
  if (retryable && failureClass === 'HARD_DECLINE') throw invalidField('retryable', 'a hard decline is never retried on another gateway');
  return {
    message,
    unifiedCode,
    unifiedMessage: str('unified_message', 500),
    category,
    failureClass: failureClass as FailureClass | null,
    retryable,
    countsAgainstGateway: bool('counts_against_gateway'),
  };
}

export function createGatewayStatusTable(deps: {
  shipped: (gateway: string) => Readonly<Record<string, GatewayStatusEntry>> | undefined;
  /** The connector's rule for a raw code its table does not list (Checkout.com's code ranges, Stripe's advice codes). */
  unlisted?: (gateway: string, rawCode: string) => GatewayStatusEntry | undefined;
  store: GatewayStatusStore;
  cacheTtlMs?: number;
  now?: () => number;
}) {
  const ttl = deps.cacheTtlMs ?? 5_000;
  const now = deps.now ?? Date.now;
  let cache: { at: number; byKey: Map<string, GatewayStatusOverride> } | null = null;

  async function overrides(): Promise<Map<string, GatewayStatusOverride>> {
    if (cache && now() - cache.at < ttl) return cache.byKey;
    const rows = await deps.store.listOverrides();
    cache = { at: now(), byKey: new Map(rows.map((r) => [`${r.gateway}\u0000${r.rawCode}`, r])) };
    return cache.byKey;
  }

  return {
    /** Reads the row for a raw code: operator override, else the connector's table, else the connector's rule for unlisted codes, else null. */
    async classify(gateway: string, rawCode: string): Promise<ClassifiedStatus | null> {
      const override = (await overrides()).get(`${gateway}\u0000${rawCode}`);
      if (override) return { ...override, source: 'OVERRIDE' };
      const shipped = deps.shipped(gateway)?.[rawCode] ?? deps.unlisted?.(gateway, rawCode);
      return shipped ? { ...shipped, source: 'CONNECTOR' } : null;
    },
    async list(gateway: string): Promise<Array<ClassifiedStatus & { rawCode: string }>> {
      const table = deps.shipped(gateway);
      if (!table) throw new AppError('RESOURCE_NOT_FOUND', `No connector for gateway ${gateway}`);
      const all = await overrides();
      const codes = new Set([...Object.keys(table), ...[...all.values()].filter((o) => o.gateway === gateway).map((o) => o.rawCode)]);
      return [...codes].sort().map((rawCode) => {
        const override = all.get(`${gateway}\u0000${rawCode}`);
        return override ? { ...override, rawCode, source: 'OVERRIDE' as const } : { ...table[rawCode]!, rawCode, source: 'CONNECTOR' as const };
      });
    },
    async setOverride(gateway: string, rawCode: string, body: Record<string, unknown>, actor: string): Promise<GatewayStatusOverride> {
      if (!deps.shipped(gateway)) throw new AppError('RESOURCE_NOT_FOUND', `No connector for gateway ${gateway}`);
      if (!/^[A-Za-z0-9_.:-]{1,40}$/.test(rawCode)) throw invalidField('code', 'must be 1 to 40 letters, digits or _ . : -');
      const entry = parseStatusEntry(body);
      const saved = await deps.store.upsertOverride({ ...entry, gateway, rawCode, updatedBy: actor });
      cache = null;
      return saved;
    },
    async removeOverride(gateway: string, rawCode: string): Promise<boolean> {
      const removed = await deps.store.deleteOverride(gateway, rawCode);
      cache = null;
      return removed;
    },
  };
}

export type GatewayStatusTable = ReturnType<typeof createGatewayStatusTable>;
