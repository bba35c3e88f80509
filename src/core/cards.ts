// Card number facts we may keep: BIN, last four, brand, and issuer information from a small
// built-in BIN table. The full number never leaves the request that carried it.
import { invalidField } from './errors.ts';
import type { CardBrand, CardType } from './payment-methods.ts';

export function luhnValid(number: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = number.length - 1; i >= 0; i--) {
    let digit = number.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
    double = !double;
  }
  return sum % 10 === 0;
}

export function detectBrand(number: string): CardBrand | null {
  const p2 = Number(number.slice(0, 2));
  const p4 = Number(number.slice(0, 4));
  const p6 = Number(number.slice(0, 6));
  if (/^3[47]/.test(number)) return 'AMEX';
  if (/^(508[5-9]|6069|607|608|652[1-9]|653[0-1]|81|82)/.test(number)) return 'RUPAY';
  if (/^(5018|5020|5038|6304|6759|676[1-3])/.test(number)) return 'MAESTRO';
  if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) return 'MASTERCARD';
  if (number.startsWith('4')) return 'VISA';
  if (/^(36|38|30[0-5])/.test(number)) return 'DINERS';
  if (/^(6011|65|64[4-9])/.test(number)) return 'DISCOVER';
  if (p4 >= 3528 && p4 <= 3589) return 'JCB';
  if (number.startsWith('62')) return 'UNIONPAY';
  return null;
}

export interface BinInfo {
  issuer: string | null;
  issuerCountry: string | null;
  type: CardType | null;
  subType: string | null;
}

/** A small BIN table: well-known test BINs plus a few real issuer prefixes, enough for routing rules and the demo. */
const BIN_TABLE: ReadonlyArray<{ prefix: string } & BinInfo> = [
  { prefix: '411111', issuer: 'HDFC Bank', issuerCountry: 'IN', type: 'CREDIT', subType: 'CLASSIC' },
  { prefix: '401200', issuer: 'ICICI Bank', issuerCountry: 'IN', type: 'DEBIT', subType: 'CLASSIC' },
  { prefix: '424242', issuer: 'Stripe Test Bank', issuerCountry: 'US', type: 'CREDIT', subType: 'CLASSIC' },
  { prefix: '400000', issuer: 'Chase', issuerCountry: 'US', type: 'DEBIT', subType: 'CLASSIC' },
  { prefix: '555555', issuer: 'ICICI Bank', issuerCountry: 'IN', type: 'CREDIT', subType: 'PLATINUM' },
  { prefix: '510510', issuer: 'Axis Bank', issuerCountry: 'IN', type: 'DEBIT', subType: 'CLASSIC' },
  { prefix: '522222', issuer: 'SBI', issuerCountry: 'IN', type: 'CREDIT', subType: 'TITANIUM' },
  { prefix: '378282', issuer: 'American Express', issuerCountry: 'US', type: 'CREDIT', subType: 'GOLD' },
  { prefix: '371449', issuer: 'American Express', issuerCountry: 'US', type: 'CREDIT', subType: 'PLATINUM' },
  { prefix: '608001', issuer: 'SBI', issuerCountry: 'IN', type: 'DEBIT', subType: 'CLASSIC' },
  { prefix: '652150', issuer: 'Kotak Mahindra Bank', issuerCountry: 'IN', type: 'CREDIT', subType: 'SELECT' },
  { prefix: '601100', issuer: 'Discover Bank', issuerCountry: 'US', type: 'CREDIT', subType: 'CLASSIC' },
  { prefix: '4', issuer: null, issuerCountry: null, type: 'CREDIT', subType: null },
];

export function lookupBin(number: string): BinInfo {
  const hit = BIN_TABLE.find((row) => number.startsWith(row.prefix));
  return hit ? { issuer: hit.issuer, issuerCountry: hit.issuerCountry, type: hit.type, subType: hit.subType } : { issuer: null, issuerCountry: null, type: null, subType: null };
}

/** Normalises and checks a card number from the API: digits only, 12–19 long, Luhn-valid. */
export function parseCardNumber(value: unknown, field = 'card_number'): string {
  if (typeof value !== 'string' && typeof value !== 'number') throw invalidField(field, 'must be a string of digits');
  const digits = String(value).replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) throw invalidField(field, 'must be 12 to 19 digits');
  if (!luhnValid(digits)) throw invalidField(field, 'is not a valid card number (checksum failed)');
  return digits;
}

export function parseExpiry(month: unknown, year: unknown, now: Date): { month: string; year: string } {
  const m = typeof month === 'string' || typeof month === 'number' ? String(month).trim() : '';
  const y = typeof year === 'string' || typeof year === 'number' ? String(year).trim() : '';
  if (!/^\d{1,2}$/.test(m) || Number(m) < 1 || Number(m) > 12) throw invalidField('card_exp_month', 'must be a month from 1 to 12');
  if (!/^(\d{2}|\d{4})$/.test(y)) throw invalidField('card_exp_year', 'must be a two- or four-digit year');
  const fullYear = y.length === 2 ? 2000 + Number(y) : Number(y);
  const monthNumber = Number(m);
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  if (fullYear * 12 + (monthNumber - 1) < current) throw invalidField('card_exp_year', 'card has expired');
  if (fullYear > now.getUTCFullYear() + 50) throw invalidField('card_exp_year', 'is too far in the future');
  return { month: m.padStart(2, '0'), year: String(fullYear) };
}

export function parseCvv(value: unknown, brand: CardBrand | null): string {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
  const length = brand === 'AMEX' ? 4 : 3;
  if (!/^\d+$/.test(text) || text.length !== length) throw invalidField('card_security_code', `must be ${length} digits`);
  return text;
}
