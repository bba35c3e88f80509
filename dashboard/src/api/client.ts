// The dashboard's one way to call the service. The session is an HttpOnly cookie set by
// POST /v1/auth/login; every state-changing call carries the session's CSRF token in
// `x-csrf-token`. Errors come back in the API's error body and are thrown as ApiError, which
// keeps the stable code, the message and the per-field reasons for forms to show next to a field.

import type { ErrorCodeName } from '../../../src/core/errors.ts';

/**
 * A code of the API's one error registry (src/core/errors.ts, imported, not copied: comparing with
 * a code that is not there does not compile), or HTTP_<status> when the answer carried none.
 */
export type ApiErrorCode = ErrorCodeName | `HTTP_${number}`;

export interface FieldError {
  field_name: string;
  reason: string;
}

export interface ApiErrorBody {
  status?: string;
  error_code?: string;
  error_message?: string;
  error_info?: { code?: string; category?: string; request_id?: string; user_message?: string; fields?: FieldError[] };
}

/** The seed's words for a failure the user cannot fix (a 5xx answer, or no answer at all). */
const SERVER_ERROR_MESSAGE = 'Something went wrong. Please try again';

export class ApiError extends Error {
  readonly status: number;
  /** Stable code, e.g. `UNAUTHORIZED`, `NAME_ALREADY_EXISTS`, `INVALID_CONDITIONS`. */
  readonly code: ApiErrorCode;
  readonly fields: FieldError[];
  readonly requestId: string | undefined;

  constructor(status: number, body: ApiErrorBody | null, fallback: string) {
    // A 5xx (or no answer, status 0) is shown in the seed's words, never as "Request failed (500)"
    // or the server's internal message; the request id stays for support.
    super(status >= 500 || status === 0 ? SERVER_ERROR_MESSAGE : (body?.error_info?.user_message ?? body?.error_message ?? fallback));
    this.name = 'ApiError';
    this.status = status;
    this.code = (body?.error_info?.code ?? body?.error_code ?? `HTTP_${status}`) as ApiErrorCode;
    this.fields = body?.error_info?.fields ?? [];
    this.requestId = body?.error_info?.request_id;
  }

  /** The reason given for one field (matched exactly, or as a prefix such as `definition.rules[0]`). */
  fieldReason(field: string): string | undefined {
    const hit = this.fields.find((f) => f.field_name === field) ?? this.fields.find((f) => f.field_name.startsWith(`${field}.`) || f.field_name.startsWith(`${field}[`));
    return hit?.reason;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (the session expired): the app shows the sign-in page. */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON body (objects), a FormData (file upload), or a string sent as it is under `headers['content-type']`. */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}${path.includes('?') ? '&' : '?'}${qs}` : path;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (typeof options.body === 'string' && headers['content-type']) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (e) {
    if (options.signal?.aborted || (e instanceof DOMException && e.name === 'AbortError')) throw e;
    throw new ApiError(0, null, SERVER_ERROR_MESSAGE); // offline, DNS, connection refused
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && onUnauthenticated) onUnauthenticated();
    throw new ApiError(response.status, parsed as ApiErrorBody | null, `Request failed (${response.status})`);
  }
  return parsed as T;
}
