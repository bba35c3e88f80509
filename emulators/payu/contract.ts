// The PayU India emulator's contract: a JSON Schema of the _payment form and of the command API's
// parameters, written by hand from docs.payu.in (PayU publishes no OpenAPI description; the doc
// pages each part comes from are named in ./contract/payu-contract.json). Compiled with Ajv.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';

const DOCUMENT = JSON.parse(readFileSync(fileURLToPath(new URL('./contract/payu-contract.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ ...DOCUMENT, $id: 'payu' });
const compiled = new Map<string, ValidateFunction>();

export type PayuSchemaName = 'payment' | 'command';

export function payuSchema(name: PayuSchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    validate = ajv.compile({ $ref: `payu#/${name}` });
    compiled.set(name, validate);
  }
  return validate;
}

/** Every violation of a named schema (empty when the value conforms). */
export function payuViolations(name: PayuSchemaName, value: unknown): Array<{ path: string; reason: string }> {
  const validate = payuSchema(name);
  if (validate(value)) return [];
  return (validate.errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => ({
      path: error.instancePath || '/',
      reason: `${error.message ?? 'does not match'}${error.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`,
    }));
}
