// PayU India's hashes, without I/O. Every request carries a SHA-512 hex digest that includes the
// merchant's SALT; every answer PayU sends back (the browser's return to surl/furl, the
// server-to-server callback) carries a "reverse hash" over the same fields in reverse order.
// Formulas (https://docs.payu.in/docs/hashing-request-and-response,
// https://docs.payu.in/docs/authentication-with-payu-apis, https://docs.payu.in/docs/collect-additional-charges):
// - payment request:  sha512(key|txnid|amount|productinfo|firstname|email|udf1|udf2|udf3|udf4|udf5||||||SALT)
// - reverse (answer): sha512(SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key)
//   with additional charges: sha512(additional_charges|SALT|status||||||udf5|…|txnid|key)
// - command APIs:     sha512(key|command|var1|SALT)
// payu-examples-oracle.test.ts checks these against PayU's published worked example and a second
// implementation (Python's hashlib).
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../../core/crypto.ts';

export type PayuFields = Readonly<Record<string, string | undefined>>;

const sha512 = (text: string): string => createHash('sha512').update(text, 'utf8').digest('hex');
const f = (fields: PayuFields, name: string): string => fields[name] ?? '';

/** The hash string of a _payment request (exposed for the oracle test; never logged: it holds the SALT). */
export function paymentHashString(fields: PayuFields, salt: string): string {
  return [
    f(fields, 'key'),
    f(fields, 'txnid'),
    f(fields, 'amount'),
    f(fields, 'productinfo'),
    f(fields, 'firstname'),
    f(fields, 'email'),
    f(fields, 'udf1'),
    f(fields, 'udf2'),
    f(fields, 'udf3'),
    f(fields, 'udf4'),
    f(fields, 'udf5'),
    '',
    '',
    '',
    '',
    '',
    salt,
  ].join('|');
}

export function paymentHash(fields: PayuFields, salt: string): string {
  return sha512(paymentHashString(fields, salt));
}

export function reverseHashString(fields: PayuFields, salt: string): string {
  const base = [
    salt,
    f(fields, 'status'),
    '',
    '',
    '',
    '',
    '',
    f(fields, 'udf5'),
    f(fields, 'udf4'),
    f(fields, 'udf3'),
    f(fields, 'udf2'),
    f(fields, 'udf1'),
    f(fields, 'email'),
    f(fields, 'firstname'),
    f(fields, 'productinfo'),
    f(fields, 'amount'),
    f(fields, 'txnid'),
    f(fields, 'key'),
  ].join('|');
  const charges = f(fields, 'additional_charges') || f(fields, 'additionalCharges');
  return charges ? `${charges}|${base}` : base;
}

export function reverseHash(fields: PayuFields, salt: string): string {
  return sha512(reverseHashString(fields, salt));
}

/** Is `fields.hash` PayU's reverse hash of these fields under this SALT (constant-time)? */
export function reverseHashValid(fields: PayuFields, salt: string): boolean {
  const given = fields.hash;
  if (!given || !/^[0-9a-fA-F]{128}$/.test(given)) return false;
  return constantTimeEqual(given.toLowerCase(), reverseHash(fields, salt));
}

export function commandHash(key: string, command: string, var1: string, salt: string): string {
  return sha512(`${key}|${command}|${var1}|${salt}`);
}
