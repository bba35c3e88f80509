// The PayPal emulator's contract: PayPal's published OpenAPI documents (paypal/paypal-rest-api-
// specifications, `openapi/checkout_orders_v2.json` v2.13, `payments_payment_v2.json` v2.5,
// `notifications_webhooks_v1.json` v1.11, 2024-02), vendored unchanged in ./contract with their
// Apache-2.0 licence, compiled with Ajv (OpenAPI 3.0's schema dialect is draft-04/07-like; `readOnly`,
// `deprecated`, `discriminator` and `example` are annotations here). Every request the emulator
// receives is validated against its operation's request schema, and every answer it gives against the
// response schema of its status, looked up by operationId exactly as the documents declare them.
//
// Not in these documents: the OAuth2 token endpoint (`POST /v1/oauth2/token`, only named as the
// `tokenUrl` of the `Oauth2` security scheme); the emulator checks it against RFC 6749 §4.4
// (client credentials grant) itself.
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, unknown>; responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> };
}
interface OpenApiOperation {
  operationId?: string;
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}

const DOCUMENT_FILES = {
  orders: 'checkout_orders_v2.json',
  payments: 'payments_payment_v2.json',
  webhooks: 'notifications_webhooks_v1.json',
} as const;
export type PayPalDocument = keyof typeof DOCUMENT_FILES;

const DOCUMENTS = Object.fromEntries(
  Object.entries(DOCUMENT_FILES).map(([key, file]) => [key, JSON.parse(readFileSync(new URL(`./contract/${file}`, import.meta.url), 'utf8')) as OpenApiDocument]),
) as Record<PayPalDocument, OpenApiDocument>;

// PayPal's patterns are written for JavaScript's non-unicode RegExp (an email pattern has a `[`-escape a
// `u` regex refuses): compile them without the `u` flag.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true, unicodeRegExp: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
// PayPal's own format names. Each schema also carries its own length limits and pattern; these add
// the shape the name promises (an ISO 4217 / 3166 code, an email, an RFC 3339 time, ...).
ajv.addFormat('ppaas_common_currency_code_v2', /^[A-Z]{3}$/);
ajv.addFormat('ppaas_common_country_code_v2', /^([A-Z]{2}|C2)$/);
ajv.addFormat('merchant_common_email_address_v2', /^[^\s@]+@[^\s@]+$/);
ajv.addFormat('ppaas_common_email_address_v2', /^[^\s@]+@[^\s@]+$/);
ajv.addFormat('ppaas_common_language_v3', /^[a-z]{2}(?:-[A-Za-z0-9]{2,8})*$/);
ajv.addFormat('ppaas_date_notime_v2', /^\d{4}-\d{2}-\d{2}$/);
ajv.addFormat('ppaas_date_time_v3', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/);
ajv.addFormat('ppaas_ip_address_v1', /^[0-9a-fA-F:.]+$/);
ajv.addFormat('ppaas_payer_id_v3', /^[2-9A-HJ-NP-Z]{13}$/);
ajv.addFormat('payer_v1', /^.*$/);
for (const [key, document] of Object.entries(DOCUMENTS)) ajv.addSchema({ $id: `paypal-${key}`, components: document.components }, `paypal-${key}`);

interface OperationRef {
  document: PayPalDocument;
  method: string;
  path: string;
  operation: OpenApiOperation;
}

const OPERATIONS = new Map<string, OperationRef>();
for (const [document, spec] of Object.entries(DOCUMENTS) as Array<[PayPalDocument, OpenApiDocument]>) {
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (operation && typeof operation === 'object' && operation.operationId) OPERATIONS.set(operation.operationId, { document, method: method.toUpperCase(), path, operation });
    }
  }
}

/** Rewrites the document-local `#/components/...` references of an inline schema to the registered document. */
function rooted(schema: unknown, document: PayPalDocument): unknown {
  if (Array.isArray(schema)) return schema.map((item) => rooted(item, document));
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `paypal-${document}${value}` : rooted(value, document)]),
    );
  }
  return schema;
}

const compiled = new Map<string, ValidateFunction>();
function compile(key: string, document: PayPalDocument, schema: unknown): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(rooted(schema, document) as object);
    compiled.set(key, validate);
  }
  return validate;
}

function operationOf(operationId: string): OperationRef {
  const found = OPERATIONS.get(operationId);
  if (!found) throw new Error(`PayPal contract has no operation ${operationId}`);
  return found;
}

/** The JSON request body schema of an operation, or null when it takes none. */
export function requestValidator(operationId: string): ValidateFunction | null {
  const { document, operation } = operationOf(operationId);
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  return schema ? compile(`${operationId} request`, document, schema) : null;
}

/** The JSON response schema of an operation's answer with this status (or its `default`), or null when it declares no body. */
export function responseValidator(operationId: string, status: number): ValidateFunction | null {
  const { document, operation } = operationOf(operationId);
  let response: { $ref?: string; content?: Record<string, { schema?: unknown }> } | undefined = operation.responses[String(status)] ?? operation.responses.default;
  if (response?.$ref) response = DOCUMENTS[document].components.responses?.[response.$ref.split('/').at(-1)!];
  const schema = response?.content?.['application/json']?.schema;
  return schema ? compile(`${operationId} ${status}`, document, schema) : null;
}

/** A named component schema of one document (order, capture-2, refund, event, ...). */
export function componentValidator(document: PayPalDocument, name: string): ValidateFunction {
  if (!(name in DOCUMENTS[document].components.schemas)) throw new Error(`PayPal ${document} document has no schema ${name}`);
  return compile(`${document}#${name}`, document, { $ref: `#/components/schemas/${name}` });
}

export interface Violation {
  path: string;
  reason: string;
}

function firstViolation(validate: ValidateFunction, value: unknown): Violation | null {
  if (validate(value)) return null;
  const error: ErrorObject | undefined = validate.errors?.[0];
  const detail =
    error?.params && 'additionalProperty' in error.params
      ? ` (${String(error.params.additionalProperty)})`
      : error?.params && 'allowedValues' in error.params
        ? ` (${(error.params.allowedValues as unknown[]).join(', ')})`
        : '';
  return { path: error?.instancePath || '/', reason: `${error?.message ?? 'does not match'}${detail}` };
}

/** The first violation of an operation's request schema, or null (also null when the operation declares no body). */
export function requestViolation(operationId: string, body: unknown): Violation | null {
  const validate = requestValidator(operationId);
  return validate ? firstViolation(validate, body) : null;
}

/** The first violation of an operation's response schema for this status, or null. */
export function responseViolation(operationId: string, status: number, body: unknown): Violation | null {
  const validate = responseValidator(operationId, status);
  return validate ? firstViolation(validate, body) : null;
}

export function componentViolation(document: PayPalDocument, name: string, value: unknown): Violation | null {
  return firstViolation(componentValidator(document, name), value);
}

/** Which operation a method and a path are (path parameters matched by position), or null. */
export function operationFor(method: string, path: string): { operationId: string; params: Record<string, string> } | null {
  for (const [operationId, ref] of OPERATIONS) {
    if (ref.method !== method.toUpperCase()) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${ref.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const match = pattern.exec(path);
    if (match) return { operationId, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)])) };
  }
  return null;
}

/** The request and response examples the documents publish, for the spec oracle. */
export function publishedExamples(): Array<{ document: PayPalDocument; operationId: string; kind: 'request' | 'response'; status?: number; name: string; value: unknown }> {
  const out: Array<{ document: PayPalDocument; operationId: string; kind: 'request' | 'response'; status?: number; name: string; value: unknown }> = [];
  for (const [operationId, { document, operation }] of OPERATIONS) {
    const request = operation.requestBody?.content?.['application/json'] as { examples?: Record<string, { value: unknown }> } | undefined;
    for (const [name, example] of Object.entries(request?.examples ?? {})) out.push({ document, operationId, kind: 'request', name, value: example.value });
    for (const [status, response] of Object.entries(operation.responses)) {
      const content = response.content?.['application/json'] as { examples?: Record<string, { value: unknown }> } | undefined;
      for (const [name, example] of Object.entries(content?.examples ?? {})) out.push({ document, operationId, kind: 'response', status: Number(status), name, value: example.value });
    }
  }
  return out;
}

/** A component schema's `example` (the documents give them for error_500 and error_503). */
export function componentExample(document: PayPalDocument, name: string): unknown {
  return (DOCUMENTS[document].components.schemas[name] as { example?: unknown } | undefined)?.example;
}

/** The `issue` values an operation documents for an error status, each with its documented description (the `details[]` anyOf). */
export function documentedIssueDescriptions(operationId: string, status: number): Map<string, string> {
  const { document, operation } = operationOf(operationId);
  const schemas = DOCUMENTS[document].components.schemas;
  const found = new Map<string, string>();
  const walk = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object') return;
    const s = schema as Record<string, unknown>;
    if (typeof s.$ref === 'string') return walk(schemas[s.$ref.split('/').at(-1)!]);
    for (const key of ['allOf', 'anyOf', 'oneOf']) for (const part of (s[key] as unknown[] | undefined) ?? []) walk(part);
    const items =
      (s.properties as Record<string, { items?: { anyOf?: Array<{ properties?: { issue?: { enum?: string[] }; description?: { enum?: string[] } } }> } }> | undefined)?.details?.items?.anyOf ?? [];
    for (const item of items) {
      const issue = item.properties?.issue?.enum?.[0];
      if (issue && !found.has(issue)) found.set(issue, item.properties?.description?.enum?.[0] ?? issue);
    }
  };
  walk(operation.responses[String(status)]?.content?.['application/json']?.schema);
  return found;
}

/** The `issue` values an operation documents for an error status (its `details[].issue` enum). */
export function documentedIssues(operationId: string, status: number): string[] {
  return [...documentedIssueDescriptions(operationId, status).keys()];
}

/** The error statuses an operation documents (400, 401, 403, 404, 409, 422, ...). */
export function documentedErrorStatuses(operationId: string): number[] {
  return Object.keys(operationOf(operationId).operation.responses)
    .filter((s) => /^[45]\d\d$/.test(s))
    .map(Number);
}

/** The `processor_response.response_code` values the documents list. */
export function documentedProcessorCodes(): string[] {
  const schema = DOCUMENTS.orders.components.schemas.processor_response as { properties: { response_code: { enum: string[] } } };
  return schema.properties.response_code.enum;
}

export const PAYPAL_CONTRACT_VERSIONS = Object.fromEntries(Object.entries(DOCUMENTS).map(([key, document]) => [key, document.info.version])) as Record<PayPalDocument, string>;
