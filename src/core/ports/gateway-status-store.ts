// Storage port for operator overrides of connectors' gateway status tables.
import type { GatewayStatusEntry } from './connector.ts';

export interface GatewayStatusOverride extends GatewayStatusEntry {
  gateway: string;
  rawCode: string;
  updatedBy: string;
  updatedAt: Date;
}

export interface GatewayStatusStore {
  listOverrides(gateway?: string): Promise<GatewayStatusOverride[]>;
  upsertOverride(override: Omit<GatewayStatusOverride, 'updatedAt'>): Promise<GatewayStatusOverride>;
  deleteOverride(gateway: string, rawCode: string): Promise<boolean>;
}
