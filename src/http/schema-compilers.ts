// Fastify compiles every route's request validators (Ajv) and response serializers
// (fast-json-stringify) each time an app is built: about 350 ms of the 600 ms building one took on
// this machine (CPU profile of buildApp, 2026-12-05). What they compile to depends only on the
// route's schema, the shared schemas (app.addSchema) and the options, so the process keeps them:
// a second app built in the same process (a test process builds one per test file at least, often
// one per test; the benches build several) gets the same functions without compiling again. The service builds one app; for it nothing changes.
// The compilers are Fastify's own defaults; only the cache is ours.
import { AjvCompiler, type ValidatorFactory } from '@fastify/ajv-compiler';
import { SerializerSelector, type SerializerFactory } from '@fastify/fast-json-stringify-compiler';

/** What Fastify hands a compiler for one part of one route. */
interface RouteSchema {
  schema: unknown;
  method: string;
  url: string;
  httpPart?: string;
  httpStatus?: string;
}
type Validator = (data: unknown) => unknown;
type Serializer = (data: unknown) => string;
/**
 * Fastify's validator factory as Fastify calls it: @fastify/ajv-compiler's types describe the
 * compiler as Ajv's `compile(schema)`, but Fastify calls it with the route (lib/validator-compiler.js
 * reads `{ schema }`), as it does the serializer compiler.
 */
type ValidatorPool = (externalSchemas: Record<string, unknown>, options: { customOptions?: unknown; mode?: string }) => (route: RouteSchema) => Validator;

/** Fastify's default validator factory, one for the process: one Ajv per set of shared schemas and options. */
const ajvPool = AjvCompiler() as unknown as ValidatorPool;
const fastJsonStringify = SerializerSelector();

const validators = new Map<string, Validator>();
const serializers = new Map<string, Serializer>();

/** Answers the cached function for `key`, compiling it once. */
function cached<F>(cache: Map<string, F>, key: string, compile: () => F): F {
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compile();
    cache.set(key, compiled);
  }
  return compiled;
}

const buildValidator: ValidatorPool = (externalSchemas, options) => {
  const compile = ajvPool(externalSchemas, options);
  const shared = JSON.stringify([externalSchemas, options.customOptions ?? null, options.mode ?? null]);
  // Neither method nor url is in the key: Fastify's compiler does not read them.
  return (route) => cached(validators, `${shared}|${route.httpPart ?? ''}|${JSON.stringify(route.schema)}`, () => compile(route));
};

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = fastJsonStringify(externalSchemas, options);
  const shared = JSON.stringify([externalSchemas ?? null, options ?? null]);
  return (route) => cached(serializers, `${shared}|${JSON.stringify(route.schema)}`, () => compile(route));
};

/**
 * Fastify's `schemaController.compilersFactory`: its default compilers behind a process-wide cache.
 * (With a validator factory given, Fastify compiles a route's header schema as written instead of
 * lower-casing its keys first; no route here has one.)
 */
export const CACHED_SCHEMA_COMPILERS = { buildValidator: buildValidator as unknown as ValidatorFactory, buildSerializer };
