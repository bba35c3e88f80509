import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { AppError } from './errors.ts';
import { formatAmountString, minorUnitsOf, parseAmount, parseCurrency } from './money.ts';

const rejects = (value: unknown, currency = 'INR') =>
  assert.throws(
    () => parseAmount(value, currency),
    (e: unknown) => e instanceof AppError && e.fields[0]?.field_name === 'amount',
  );

test('parses decimal strings into integer minor units without floats', () => {
  assert.equal(parseAmount('100', 'INR'), 10000);
  assert.equal(parseAmount('100.5', 'INR'), 10050);
  assert.equal(parseAmount('100.50', 'INR'), 10050);
  assert.equal(parseAmount('0.29', 'INR'), 29); // 0.29 * 100 is 28.999999999999996 as a float
  assert.equal(parseAmount(1.1, 'USD'), 110);
  assert.equal(parseAmount('1000', 'JPY'), 1000);
  assert.equal(parseAmount('1.234', 'KWD'), 1234);
  assert.equal(parseAmount('10.100', 'INR'), 1010); // trailing zeros are not extra precision
});

test('rejects negative, malformed, over-precise, zero and absurd amounts, naming the field', () => {
  for (const bad of ['-5', 'abc', '1.234', '0', '0.00', '1e5', '', ' ', '1,000', '12.', '.5', 1e30, Number.NaN, null, {}, '99999999999999999']) rejects(bad);
  rejects('1.5', 'JPY');
});

test('property: format(parse(x)) round-trips every valid two-decimal amount', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 10 ** 12 }), (minor) => {
      const text = formatAmountString(minor, 'INR');
      assert.equal(parseAmount(text, 'INR'), minor);
    }),
    { numRuns: 2000 },
  );
});

test('property: any string that parses gives a positive safe integer', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), (text) => {
      try {
        const minor = parseAmount(text, 'INR');
        assert.ok(Number.isSafeInteger(minor) && minor > 0);
      } catch (error) {
        assert.ok(error instanceof AppError);
      }
    }),
    { numRuns: 3000 },
  );
});

test('currency codes are three letters', () => {
  assert.equal(parseCurrency('inr'), 'INR');
  assert.throws(() => parseCurrency('XX'), AppError);
  assert.throws(() => parseCurrency(5), AppError);
});

test("minorUnitsOf reads a gateway's decimal exactly, and refuses what is not one", () => {
  assert.equal(minorUnitsOf('100.00', 'INR'), 10_000);
  assert.equal(minorUnitsOf(' 10.5 ', 'INR'), 1_050);
  assert.equal(minorUnitsOf('500', 'JPY'), 500);
  assert.equal(minorUnitsOf('1.230', 'INR'), 123, 'trailing zeros are not extra places');
  assert.equal(minorUnitsOf('1.005', 'INR'), null, 'more places than the currency');
  assert.equal(minorUnitsOf('-1.00', 'INR'), null);
  assert.equal(minorUnitsOf('1e3', 'INR'), null);
  assert.equal(minorUnitsOf(undefined, 'INR'), null);
  for (const minor of [0, 1, 99, 12_345, 9_007_199_254_740]) assert.equal(minorUnitsOf(formatAmountString(minor, 'KWD'), 'KWD'), minor);
});
