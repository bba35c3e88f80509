// The one registry of API error codes. Every error the API returns is one of these: a stable
// code, the Juspay-compatible `error_code` family and category, an HTTP status and a message.
// A new code does not compile until it has a status (the Record below), and a test keeps
// this table and docs/errors.md in sync.

export const ErrorCategory = {
  USER_ERROR: 'USER_ERROR',
  CONFIG_ERROR: 'CONFIG_ERROR',
  SYSTEM_ERROR: 'SYSTEM_ERROR',
} as const;
export type ErrorCategory = (typeof ErrorCategory)[keyof typeof ErrorCategory];

interface ErrorDefinition {
  status: number;
  /** Juspay's coarse `error_code` (invalid_request_error, access_denied, ...). */
  errorCode: string;
  category: ErrorCategory;
  message: string;
}

export const ERRORS = {
  INVALID_INPUT: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Invalid input' },
  MISSING_MANDATORY_PARAMETER: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Mandatory parameter is missing' },
  RESOURCE_NOT_FOUND: { status: 404, errorCode: 'object_not_found', category: 'USER_ERROR', message: 'Resource not found' },
  DUPLICATE_REQUEST: { status: 409, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'A request for this resource is already in progress' },
  INVALID_ACTION: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'This action is not allowed in the current state' },
  ALREADY_EXISTS: { status: 409, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Resource already exists' },
  EXPIRED: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Resource has expired' },
  UNAUTHENTICATED: { status: 401, errorCode: 'access_denied', category: 'USER_ERROR', message: 'Invalid or missing API key' },
  UNAUTHORIZED: { status: 403, errorCode: 'access_denied', category: 'USER_ERROR', message: 'You do not have access' },
  CSRF_TOKEN_INVALID: { status: 403, errorCode: 'access_denied', category: 'USER_ERROR', message: 'Missing or invalid CSRF token: send the x-csrf-token header from GET /v1/auth/me' },
  PAYLOAD_TOO_LARGE: { status: 413, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Unsupported content type' },
  METHOD_NOT_FOUND: { status: 404, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'No such endpoint' },
  RATE_LIMITED: { status: 429, errorCode: 'rate_limit_error', category: 'USER_ERROR', message: 'Too many requests' },
  GATEWAY_NOT_FOUND: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: "Can't find a suitable gateway to process the transaction" },
  ACCOUNT_NOT_FOUND: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: 'Gateway account not found' },
  INVALID_ACCOUNT_DETAILS: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: 'Invalid gateway account details' },
  LOCKER_NOT_CONFIGURED: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: 'Card locker is not configured' },
  FEATURE_NOT_ENABLED: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: 'Feature not enabled for this merchant' },
  NAME_REQUIRED: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Please provide Configuration Name' },
  NAME_ALREADY_EXISTS: { status: 409, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Configuration Name already exists' },
  CODE_REQUIRED: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Please provide Code field' },
  DEFAULT_GATEWAYS_REQUIRED: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Need at least 1' },
  INVALID_CONDITIONS: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Invalid Conditions' },
  INVALID_VOLUME_SPLIT: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Invalid Volume Split' },
  COMPILATION_ERROR: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'COMPILATION_ERROR' },
  CODE_TOO_LARGE: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'CODE_TOO_LARGE' },
  INVALID_GATEWAY: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: 'INVALID_GATEWAY' },
  GATEWAY_NOT_SUPPORTED: { status: 400, errorCode: 'invalid_request_error', category: 'CONFIG_ERROR', message: 'GATEWAY_NOT_SUPPORTED' },
  NO_GATEWAY_SELECTED: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'No Gateway Selected' },
  APPROVAL_REQUIRED: { status: 400, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'A code-based Priority Logic must be approved before it is released' },
  LOGIC_IS_LIVE: {
    status: 400,
    errorCode: 'invalid_request_error',
    category: 'USER_ERROR',
    message: 'Active Priority Logics cannot be deleted. Deactivate them first or Revoke in case of a staggered release.',
  },
  SYNC_CONFLICT: { status: 409, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'Error! Try Syncing again' },
  INTERNAL_ERROR: { status: 500, errorCode: 'internal_error', category: 'SYSTEM_ERROR', message: 'Something went wrong. Please try again' },
  SERVICE_UNAVAILABLE: { status: 503, errorCode: 'internal_error', category: 'SYSTEM_ERROR', message: 'Service is shutting down or not ready' },
  GATEWAY_NOT_CONNECTED: {
    status: 400,
    errorCode: 'invalid_request_error',
    category: 'CONFIG_ERROR',
    message: 'Junction has no connector for this gateway yet: an account for it could not take payments',
  },
  IDEMPOTENCY_KEY_REUSED: { status: 409, errorCode: 'invalid_request_error', category: 'USER_ERROR', message: 'This idempotency key was already used with different parameters' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCodeName = keyof typeof ERRORS;

export interface FieldError {
  field_name: string;
  reason: string;
}

/** The one error class: thrown anywhere, turned into the API error body by the HTTP layer. */
export class AppError extends Error {
  readonly code: ErrorCodeName;
  readonly status: number;
  readonly fields: FieldError[];
  readonly developerMessage: string | undefined;
  /** Seconds the client should wait before trying again (sent as Retry-After). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCodeName, message?: string, options: { fields?: FieldError[]; developerMessage?: string; status?: number; retryAfterSeconds?: number } = {}) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? ERRORS[code].status;
    this.fields = options.fields ?? [];
    this.developerMessage = options.developerMessage;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Shorthand for the commonest error: one field is wrong. */
export function invalidField(field: string, reason: string): AppError {
  return new AppError('INVALID_INPUT', `Invalid value for ${field}: ${reason}`, { fields: [{ field_name: field, reason }] });
}

export function missingField(field: string): AppError {
  return new AppError('MISSING_MANDATORY_PARAMETER', `Mandatory parameter is missing: ${field}`, {
    fields: [{ field_name: field, reason: 'is required' }],
  });
}

export function notFound(what: string): AppError {
  return new AppError('RESOURCE_NOT_FOUND', `${what} not found`);
}
