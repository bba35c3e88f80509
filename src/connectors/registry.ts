// The explicit list of connectors this build knows. A new gateway is its folder under
// src/connectors/<gateway>/ and one more line in CONNECTOR_DEFINITIONS; everything else (which
// accounts can be saved, their credentials, eligibility, the admin API, docs/gateways.md) reads
// the definitions.
import type { Connector } from '../core/ports/connector.ts';
import { checkCredentials, type ConnectorDefinition, type CredentialProblem } from './kit/definition.ts';
import type { HttpTransport } from './kit/transport.ts';
import type { SimulatorFleet } from './simulator/simulator-fleet.ts';
import { SIMULATOR_DEFINITIONS } from './simulator/simulator-definition.ts';
import { stripeDefinition } from './stripe/stripe-connector.ts';
import { adyenDefinition } from './adyen/adyen-connector.ts';
import { checkoutDefinition } from './checkout/checkout-connector.ts';
import { razorpayDefinition } from './razorpay/razorpay-connector.ts';
import { payuDefinition } from './payu/payu-connector.ts';
import { paypalDefinition } from './paypal/paypal-connector.ts';
import { braintreeDefinition } from './braintree/braintree-connector.ts';

/** Every connector of this build, in the order docs and the admin API list them. */
export const CONNECTOR_DEFINITIONS: readonly ConnectorDefinition[] = [
  stripeDefinition,
  adyenDefinition,
  checkoutDefinition,
  razorpayDefinition,
  payuDefinition,
  paypalDefinition,
  braintreeDefinition,
  ...SIMULATOR_DEFINITIONS,
];

const BY_GATEWAY = new Map(CONNECTOR_DEFINITIONS.map((definition) => [definition.gateway as string, definition]));

export function connectorDefinition(gateway: string): ConnectorDefinition | undefined {
  return BY_GATEWAY.get(gateway);
}

/** Gateways this build has a connector for: accounts for any other gateway are refused when saved. */
export const CONNECTED_GATEWAYS: ReadonlySet<string> = new Set(BY_GATEWAY.keys());

/** What is wrong with an account's credentials for its gateway (empty when fine). */
export function credentialProblems(gateway: string, credentials: Record<string, string>): CredentialProblem[] {
  const definition = BY_GATEWAY.get(gateway);
  return definition ? checkCredentials(definition, credentials) : [];
}

/** What a gateway's connector can take at all: eligibility narrows accounts to it. */
export function connectorCapabilities(gateway: string): ConnectorDefinition['capabilities'] | undefined {
  return BY_GATEWAY.get(gateway)?.capabilities;
}

export interface ConnectorRegistry {
  get(gatewayName: string): Connector | undefined;
  names(): string[];
}

export interface ConnectorRegistryDeps {
  /** Every merchant's simulated gateways. */
  simulator: SimulatorFleet;
  /** Public origin of the app, for redirect URLs the connectors hand out. */
  publicBaseUrl: string;
  /** The HTTP client of every real connector. */
  transport: HttpTransport;
  /** API origins per gateway (emulators, sandboxes); each connector's default otherwise. */
  baseUrls?: Readonly<Partial<Record<string, string>>>;
}

export function createConnectorRegistry(deps: ConnectorRegistryDeps): ConnectorRegistry {
  const context = { transport: deps.transport, publicBaseUrl: deps.publicBaseUrl, baseUrls: deps.baseUrls ?? {}, simulator: deps.simulator };
  const connectors = new Map<string, Connector>();
  for (const definition of CONNECTOR_DEFINITIONS) connectors.set(definition.gateway, definition.create(context));
  return {
    get: (gatewayName) => connectors.get(gatewayName),
    names: () => [...connectors.keys()],
  };
}
