// The one place errors become HTTP answers, in the EC API's error body. Anything that is not an
// AppError is logged with its stack and answered as "Something went wrong" with the request id.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type FieldError } from '../../core/errors.ts';

export interface ApiErrorBody {
  status: string;
  error_code: string;
  error_message: string;
  error_info: {
    code: string;
    category: string;
    request_id: string;
    developer_message: string;
    user_message: string;
    href: string;
    fields: FieldError[];
  };
}

export function errorBody(error: AppError, requestId: string): ApiErrorBody {
  const definition = ERRORS[error.code];
  return {
    status: STATUS_CODES[error.status] ?? 'Error',
    error_code: definition.errorCode,
    error_message: error.message,
    error_info: {
      code: error.code,
      category: definition.category,
      request_id: requestId,
      developer_message: error.developerMessage ?? error.message,
      user_message: definition.category === 'SYSTEM_ERROR' ? ERRORS.INTERNAL_ERROR.message : error.message,
      href: `/docs/errors.md#${error.code.toLowerCase()}`,
      fields: error.fields,
    },
  };
}

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns a schema validation failure into field-named errors ("amount: must be string"). */
export function validationToAppError(validation: readonly AjvError[], context: string | undefined): AppError {
  const fields: FieldError[] = validation.map((v) => {
    const path = (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const missing = typeof v.params?.missingProperty === 'string' ? v.params.missingProperty : undefined;
    const additional = typeof v.params?.additionalProperty === 'string' ? v.params.additionalProperty : undefined;
    const field = missing ? (path ? `${path}.${missing}` : missing) : additional ? (path ? `${path}.${additional}` : additional) : path || context || 'body';
    const reason = missing ? 'is required' : additional ? 'is not a known field' : (v.message ?? 'is invalid');
    return { field_name: field, reason };
  });
  const first = fields[0];
  const isMissing = validation.some((v) => v.keyword === 'required');
  const message = first ? `${isMissing ? 'Mandatory parameter is missing' : 'Invalid value'}: ${first.field_name} ${first.reason}` : 'Invalid request';
  return new AppError(isMissing ? 'MISSING_MANDATORY_PARAMETER' : 'INVALID_INPUT', message, { fields });
}

export function toAppError(error: unknown, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error;
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) return validationToAppError(fastifyError.validation, fastifyError.validationContext);
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', `Unsupported content type: ${request.headers['content-type'] ?? 'none'}`);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('INVALID_INPUT', 'Request body is not valid JSON', { fields: [{ field_name: 'body', reason: 'is not valid JSON' }] });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('INVALID_INPUT', 'Content-Length does not match the body');
    default:
      break;
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('INVALID_INPUT', fastifyError.message, { status: fastifyError.statusCode });
  }
  if (isStoreUnavailable(error)) {
    return new AppError('SERVICE_UNAVAILABLE', 'The database is unavailable for a moment; retry shortly', { retryAfterSeconds: 1 });
  }
  return new AppError('INTERNAL_ERROR');
}

// SQLSTATE classes and codes that mean "no usable connection": 08 connection exception,
// 57P01-57P03 the server shutting down or starting, 53300 too many connections.
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const UNAVAILABLE_SYSCALL = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE = /Connection terminated|is not queryable|timeout exceeded when trying to connect|PGlite is closed|Cannot use a pool after calling end|Connection is closed/;

/**
 * A failure to reach the database (or Redis) rather than a fault of the request or of our code:
 * PostgreSQL or PgBouncer restarting, a dropped connection, a full pool. Answered 503 with
 * Retry-After, so a client retries instead of treating it as a bug. Recognised by SQLSTATE, the
 * socket error code or the drivers' messages, on the error or its causes.
 */
export function isStoreUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SYSCALL.has(code))) return true;
    if (UNAVAILABLE_MESSAGE.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const appError = toAppError(error, request);
    if (appError.code === 'INTERNAL_ERROR' && !(error instanceof AppError)) {
      request.log.error({ err: error }, 'unhandled error');
    } else if (appError.code === 'SERVICE_UNAVAILABLE' && !(error instanceof AppError)) {
      request.log.error({ err: error }, 'database unavailable');
    } else if (appError.status >= 500) {
      request.log.error({ code: appError.code, msg: appError.message }, 'request failed');
    }
    if (appError.retryAfterSeconds !== undefined) void reply.header('retry-after', String(appError.retryAfterSeconds));
    void reply.status(appError.status).send(errorBody(appError, request.id));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = new AppError('METHOD_NOT_FOUND', `No such endpoint: ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).send(errorBody(error, request.id));
  });
}
