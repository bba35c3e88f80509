// Domain types of the payment core. Amounts are integer minor units of `currency`.
import type { RoutingDecisionRecord } from '../../routing/index.ts';
import type { OrderStatus, TxnStatus } from '../status.ts';

export interface Address {
  first_name?: string;
  last_name?: string;
  line1?: string;
  line2?: string;
  line3?: string;
  city?: string;
  state?: string;
  country?: string;
  postal_code?: string;
  phone?: string;
  country_code_iso?: string;
}

export interface Order {
  id: string;
  merchantId: string;
  orderId: string;
  amount: number;
  currency: string;
  status: OrderStatus;
  customerId: string | null;
  customerEmail: string | null;
  customerPhone: string | null;
  description: string | null;
  productId: string | null;
  returnUrl: string | null;
  gatewayId: number | null;
  billingAddress: Address;
  shippingAddress: Address;
  udf: Record<string, string>;
  metadata: Record<string, string>;
  amountRefunded: number;
  /** Captured of an AUTHORIZED order, when a partial capture took less than `amount`; null = all of it. */
  amountCaptured: number | null;
  txnCount: number;
  lockTxnId: string | null;
  chargedTxnId: string | null;
  lastTxnId: string | null;
  clientAuthTokenExpiry: Date | null;
  fulfillment: Fulfillment | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The order fields a merchant sets, on create and on update (the rest is the service's). */
export type MerchantOrderField = 'customerId' | 'customerEmail' | 'customerPhone' | 'description' | 'productId' | 'returnUrl' | 'gatewayId' | 'billingAddress' | 'shippingAddress' | 'udf' | 'metadata';

export interface Fulfillment {
  fulfillment_status: 'SUCCESS' | 'FAILURE' | 'PENDING';
  fulfillment_command: 'NO_ACTION' | 'RELEASE_HOLD' | 'HOLD';
  fulfillment_time: string | null;
  fulfillment_id: string | null;
  fulfillment_data: string | null;
  updated_at: string;
}

/** What we keep of a card: never the number or the CVV. */
export interface StoredCard {
  card_isin: string;
  extended_card_isin: string;
  last_four_digits: string;
  card_brand: string | null;
  card_type: string | null;
  card_sub_type: string | null;
  card_issuer: string | null;
  card_issuer_country: string | null;
  expiry_month: string;
  expiry_year: string;
  name_on_card: string | null;
  card_fingerprint: string;
  card_reference: string | null;
  using_saved_card: boolean;
  saved_to_locker: boolean;
  using_token: boolean;
}

export interface Txn {
  id: string; // txn_uuid
  merchantId: string;
  orderPk: string;
  txnId: string;
  attempt: number;
  status: TxnStatus;
  amount: number;
  currency: string;
  paymentMethodType: string;
  paymentMethod: string;
  authType: string | null;
  txnType: string;
  gateway: string | null;
  gatewayId: number | null;
  gatewayAccountId: string | null;
  gatewayReferenceId: string | null;
  gatewayTxnId: string | null;
  card: StoredCard | null;
  upi: { txn_type: string; vpa: string | null; app: string | null } | null;
  wallet: string | null;
  bank: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  errorCategory: string | null;
  gatewayCode: string | null;
  gatewayMessage: string | null;
  gatewayResponse: Record<string, unknown> | null;
  authentication: { method: string; url: string; params?: Record<string, string> } | null;
  /** How routing chose this attempt's gateway (read from any stored shape by readDecisionRecord). */
  routingDecision: RoutingDecisionRecord | null;
  /** The risk checks this attempt went through (null when the merchant runs none). */
  risk: TxnRisk | null;
  redirect: boolean;
  latencyMs: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A stored risk assessment: the checks that ran and their verdict, the mode, and the review state when held. */
export interface TxnRisk {
  provider: string;
  action: 'allow' | 'challenge_3ds' | 'review' | 'block';
  score: number;
  code: string | null;
  reasons: string[];
  checks: Array<{ check: string; action: string; score: number; reasons: string[] }>;
  allowlisted: boolean;
  mode: 'sequential' | 'parallel';
  /** A payment held for review: PENDING until a reviewer approves (capture) or rejects (void). */
  review?: { state: 'PENDING' | 'APPROVED' | 'REJECTED' | 'EXPIRED'; by?: string; at?: string; result?: string; heldAt?: string };
  /** The provider's post-authorisation verdict (after the gateway authorised or charged) and what was done. */
  postAuth?: { action: 'allow' | 'challenge_3ds' | 'review' | 'block'; effect: 'none' | 'void' | 'refund' | 'review' | 'flag'; at: string };
  /** What the card-testing guard counts a later decline against (kept for webhook and status-sync outcomes). */
  sources?: { clientIp: string | null; customerId: string | null; bin: string | null };
  /** Parallel mode: what the checks decided after the payment had gone to the gateway, and what was done. */
  late?: { action: string; effect: string; at: string };
}

export type RefundStatus = 'PENDING' | 'SUCCESS' | 'FAILURE' | 'MANUAL_REVIEW';

export interface Refund {
  id: string;
  merchantId: string;
  orderPk: string;
  txnPk: string;
  uniqueRequestId: string;
  amount: number;
  status: RefundStatus;
  ref: string | null;
  arn: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  sentToGateway: boolean;
  initiatedBy: string;
  refundType: string;
  refundSource: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Customer {
  id: string;
  merchantId: string;
  objectReferenceId: string;
  mobileNumber: string;
  mobileCountryCode: string | null;
  emailAddress: string | null;
  firstName: string | null;
  lastName: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface VaultedCard {
  token: string;
  merchantId: string;
  customerId: string | null;
  fingerprint: string;
  ciphertext: string;
  keyId: string;
  card: Pick<StoredCard, 'card_isin' | 'last_four_digits' | 'card_brand' | 'card_type' | 'card_issuer' | 'expiry_month' | 'expiry_year' | 'name_on_card'>;
}
