// ISO 4217: every active currency code with its minor-unit exponent (decimal places), the one
// table used by money parsing and formatting (core/money.ts), the simulated gateways and the
// dashboard. Funds codes (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW) are included; precious
// metals, testing and special drawing codes (XAU, XTS, XDR, ...) are not: nobody pays in them.
// Source: the ISO 4217 list one (current currency and funds), as amended up to 2025: ANG replaced
// by XCG (2025), BGN withdrawn with Bulgaria's move to the euro (2026), ZWL replaced by ZWG (2024),
// SLL by SLE, HRK by EUR (2023).

const ZERO = 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF';
const THREE = 'BHD IQD JOD KWD LYD OMR TND';
const FOUR = 'CLF UYW';
const TWO = [
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD',
  'CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP',
  'GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK',
  'LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO',
  'NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS',
  'SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST',
  'XCD XCG YER ZAR ZMW ZWG',
].join(' ');

function table(): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  for (const [codes, exponent] of [
    [ZERO, 0],
    [TWO, 2],
    [THREE, 3],
    [FOUR, 4],
  ] as const) {
    for (const code of codes.split(' ')) map.set(code, exponent);
  }
  return map;
}

/** Active ISO 4217 codes and their minor-unit exponents. */
export const CURRENCY_EXPONENTS: ReadonlyMap<string, number> = table();

export function isCurrency(code: string): boolean {
  return CURRENCY_EXPONENTS.has(code);
}

/** Decimal places of the currency's minor unit; undefined for a code that is not ISO 4217. */
export function exponentOf(code: string): number | undefined {
  return CURRENCY_EXPONENTS.get(code.toUpperCase());
}
