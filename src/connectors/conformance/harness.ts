// What a connector's test supplies to the conformance suite (../connector-conformance.ts): the
// connector, an account, and a way to steer its gateway (a sandbox, a mock server or the simulator)
// towards success or decline.
import type { AuthorizeRequest, CaptureOutcome, Connector, ConnectorAccount, IncomingHttpRequest, RefundOutcome } from '../../core/ports/connector.ts';

export interface ConformanceHarness {
  connector: Connector;
  account: ConnectorAccount;
  /** Make the following authorisations succeed. */
  forceSuccess(): void | Promise<void>;
  /** Make the following authorisations fail with a decline (not a timeout). */
  forceDecline(): void | Promise<void>;
  /** A direct card payment (no 3-D Secure) the gateway accepts; `overrides` change fields. */
  cardRequest(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest;
  /** A correctly signed webhook about this payment, as the gateway would send it. */
  signedPaymentWebhook(gatewayTxnId: string): Promise<IncomingHttpRequest>;
  /** The next call is processed by the gateway but answered after the connector's deadline. */
  forceTimeout?(): void | Promise<void>;
  /** How many payments the gateway has authorised so far (to prove a retry never charges twice). */
  chargeCount?(): number | Promise<number>;
  /**
   * A card payment that needs 3-D Secure, and a way to pass the challenge as the shopper would.
   * `authorisedOnly`: the gateway's answer after the redirect says Authorised without saying whether it
   * captured (Adyen); AUTHORIZED is then right, and the payment core charges an automatic attempt.
   */
  threeDs?: { request(overrides?: Partial<AuthorizeRequest>): AuthorizeRequest; pass(url: string): Promise<Record<string, string>>; authorisedOnly?: boolean };
  /** false: the gateway has no API to read a payment (Adyen); webhooks settle payments. */
  statusApi?: boolean;
  /**
   * For gateways that accept captures, voids and refunds and report their result later (Adyen
   * `received`, Checkout.com 202): the signed webhook that reports the result of this PENDING answer.
   */
  modificationResult?(outcome: CaptureOutcome | RefundOutcome): Promise<IncomingHttpRequest>;
  /**
   * Redirect-first gateways (PayU India): a payment always answers PENDING_AUTHENTICATION first (the
   * shopper's browser must visit the gateway's page). `complete` plays the shopper through that
   * redirect and returns what the browser brings back to our return URL; with it, "authorize" in
   * the tests means authorize, then completeAuthentication with those params. Optional: harnesses
   * without it run every test as before.
   */
  redirectFirst?: { complete(authentication: { method: 'GET' | 'POST'; url: string; params?: Record<string, string> }): Promise<Record<string, string>> };
  /**
   * For gateways that sign inside a form-encoded body (PayU's `hash` field): the same webhook with its
   * signature removed. Optional: without it the suite looks for a signature header or a JSON field.
   */
  unsignedWebhook?(signed: IncomingHttpRequest): IncomingHttpRequest;
  /**
   * For gateways whose signed content is encoded inside the body (Braintree's base64 `bt_payload`):
   * the same webhook with the payment's amount changed inside it, signature kept. Optional: without
   * it the suite changes the amount, a value or the payment id in the raw body's text.
   */
  tamperedWebhook?(signed: IncomingHttpRequest): IncomingHttpRequest;
  close?(): void | Promise<void>;
}
