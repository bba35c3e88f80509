// The Braintree emulator's contract: ./contract/transaction-api.schema.json, a JSON Schema written
// from the official Node SDK's request building and Braintree's API reference (its $comment names
// the sources). Braintree accepts a request body as JSON (what the Node SDK sends: the SDK's
// attribute names in snake_case) or as XML (what the Ruby, Python, Java, PHP and .NET SDKs send: the
// same names dasherized, typed with type="boolean|integer|array"); both are read here into one
// snake_case tree and checked against the same schema.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parseXml, xmlValue, type XmlValue } from '../../src/connectors/braintree/xml.ts';

export const BRAINTREE_CONTRACT = JSON.parse(readFileSync(new URL('./contract/transaction-api.schema.json', import.meta.url), 'utf8')) as { definitions: Record<string, unknown> };

export type BraintreeOperation = 'transactionRequest' | 'submitForSettlement' | 'void' | 'refund' | 'search';

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(BRAINTREE_CONTRACT, 'braintree');
const validators = new Map<BraintreeOperation, ValidateFunction>();

function validator(operation: BraintreeOperation): ValidateFunction {
  let validate = validators.get(operation);
  if (!validate) {
    validate = ajv.compile({ $ref: `braintree#/definitions/${operation}` });
    validators.set(operation, validate);
  }
  return validate;
}

export interface ContractProblem {
  path: string;
  reason: string;
}

/** Every violation of an operation's request schema (empty when the body conforms). */
export function braintreeViolations(operation: BraintreeOperation, body: unknown): ContractProblem[] {
  const validate = validator(operation);
  if (validate(body)) return [];
  return (validate.errors ?? []).map((error) => ({
    path: `${error.instancePath || '/'}${error.keyword === 'additionalProperties' ? `/${String((error.params as { additionalProperty?: string }).additionalProperty)}` : ''}`,
    reason: error.message ?? 'does not match',
  }));
}

export type RequestTree = { [key: string]: RequestValue };
export type RequestValue = string | number | boolean | null | RequestValue[] | RequestTree;

function snake(value: XmlValue | unknown): RequestValue {
  if (Array.isArray(value)) return value.map(snake);
  if (typeof value === 'object' && value !== null) {
    const out: RequestTree = {};
    for (const [key, child] of Object.entries(value)) Object.defineProperty(out, key.replace(/-/g, '_'), { value: snake(child), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value as RequestValue;
}

/** A request body as one snake_case tree, or why it cannot be read. */
export function readRequestBody(contentType: string, text: string): { body: RequestTree | null } | { unreadable: string } {
  if (text.trim() === '') return { body: null };
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { unreadable: 'the JSON body is not an object' };
      return { body: snake(parsed) as RequestTree };
    } catch {
      return { unreadable: 'the body is not JSON' };
    }
  }
  if (type === 'application/xml' || type === 'text/xml') {
    try {
      const root = parseXml(text);
      return { body: { [root.name.replace(/-/g, '_')]: snake(xmlValue(root)) } };
    } catch (error) {
      return { unreadable: `the body is not XML the gateway reads (${error instanceof Error ? error.message : 'error'})` };
    }
  }
  return { unreadable: `Content-Type ${type || '(none)'} is neither application/json nor application/xml` };
}
