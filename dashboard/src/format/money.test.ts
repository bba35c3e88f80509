import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimalToMinor, formatDecimalMoney, formatMoney, minorToDecimal } from './money';

describe('formatMoney', () => {
  it('uses the currency symbol and Indian grouping for INR', () => {
    expect(formatMoney(53447300, 'INR')).toBe('₹5,34,473.00');
    expect(formatMoney(61530700, 'INR')).toBe('₹6,15,307.00');
    expect(formatMoney(5, 'INR')).toBe('₹0.05');
    expect(formatMoney(-123456789, 'INR')).toBe('-₹12,34,567.89');
  });

  it('JPY has no decimals, USD and EUR two, KWD three', () => {
    expect(formatMoney(1000, 'JPY')).toBe('¥1,000');
    expect(formatMoney(123456789, 'JPY')).toBe('¥123,456,789');
    expect(formatMoney(123456, 'USD')).toBe('$1,234.56');
    expect(formatMoney(100, 'EUR')).toBe('€1.00');
    expect(formatMoney(1234, 'KWD')).toMatch(/^KWD\s1\.234$/);
  });

  it('is exact beyond the float range (no float conversion)', () => {
    expect(formatMoney(12345678901234567891n, 'INR')).toBe('₹1,23,45,67,89,01,23,45,678.91');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD')).toBe('$90,071,992,547,409.91');
    expect(formatMoney(0.5, 'USD')).toBe('–');
  });

  it('keeps every digit of any amount, in order, for any currency exponent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.constantFrom('INR', 'JPY', 'USD', 'KWD', 'EUR'), (minor, currency) => {
        const shown = formatMoney(minor, currency);
        const digits = shown.replace(/[^\d]/g, '');
        const exponent = currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;
        const abs = minor < 0n ? -minor : minor;
        expect(BigInt(digits)).toBe(abs);
        expect(shown.startsWith('-')).toBe(minor < 0n);
        // the decimals shown are exactly the currency's minor-unit digits
        const fraction = /\.(\d+)$/.exec(shown)?.[1] ?? '';
        expect(fraction.length).toBe(exponent);
      }),
    );
  });

  it('groups INR as lakh and crore: the last three digits, then twos', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 18n }), (minor) => {
        const whole = formatMoney(minor, 'INR').replace('₹', '').split('.')[0]!;
        expect(whole).toMatch(/^\d{1,2}(,\d{2})*,\d{3}$|^\d{1,3}$/);
      }),
    );
  });
});

describe('decimal strings', () => {
  it('round-trips minor units through the decimal string', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.constantFrom('INR', 'JPY', 'KWD'), (minor, currency) => {
        expect(decimalToMinor(minorToDecimal(minor, currency)!, currency)).toBe(minor);
      }),
    );
  });

  it('formats the API decimal amounts; refuses more decimals than the currency has', () => {
    expect(formatDecimalMoney('534473.00', 'INR')).toBe('₹5,34,473.00');
    expect(formatDecimalMoney('1000', 'JPY')).toBe('¥1,000');
    expect(formatDecimalMoney(49, 'INR')).toBe('₹49.00');
    expect(decimalToMinor('1.5', 'JPY')).toBeNull();
    expect(formatDecimalMoney(null, 'INR')).toBe('–');
  });
});
