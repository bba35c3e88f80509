// Shared by the Braintree connector's tests: a signed webhook form as the HTTP layer hands it over,
// and the same form without its signature.
import type { IncomingHttpRequest } from '../../core/ports/connector.ts';

export function formRequest(signed: { headers: Record<string, string>; rawBody: string }): IncomingHttpRequest {
  return { headers: signed.headers, rawBody: signed.rawBody, body: Object.fromEntries(new URLSearchParams(signed.rawBody)) };
}

export function withoutSignature(signed: IncomingHttpRequest): IncomingHttpRequest {
  const form = new URLSearchParams(signed.rawBody);
  form.delete('bt_signature');
  return { headers: signed.headers, rawBody: form.toString(), body: Object.fromEntries(form) };
}
