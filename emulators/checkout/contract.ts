// The Checkout.com emulator's contract: Checkout.com's published Payments API description (the
// split-YAML `nas_spec` of checkout/checkout-api-reference, 2021; its components vendored unchanged
// in ./contract with their licence). The bundler the publishers use names each schema after its
// file, so `#/components/schemas/PaymentRequest` is `components/schemas/**/PaymentRequest.yaml`; we
// gather them the same way and compile with Ajv (OpenAPI 3.0's schema dialect is close to draft-07;
// `discriminator`, `example` and `readOnly` are annotations here). The document is from 2021: where
// the current API differs (newer statuses, GET /payments?reference=), the emulator follows the
// current documentation and says so where it does.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('./contract/components/schemas', import.meta.url));

function gather(dir: string, into: Record<string, unknown>): Record<string, unknown> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) gather(path, into);
    else if (name.endsWith('.yaml') && name !== 'README.md') into[basename(name, '.yaml')] = parse(readFileSync(path, 'utf8')) as unknown;
  }
  return into;
}

const SCHEMAS = gather(ROOT, {});
const ajv = new Ajv({ strict: false, allErrors: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);
ajv.addSchema({ $id: 'cko', components: { schemas: SCHEMAS } }, 'cko');
const compiled = new Map<string, ValidateFunction>();

export function checkoutSchema(name: string): ValidateFunction {
  let validate = compiled.get(name);
  if (!validate) {
    if (!(name in SCHEMAS)) throw new Error(`Checkout.com contract has no schema ${name}`);
    validate = ajv.compile({ $ref: `cko#/components/schemas/${name}` });
    compiled.set(name, validate);
  }
  return validate;
}

/** The first violation of a named schema, or null. */
export function checkoutViolation(name: string, value: unknown): { path: string; reason: string } | null {
  const validate = checkoutSchema(name);
  if (validate(value)) return null;
  const error = validate.errors?.[0];
  return { path: error?.instancePath || '/', reason: error?.message ?? 'does not match' };
}
