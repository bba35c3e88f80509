// The merchant's gateways (GET /v1/dashboard/gateways), as options for gateway pickers: one per
// gateway name, plus one per account that has a gateway reference id (a credential set).
import { useEffect, useState } from 'react';
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

let cache: Promise<GatewayOption[]> | null = null;

/** Test hook: forget the cached answer. */
export function resetGatewayCache(): void {
  cache = null;
}

export function useMerchantGateways(): { options: GatewayOption[]; loading: boolean; error: string | null } {
  const [state, setState] = useState<{ options: GatewayOption[]; loading: boolean; error: string | null }>({ options: [], loading: true, error: null });
  useEffect(() => {
    let live = true;
    cache ??= merchantGateways().then((r) => optionsOf(r?.gateways ?? []));
    cache.then(
      (options) => live && setState({ options, loading: false, error: null }),
      (e: unknown) => {
        cache = null;
        if (live) setState({ options: [], loading: false, error: e instanceof Error ? e.message : 'Could not load gateways' });
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
