// The request contract the Stripe emulator enforces, read from the official `stripe` package:
// the top-level parameters of each endpoint's `*Params` interface in its TypeScript declarations
// (the package is generated from Stripe's OpenAPI document, so these are Stripe's own parameter
// lists for the API version the package pins). A parameter not declared there is refused, as the
// real API refuses it (parameter_unknown).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** The package's root: up from its entry point to the folder holding its package.json (which it does not export). */
const STRIPE_PACKAGE = (() => {
  let dir = dirname(require.resolve('stripe'));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'cjs', 'resources'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the stripe package');
    dir = parent;
  }
  return dir;
})();

/** The API version the official package pins (and whose types the contract is read from). */
export const STRIPE_PACKAGE_API_VERSION: string = (() => {
  const text = readFileSync(join(STRIPE_PACKAGE, 'cjs', 'apiVersion.js'), 'utf8');
  const match = /ApiVersion = '([^']+)'/.exec(text);
  if (!match) throw new Error('cannot read the API version of the stripe package');
  return match[1]!;
})();

function declarations(resourceFile: string): string {
  return readFileSync(join(STRIPE_PACKAGE, 'cjs', 'resources', `${resourceFile}.d.ts`), 'utf8');
}

/** The property names declared between `from` and the block's closing brace, at one indentation. */
function propertyNames(text: string, from: number, indent: number, what: string): Set<string> {
  if (from < 0) throw new Error(`stripe package has no ${what}`);
  const end = text.indexOf(`\n${' '.repeat(indent - 4)}}`, from);
  const pattern = new RegExp(`^ {${indent}}([a-z_0-9]+)\\??:`);
  const names = new Set<string>();
  for (const line of text.slice(from, end).split('\n')) {
    const match = pattern.exec(line);
    if (match) names.add(match[1]!);
  }
  return names;
}

/** Top-level property names of `export interface <name> {` in a resource's declaration file. */
export function stripeParamNames(resourceFile: string, interfaceName: string): Set<string> {
  const text = declarations(resourceFile);
  return propertyNames(text, text.indexOf(`export interface ${interfaceName} {`), 4, `${interfaceName} in ${resourceFile}.d.ts`);
}

/** Properties of a nested params interface (`namespace <ns> { interface <name> {`), e.g. PaymentMethodCreateParams.Card. */
export function stripeNestedParamNames(resourceFile: string, namespace: string, interfaceName: string): Set<string> {
  const text = declarations(resourceFile);
  const ns = text.indexOf(`export declare namespace ${namespace} {`);
  if (ns < 0) throw new Error(`stripe package has no namespace ${namespace}`);
  return propertyNames(text, text.indexOf(`\n    interface ${interfaceName} {`, ns), 8, `${namespace}.${interfaceName}`);
}
