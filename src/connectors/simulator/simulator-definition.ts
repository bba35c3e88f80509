// The simulated gateways as connector definitions: declared like every real connector (capabilities,
// credentials, status table, docs) so eligibility, account validation, the admin API and
// docs/gateways.md treat them the same. Their calls go through the kit's one transport like every
// connector's; the "remote gateway" (simulator.ts) is mounted on it in process (simulator-wire.ts).
import { GATEWAY_IDS, SIMULATED_GATEWAYS, type GatewayName } from '../../core/gateways.ts';
import type { ConnectorDefinition } from '../kit/definition.ts';
import { createSimulatorConnector } from './simulator-connector.ts';
import { SIMULATOR_STATUS_TABLE } from './transformers.ts';
import { SIMULATOR_WIRE_ORIGIN } from './simulator-wire.ts';

export function simulatorDefinition(gateway: GatewayName): ConnectorDefinition {
  return {
    gateway,
    gatewayId: GATEWAY_IDS[gateway],
    displayName: `Simulated gateway ${gateway.slice(4)}`,
    defaultBaseUrl: SIMULATOR_WIRE_ORIGIN,
    capabilities: {
      paymentMethodTypes: ['CARD', 'NB', 'UPI', 'WALLET'],
      cardBrands: 'ANY',
      currencies: 'ANY',
      countries: 'ANY',
      captureModes: ['AUTO', 'MANUAL'],
      partialCapture: true,
      threeDSecure: true,
      refunds: true,
      partialRefunds: true,
      sync: true,
      webhooks: true,
      asynchronousModifications: false,
      // The simulated gateway's ledger keeps every refund under its idempotency key for good (30 days stated).
      refundIdempotencyHours: 720,
    },
    credentials: [
      { name: 'webhook_secret', label: 'Webhook secret', required: false, secret: true, description: "Signs the simulated gateway's webhooks (x-simulator-signature); the demo sets one" },
      { name: 'api_key', label: 'API key', required: false, secret: true, description: 'Not checked by the simulator; accepted so demo accounts look like real ones' },
    ],
    authentication: "in process: calls go through the kit transport to in-process://simulator (no network); webhooks signed with the account's webhook_secret",
    statusTable: SIMULATOR_STATUS_TABLE,
    proof: 'built in: unit, conformance and API tests; the routing benchmark runs on it',
    docs: 'docs/connectors/simulator.md',
    create: (context) => {
      if (!context.simulator) throw new Error('the simulator connectors need the simulator fleet in their context');
      return createSimulatorConnector(context.simulator, gateway, { publicBaseUrl: context.publicBaseUrl, transport: context.transport });
    },
  };
}

export const SIMULATOR_DEFINITIONS: readonly ConnectorDefinition[] = SIMULATED_GATEWAYS.map(simulatorDefinition);
