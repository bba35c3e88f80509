// The merchant's gateways (GET /v1/dashboard/gateways), as options for gateway pickers: one per
// gateway name, plus one per account that has a gateway reference id (a credential set).
import { useApiQuery } from '../api/query';
import { queryKeys } from '../api/query-keys';
import { merchantGateways } from './api';
import type { GatewayAccountInfo } from './types';

export interface GatewayOption {
  key: string;
  gateway: string;
  gatewayReferenceId: string | null;
  label: string;
  enabled: boolean;
}

export const optionKey = (gateway: string, ref: string | null) => (ref ? `${gateway}|${ref}` : gateway);

export function optionsOf(accounts: readonly GatewayAccountInfo[]): GatewayOption[] {
  const byName = new Map<string, GatewayOption>();
  const refs: GatewayOption[] = [];
  for (const a of accounts) {
    if (!a || typeof a.gateway !== 'string') continue;
    const enabled = a.enabled !== false;
    const named = byName.get(a.gateway);
    if (!named) byName.set(a.gateway, { key: a.gateway, gateway: a.gateway, gatewayReferenceId: null, label: a.gateway, enabled });
    else if (enabled) named.enabled = true;
    if (a.gateway_reference_id) {
      refs.push({ key: optionKey(a.gateway, a.gateway_reference_id), gateway: a.gateway, gatewayReferenceId: a.gateway_reference_id, label: `${a.gateway} · ${a.gateway_reference_id}`, enabled });
    }
  }
  const all = [...byName.values(), ...refs];
  for (const o of all) if (!o.enabled) o.label = `${o.label} (disabled)`;
  return all.sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * The options of the gateway pickers. Loaded once a session (the cache keeps them fresh for 10
 * minutes); a change on the Gateways page invalidates them with every view of the accounts.
 */
export function useMerchantGateways(): { options: GatewayOption[]; loading: boolean; error: string | null } {
  const loaded = useApiQuery(queryKeys.priorityLogic.gateways(), async (signal) => optionsOf((await merchantGateways(signal))?.gateways ?? []), { staleTime: 10 * 60_000 });
  return {
    options: loaded.data ?? [],
    loading: loaded.loading && !loaded.data,
    error: loaded.error ? loaded.error.message || 'Could not load gateways' : null,
  };
}
