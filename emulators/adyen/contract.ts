// The Adyen emulator's contract: Adyen's published Checkout API v71 OpenAPI document (vendored
// unchanged in ./contract with its MIT licence, from Adyen/adyen-openapi), compiled with Ajv
// (JSON Schema 2020-12, as OpenAPI 3.1 is). Every request the emulator receives is validated against
// its path's request schema, and every answer it gives against the response schema of its status.
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const DOCUMENT = JSON.parse(readFileSync(new URL('./contract/CheckoutService-v71.json', import.meta.url), 'utf8')) as {
  info: { version: string };
  components: { schemas: Record<string, unknown> };
};

const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
ajv.addSchema({ $id: 'adyen-v71', components: DOCUMENT.components }, 'adyen-v71');

const compiled = new Map<string, ValidateFunction>();

/** A validator for one named schema of the document (PaymentRequest, PaymentResponse, ...). */
export function adyenSchema(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    if (!(name in DOCUMENT.components.schemas)) throw new Error(`Adyen v71 has no schema ${name}`);
    validate = ajv.compile({ $ref: `adyen-v71#/components/schemas/${name}` });
    compiled.set(name, validate);
  }
  return validate;
}

/** The first violation, as a path and a reason, or null when the value matches the schema. */
export function adyenViolation(name: string, value: unknown): { path: string; reason: string } | null {
  const validate = adyenSchema(name);
  if (validate(value)) return null;
  const error: ErrorObject | undefined = validate.errors?.[0];
  return {
    path: error?.instancePath || '/',
    reason: `${error?.message ?? 'does not match'}${error?.params && 'additionalProperty' in error.params ? ` (${String(error.params.additionalProperty)})` : ''}`,
  };
}

export const ADYEN_CONTRACT_VERSION = DOCUMENT.info.version;
