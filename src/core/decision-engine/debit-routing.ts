// Network (debit) routing, the engine's NTW_BASED_ROUTING: for a co-badged debit card (a global
// network such as Visa beside US local networks such as STAR or NYCE), the networks ordered by what
// the merchant pays on each (interchange + network fee), with the saving of each against the first
// global network. The formula and the fee table are the engine's (src/decider/network_decider/*,
// config/development.toml's [debit_routing_config]); the arithmetic is exact here: amounts in minor
// units, fees as integers of 1e-12 of the major unit (the engine uses floats).
import { currencyExponent } from '../money.ts';
import { isObject } from './engine-wire.ts';

export const GLOBAL_NETWORKS = ['VISA', 'MASTERCARD', 'AMEX', 'DINERS', 'RUPAY'] as const;
export const LOCAL_NETWORKS = ['STAR', 'PULSE', 'ACCEL', 'NYCE'] as const;
export type Network = (typeof GLOBAL_NETWORKS)[number] | (typeof LOCAL_NETWORKS)[number];
const NETWORKS: readonly string[] = [...GLOBAL_NETWORKS, ...LOCAL_NETWORKS];

/** A fee: a percentage of the amount plus a fixed amount in major units, both as exact decimal text. */
interface Fee {
  percentage: string;
  fixed: string;
}

/** The engine's shipped fee table (decision-engine config/development.toml, [debit_routing_config]). */
export const DEBIT_ROUTING_FEES = {
  fraudCheckFee: '1.0',
  networkFee: {
    VISA: { percentage: '0.1375', fixed: '2.0' },
    MASTERCARD: { percentage: '0.15', fixed: '4.0' },
    ACCEL: { percentage: '0.0', fixed: '4.0' },
    NYCE: { percentage: '0.10', fixed: '1.5' },
    PULSE: { percentage: '0.10', fixed: '3.0' },
    STAR: { percentage: '0.10', fixed: '1.5' },
  } as Partial<Record<Network, Fee>>,
  regulatedInterchange: { percentage: '0.05', fixed: '0.21' } as Fee,
  nonRegulatedInterchange: {
    merchant_category_code_0001: {
      VISA: { percentage: '1.65', fixed: '15.0' },
      MASTERCARD: { percentage: '1.65', fixed: '15.0' },
      ACCEL: { percentage: '1.55', fixed: '4.0' },
      NYCE: { percentage: '1.30', fixed: '21.3125' },
      PULSE: { percentage: '1.60', fixed: '15.0' },
      STAR: { percentage: '1.63', fixed: '15.0' },
    },
  } as Record<string, Partial<Record<Network, Fee>>>,
};

/** The regulated name whose interchange also carries the fraud-check fee (Durbin, non-exempt with fraud). */
export const NON_EXEMPT_WITH_FRAUD = 'GOVERNMENT NON-EXEMPT INTERCHANGE FEE (WITH FRAUD)';

export interface CoBadgedCard {
  networks: Network[];
  issuerCountry: string;
  isRegulated: boolean;
  regulatedName: string | null;
  cardType: 'debit' | 'credit';
}

export interface DebitRoutingInput {
  merchantCategoryCode: string;
  acquirerCountry: string;
  card: CoBadgedCard;
}

export interface DebitRoutingOutput {
  co_badged_card_networks_info: { network: Network; saving_percentage: number }[];
  issuer_country: string;
  is_regulated: boolean;
  regulated_name: string | null;
  card_type: 'debit' | 'credit';
}

/**
 * The debit routing inputs of a payment's metadata (the engine's `merchant_category_code`,
 * `acquirer_country` and `co_badged_card_data`), the first two falling back to the merchant's
 * debitRouting rule config; null when they are missing or malformed (the engine's
 * CO_BADGED_NETWORK_NOT_FOUND).
 */
export function readDebitRoutingInput(metadata: Record<string, unknown>, config: Record<string, unknown> | null): DebitRoutingInput | null {
  const mcc = metadata.merchant_category_code ?? config?.merchantCategoryCode;
  const acquirerCountry = metadata.acquirer_country ?? config?.acquirerCountry;
  const data = metadata.co_badged_card_data;
  if (typeof mcc !== 'string' || typeof acquirerCountry !== 'string' || !isObject(data)) return null;
  const networks = data.co_badged_card_networks;
  if (!Array.isArray(networks) || networks.length === 0 || !networks.every((n) => typeof n === 'string' && NETWORKS.includes(n))) return null;
  const cardType = typeof data.card_type === 'string' ? data.card_type.toLowerCase() : '';
  if (typeof data.issuer_country !== 'string' || typeof data.is_regulated !== 'boolean' || (cardType !== 'debit' && cardType !== 'credit')) return null;
  const regulatedName = data.regulated_name;
  if (regulatedName !== undefined && regulatedName !== null && typeof regulatedName !== 'string') return null;
  return {
    merchantCategoryCode: mcc,
    acquirerCountry,
    card: { networks: networks as Network[], issuerCountry: data.issuer_country, isRegulated: data.is_regulated, regulatedName: regulatedName ?? null, cardType },
  };
}

const SCALE = 10n ** 12n;

/** An exact decimal text as an integer of 10^-digits. */
function scaled(decimal: string, digits: number): bigint {
  const [whole = '0', fraction = ''] = decimal.split('.');
  if (fraction.length > digits) throw new Error(`${decimal} has more than ${digits} decimals`);
  return BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}

/** A fee on an amount, in 1e-12 of the major unit: amount x percentage / 100 + fixed. */
function feeOn(amountMinor: bigint, exponent: number, fee: Fee): bigint {
  // amount (major) = amountMinor / 10^exponent; percentage scaled by 10^6; / 100 -> 10^8.
  const percentPart = (amountMinor * scaled(fee.percentage, 6) * SCALE) / (10n ** BigInt(exponent) * 10n ** 8n);
  return percentPart + scaled(fee.fixed, 12);
}

/** Each network's total fee, or null when a network has no fee in the table (the engine fails then too). */
function feesPerNetwork(input: DebitRoutingInput, amountMinor: bigint, exponent: number): { network: Network; fee: bigint }[] | null {
  const out: { network: Network; fee: bigint }[] = [];
  for (const network of input.card.networks) {
    const interchange = input.card.isRegulated ? DEBIT_ROUTING_FEES.regulatedInterchange : DEBIT_ROUTING_FEES.nonRegulatedInterchange[input.merchantCategoryCode]?.[network];
    const networkFee = DEBIT_ROUTING_FEES.networkFee[network];
    if (!interchange || !networkFee) return null;
    let fee = feeOn(amountMinor, exponent, interchange) + feeOn(amountMinor, exponent, networkFee);
    if (input.card.isRegulated && input.card.regulatedName === NON_EXEMPT_WITH_FRAUD) fee += scaled(DEBIT_ROUTING_FEES.fraudCheckFee, 12);
    out.push({ network, fee });
  }
  return out;
}

/**
 * The networks cheapest first, each with its saving against the first global network in that order,
 * as a percentage of the amount rounded to 2 decimals (0 when the cheapest is a global network, or
 * there is none to compare with); null when a network has no fee.
 */
export function debitRoutingOutput(input: DebitRoutingInput, amountMinor: number, currency: string): DebitRoutingOutput | null {
  const exponent = currencyExponent(currency);
  const amount = BigInt(amountMinor);
  const fees = feesPerNetwork(input, amount, exponent);
  if (!fees || fees.length === 0) return null;
  const sorted = [...fees].sort((a, b) => (a.fee < b.fee ? -1 : a.fee > b.fee ? 1 : 0));
  const isGlobal = (n: Network) => (GLOBAL_NETWORKS as readonly string[]).includes(n);
  const baseline = isGlobal(sorted[0]!.network) ? undefined : sorted.find((f) => isGlobal(f.network))?.fee;
  // amount in 1e-12 of the major unit, for the ratio.
  const amountScaled = (amount * SCALE) / 10n ** BigInt(exponent);
  const savingOf = (fee: bigint): number => {
    if (baseline === undefined || baseline <= fee || amountScaled <= 0n) return 0;
    // round(saving / amount x 10000) / 100, half away from zero as the engine's f64::round.
    const hundredths = ((baseline - fee) * 10000n * 2n + amountScaled) / (amountScaled * 2n);
    return Number(hundredths) / 100;
  };
  return {
    co_badged_card_networks_info: sorted.map((f) => ({ network: f.network, saving_percentage: savingOf(f.fee) })),
    issuer_country: input.card.issuerCountry,
    is_regulated: input.card.isRegulated,
    regulated_name: input.card.regulatedName,
    card_type: input.card.cardType,
  };
}
