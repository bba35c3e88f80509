// Return-URL signature (Juspay's scheme) and outgoing webhook body signature.
import { hmacSha256 } from './crypto.ts';

/**
 * Percent-encode each key and value, sort by key, join as k=v&..., percent-encode the joined
 * string, HMAC-SHA256 it with the merchant's response key (base64), percent-encode the result.
 */
export function signReturnParams(params: Record<string, string>, responseKey: string): string {
  const joined = Object.keys(params)
    .map((key) => [encodeURIComponent(key), encodeURIComponent(params[key] ?? '')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  return encodeURIComponent(hmacSha256(responseKey, encodeURIComponent(joined), 'base64'));
}

export function verifyReturnParams(params: Record<string, string>, signature: string, responseKey: string): boolean {
  const { signature: _ignored, signature_algorithm: _alg, ...rest } = params;
  return signReturnParams(rest, responseKey) === signature;
}

/** Header value for outgoing webhooks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signWebhookBody(body: string, key: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacSha256(key, `${timestampSeconds}.${body}`)}`;
}
