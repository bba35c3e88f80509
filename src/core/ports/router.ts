// The routing seam: the payment path asks a GatewayRouter for an ordered list of eligible
// gateway accounts and stores the decision it returns on the transaction, as it is.
import type { AuthType, PaymentMethodType } from '../payment-methods.ts';

export interface GatewayAccountCandidate {
  accountId: string;
  gateway: string;
  gatewayId: number;
  gatewayReferenceId: string | null;
  enabled: boolean;
  paymentMethodTypes: readonly string[];
  paymentMethods: readonly string[];
  cardBrands: readonly string[];
  currencies: readonly string[];
  priority: number;
}

export interface RoutingRequest {
  merchantId: string;
  orderId: string;
  txnId: string;
  amount: number;
  currency: string;
  paymentMethodType: PaymentMethodType;
  paymentMethod: string;
  authType: AuthType | null;
  card: { bin: string; extendedBin: string; brand: string | null; type: string | null; subType: string | null; issuer: string | null; issuerCountry: string | null } | null;
  upi: { txnType: string; app: string | null } | null;
  wallet: string | null;
  bank: string | null;
  emi: { isEmi: boolean; bank: string | null; tenure: number | null } | null;
  customerId: string | null;
  productId: string | null;
  description: string | null;
  udf: Record<string, string>;
  metadata: Record<string, string>;
  billingCountry: string | null;
  shippingCountry: string | null;
  /** Order's preferred gateway (gateway_id on the order), as a name. */
  preferredGateway: string | null;
  /** metadata.JUSPAY:gateway_reference_id of the order, if any. */
  gatewayReferenceId: string | null;
  addToLocker: boolean;
  candidates: readonly GatewayAccountCandidate[];
  nowMillis: number;
}

export interface RoutedGateway {
  accountId: string;
  gateway: string;
  gatewayId: number;
  gatewayReferenceId: string | null;
}

export interface RoutingDecision {
  /** Eligible gateways in the order they may be tried. Empty: no suitable gateway. */
  gateways: RoutedGateway[];
  enforced: boolean;
  /** The whole record of how the decision was made, stored on the transaction as JSON. */
  record: Record<string, unknown>;
}

export interface GatewayRouter {
  decide(request: RoutingRequest): Promise<RoutingDecision>;
}
