// What a connector declares about itself: the gateway it speaks to, what it can do, and the
// credentials an account needs. Everything outside a connector's folder reads this (eligibility,
// account validation, the admin API, docs/gateways.md), so adding a gateway is its folder plus one
// line in ../registry.ts.
import type { CardBrand, PaymentMethodType } from '../../core/payment-methods.ts';
import type { GatewayName } from '../../core/gateways.ts';
import { ConnectorError, type Connector, type ConnectorAccount, type GatewayStatusEntry } from '../../core/ports/connector.ts';
import type { HttpTransport } from './transport.ts';
import type { SimulatorFleet } from '../simulator/simulator-fleet.ts';

export interface ConnectorCapabilities {
  paymentMethodTypes: readonly PaymentMethodType[];
  cardBrands: readonly CardBrand[] | 'ANY';
  /** ISO 4217 codes, or every currency. */
  currencies: readonly string[] | 'ANY';
  /** ISO 3166 alpha-2 codes of merchant countries the provider serves, or all. */
  countries: readonly string[] | 'ANY';
  captureModes: readonly ('AUTO' | 'MANUAL')[];
  /** Can a MANUAL authorisation be captured for less than its amount? */
  partialCapture: boolean;
  threeDSecure: boolean;
  refunds: boolean;
  partialRefunds: boolean;
  /** Can we ask the provider for a payment's state (Adyen cannot: webhooks only)? */
  sync: boolean;
  webhooks: boolean;
  /** Does a capture, void or refund answer "received" and settle later by webhook? */
  asynchronousModifications: boolean;
  /**
   * How long the provider answers a repeated refund request carrying the same idempotency key with
   * the refund it made (its documented retention of idempotency keys), when it does. Junction asks a
   * PENDING refund again within half of it (the refund sync); absent: never asked again.
   */
  refundIdempotencyHours?: number;
}

/** One credential an account of this gateway needs. Values are stored encrypted; `secret` ones are never shown again. */
export interface CredentialField {
  name: string;
  label: string;
  required: boolean;
  secret: boolean;
  /** What a valid value looks like (checked when the account is saved). */
  pattern?: RegExp;
  patternReason?: string;
  description: string;
}

export interface ConnectorContext {
  /** The one HTTP client every connector uses. */
  transport: HttpTransport;
  /** Public origin of this app (3-D Secure return pages, webhooks). */
  publicBaseUrl: string;
  /** Where each gateway's API lives, when not the provider's default (emulators, sandboxes). */
  baseUrls: Readonly<Partial<Record<string, string>>>;
  /** The in-process simulated gateways (the simulator connectors' "remote gateway"). */
  simulator?: SimulatorFleet;
}

export interface ConnectorDefinition {
  gateway: GatewayName;
  gatewayId: number;
  displayName: string;
  /** The provider's default API origin (test mode). */
  defaultBaseUrl: string;
  capabilities: ConnectorCapabilities;
  credentials: readonly CredentialField[];
  /** How a request is authenticated, in words, for the docs. */
  authentication: string;
  /** The shipped gateway status table: raw code -> meaning. */
  statusTable: Readonly<Record<string, GatewayStatusEntry>>;
  /** How the connector is proven, for the README's connector table. */
  proof: string;
  /** The connector's own document, relative to the repository root. */
  docs: string;
  create(context: ConnectorContext): Connector;
}

export interface CredentialProblem {
  field_name: string;
  reason: string;
}

/** Checks an account's credentials against its gateway's declared fields (names, presence, shape). */
export function checkCredentials(definition: Pick<ConnectorDefinition, 'gateway' | 'credentials'>, credentials: Record<string, string>): CredentialProblem[] {
  const problems: CredentialProblem[] = [];
  const known = new Set(definition.credentials.map((field) => field.name));
  for (const field of definition.credentials) {
    const value = credentials[field.name];
    if (value === undefined || value === '') {
      if (field.required) problems.push({ field_name: `credentials.${field.name}`, reason: `is required for ${definition.gateway} (${field.label})` });
      continue;
    }
    if (field.pattern && !field.pattern.test(value)) {
      problems.push({ field_name: `credentials.${field.name}`, reason: field.patternReason ?? `does not look like a ${field.label}` });
    }
  }
  for (const name of Object.keys(credentials)) {
    if (!known.has(name)) problems.push({ field_name: `credentials.${name}`, reason: `is not a credential of ${definition.gateway} (expected: ${[...known].join(', ')})` });
  }
  return problems;
}

/** What the admin API and dashboard show of a definition (no code, patterns as text). */
export interface ConnectorDescription {
  gateway: string;
  gateway_id: number;
  display_name: string;
  capabilities: Record<string, unknown>;
  credentials: Array<{ name: string; label: string; required: boolean; secret: boolean; description: string; pattern?: string }>;
  authentication: string;
  docs: string;
}

export function describeDefinition(definition: ConnectorDefinition): ConnectorDescription {
  return {
    gateway: definition.gateway,
    gateway_id: definition.gatewayId,
    display_name: definition.displayName,
    capabilities: {
      payment_method_types: definition.capabilities.paymentMethodTypes,
      card_brands: definition.capabilities.cardBrands,
      currencies: definition.capabilities.currencies,
      countries: definition.capabilities.countries,
      capture_modes: definition.capabilities.captureModes,
      partial_capture: definition.capabilities.partialCapture,
      three_d_secure: definition.capabilities.threeDSecure,
      refunds: definition.capabilities.refunds,
      partial_refunds: definition.capabilities.partialRefunds,
      sync: definition.capabilities.sync,
      webhooks: definition.capabilities.webhooks,
      asynchronous_modifications: definition.capabilities.asynchronousModifications,
    },
    credentials: definition.credentials.map((field) => ({
      name: field.name,
      label: field.label,
      required: field.required,
      secret: field.secret,
      description: field.description,
      ...(field.pattern ? { pattern: field.pattern.source } : {}),
    })),
    authentication: definition.authentication,
    docs: definition.docs,
  };
}

/** What a connector tells eligibility about itself: the payment method types and currencies of its definition. */
export const eligibilityOf = (definition: ConnectorDefinition): Connector['capabilities'] => ({
  paymentMethodTypes: definition.capabilities.paymentMethodTypes,
  currencies: definition.capabilities.currencies,
});

/** The account's webhook signing secret; without one a webhook cannot be verified, a CONFIGURATION error. */
export function webhookSecret(account: ConnectorAccount, definition: { gateway: string; displayName: string }): string {
  const secret = account.credentials.webhook_secret;
  if (!secret) throw new ConnectorError(`The ${definition.displayName} account has no webhook_secret`, definition.gateway, 'CONFIGURATION');
  return secret;
}
