// A sample payment for a dry run, in the EC API's words (payment_method_type, card_number or
// card_bin, amount as a decimal, udf1.., metadata), turned into the engine's RoutingPayment.
import type { GatewayAccount, RoutingPayment, UdfKey } from '../../routing/index.ts';
import { UDF_KEYS } from '../../routing/index.ts';
import { detectBrand, lookupBin } from '../cards.ts';
import { invalidField } from '../errors.ts';
import { gatewayNameOf } from '../gateways.ts';
import { parseAmount, parseCurrency } from '../money.ts';

export type SamplePayment = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const upper = (v: unknown): string | null => str(v)?.toUpperCase() ?? null;

export function samplePayment(merchantId: string, sample: SamplePayment, gateways: readonly GatewayAccount[], nowMillis: number): RoutingPayment {
  const currency = sample.currency === undefined ? 'INR' : parseCurrency(sample.currency, 'payment.currency');
  const amount = sample.amount === undefined ? 10_000 : parseAmount(sample.amount, currency, 'payment.amount');
  const digits = (str(sample.card_number) ?? '').replace(/\D/g, '');
  const binSource = digits.length >= 6 ? digits : (str(sample.card_bin) ?? '').replace(/\D/g, '');
  if (sample.card_bin !== undefined && !/^\d{6}(\d{2})?$/.test(binSource)) throw invalidField('payment.card_bin', 'must be 6 or 8 digits');
  const pmt = upper(sample.payment_method_type) ?? 'CARD';
  const info = binSource ? lookupBin(binSource) : null;
  const brand = upper(sample.card_brand) ?? (binSource ? detectBrand(binSource.padEnd(16, '0')) : null);
  const udf: Partial<Record<UdfKey, string | null>> = {};
  for (const key of UDF_KEYS) {
    const v = str(sample[key]);
    if (v !== null) udf[key] = v;
  }
  const metadata: Record<string, string> = {};
  if (typeof sample.metadata === 'object' && sample.metadata !== null && !Array.isArray(sample.metadata)) {
    for (const [k, v] of Object.entries(sample.metadata)) if (str(v) !== null) metadata[k] = str(v)!;
  }
  const preferredId = typeof sample.gateway_id === 'number' || typeof sample.gateway_id === 'string' ? Number(sample.gateway_id) : NaN;
  const preferredGateway = upper(sample.preferred_gateway) ?? (Number.isInteger(preferredId) ? (gatewayNameOf(preferredId) ?? null) : null);
  const isEmi = sample.is_emi === true || sample.is_emi === 'true';
  return {
    merchantId,
    orderId: str(sample.order_id) ?? 'dry_run_order',
    txnId: str(sample.txn_id) ?? 'dry_run_txn',
    amount,
    currency,
    paymentMethodType: pmt,
    paymentMethod: upper(sample.payment_method) ?? (pmt === 'CARD' ? brand : null),
    authType: upper(sample.auth_type),
    card:
      // A card is known from its number, its BIN, or only its brand (the decision engine's evaluate).
      pmt === 'CARD' && (binSource || brand)
        ? {
            bin: binSource.slice(0, 6),
            extendedBin: binSource.length >= 8 ? binSource.slice(0, 8) : null,
            brand,
            type: upper(sample.card_type) ?? info?.type ?? null,
            subType: upper(sample.card_sub_type) ?? info?.subType ?? null,
            issuer: str(sample.card_issuer) ?? info?.issuer ?? null,
            issuerCountry: upper(sample.card_issuer_country) ?? info?.issuerCountry ?? null,
          }
        : null,
    upi: pmt === 'UPI' ? { txnType: upper(sample.txn_type) ?? 'COLLECT', app: str(sample.upi_app) } : null,
    wallet: upper(sample.wallet) ?? (pmt === 'WALLET' ? upper(sample.payment_method) : null),
    bank: upper(sample.bank) ?? (pmt === 'NB' ? upper(sample.payment_method) : null),
    emi: isEmi ? { isEmi: true, bank: upper(sample.emi_bank), tenure: sample.emi_tenure === undefined ? null : Number(sample.emi_tenure) } : null,
    customerId: str(sample.customer_id),
    productId: str(sample.product_id),
    description: str(sample.description),
    udf,
    metadata,
    billingCountry: upper(sample.billing_country),
    shippingCountry: upper(sample.shipping_country),
    preferredGateway,
    platform: upper(sample.platform),
    addToLocker: sample.save_to_locker === true || sample.save_to_locker === 'true',
    nowMillis: typeof sample.now_millis === 'number' ? sample.now_millis : nowMillis,
    gateways,
  };
}
