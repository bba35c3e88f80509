// The explicit list of connectors this build knows. A new gateway is one more line here.
import type { Connector } from '../core/ports/connector.ts';
import { SIMULATED_GATEWAYS } from '../core/gateways.ts';
import type { SimulatorFleet } from './simulator/simulator-fleet.ts';
import { createSimulatorConnector } from './simulator/simulator-connector.ts';

/** Gateways this build has a connector for: accounts for any other gateway are refused when saved. */
export const CONNECTED_GATEWAYS: ReadonlySet<string> = new Set<string>(SIMULATED_GATEWAYS);

export interface ConnectorRegistry {
  get(gatewayName: string): Connector | undefined;
  names(): string[];
}

export interface ConnectorRegistryDeps {
  /** Every merchant's simulated gateways. */
  simulator: SimulatorFleet;
  /** Public origin of the app, for redirect URLs the connectors hand out. */
  publicBaseUrl: string;
}

export function createConnectorRegistry(deps: ConnectorRegistryDeps): ConnectorRegistry {
  const connectors = new Map<string, Connector>();
  for (const gateway of SIMULATED_GATEWAYS) {
    connectors.set(gateway, createSimulatorConnector(deps.simulator, gateway, { publicBaseUrl: deps.publicBaseUrl }));
  }
  return {
    get: (gatewayName) => connectors.get(gatewayName),
    names: () => [...connectors.keys()],
  };
}
