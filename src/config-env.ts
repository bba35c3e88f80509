// The environment Junction reads, as one TypeBox schema: every variable with what it means, its
// default and the form its value must have. `loadConfig` reads variables only through this schema's
// type (a name not listed here does not type-check), `validateEnv` lists every bad value at once,
// and the README's configuration table is generated from it (`npm run docs:config`; a test keeps the
// two in sync).
import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';

/** How a value is checked, and how a bad one is reported. */
type EnvKind = 'integer' | 'niceness' | 'ratio' | 'switch' | 'url' | 'text' | 'path-prefix' | 'choice';

interface EnvVariableDoc {
  /** What it does, as the README says it (Markdown). */
  meaning: string;
  /** The default as the README says it ("unset", "on with TLS", "8080"). */
  defaultText: string;
}

const SWITCH_WORDS = ['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'];

function variable(kind: EnvKind, doc: EnvVariableDoc, constraint: Record<string, unknown> = {}) {
  return Type.Optional(Type.String({ ...constraint, description: doc.meaning, 'x-default': doc.defaultText, 'x-kind': kind }));
}
const integer = (doc: EnvVariableDoc) => variable('integer', doc, { pattern: '^[0-9]+$' });
const ratio = (doc: EnvVariableDoc) => variable('ratio', doc, { pattern: '^(0(\\.[0-9]+)?|1(\\.0+)?|\\.[0-9]+)$' });
/** A pattern matching the word in any case ("On", "OFF"). */
const anyCase = (word: string) => [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
const onOff = (doc: EnvVariableDoc) => variable('switch', doc, { pattern: `^(${SWITCH_WORDS.map(anyCase).join('|')})$` });
const url = (doc: EnvVariableDoc) => variable('url', doc, { pattern: '^https?://\\S+$' });
const text = (doc: EnvVariableDoc) => variable('text', doc);
const choice = (values: readonly string[], doc: EnvVariableDoc) => variable('choice', doc, { pattern: `^(${values.join('|')})$`, 'x-choices': values });

const gatewayOrigin = (name: string) => url({ meaning: `where the ${name} connector sends its calls (a sandbox, a proxy, an emulator)`, defaultText: `${name}'s own` });

/** Every variable Junction reads, in the order the README lists them. */
export const EnvSchema = Type.Object(
  {
    PORT: integer({ meaning: 'the port the service listens on', defaultText: '`8080`' }),
    HOST: text({ meaning: 'the address the service listens on (`0.0.0.0` for every interface)', defaultText: '`127.0.0.1`' }),
    DATA_DIR: text({ meaning: 'PGlite files (when `DATABASE_URL` is not set)', defaultText: '`./data`' }),
    DATABASE_URL: text({ meaning: 'PostgreSQL server, e.g. `postgres://user@host:5432/db`', defaultText: 'unset' }),
    REDIS_URL: text({
      meaning: 'Redis for state shared between instances: routing scores, rate limits, sign-in throttle, cache invalidation ([many instances](docs/operations.md#many-instances-one-database))',
      defaultText: 'unset',
    }),
    LOG_LEVEL: choice(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { meaning: 'pino level; logs are JSON lines with a request id, card data redacted', defaultText: '`info`' }),
    PUBLIC_BASE_URL: url({ meaning: 'the URL browsers and gateways reach us at (3-D Secure pages, return URLs)', defaultText: '`http://HOST:PORT`' }),
    JUNCTION_ADMIN_KEY: text({ meaning: "enables the admin API (`Authorization: Bearer …`); also the decision engine API's `x-admin-secret`", defaultText: 'unset' }),
    ADMIN_API_KEY: text({ meaning: 'older name of `JUNCTION_ADMIN_KEY`, read when that one is unset', defaultText: 'unset' }),
    DECISION_ENGINE_PREFIX: variable(
      'path-prefix',
      {
        meaning: "path prefix of Juspay decision engine's API (`/decide-gateway`, `/update-gateway-score`, ...): [docs/decision-engine-compat.md](docs/decision-engine-compat.md)",
        defaultText: 'empty',
      },
      { pattern: '^\\s*(/[A-Za-z0-9._~/-]*)?\\s*$' },
    ),
    JUNCTION_MASTER_KEYS: variable('text', {
      meaning: '`k1:<base64 32 bytes>,k0:<…>`: keys for secrets at rest, first is primary; older keys stay readable (rotation). Production must set it',
      defaultText: 'derived dev key',
    }),
    TLS_CERT_FILE: text({ meaning: 'certificate file: with `TLS_KEY_FILE`, serve HTTPS natively', defaultText: 'unset' }),
    TLS_KEY_FILE: text({ meaning: 'private key file of `TLS_CERT_FILE`', defaultText: 'unset' }),
    DEMO: onOff({ meaning: 'create the demo merchant, its users and gateway accounts on an empty database', defaultText: 'on' }),
    DEMO_MERCHANT_ID: text({ meaning: "the demo merchant's id", defaultText: '`demo_merchant`' }),
    DEMO_API_KEY: text({ meaning: "the demo merchant's API key", defaultText: 'random' }),
    DEMO_USER_PASSWORD: text({ meaning: 'dashboard password of the demo users', defaultText: 'random, printed once' }),
    DEMO_ADMIN_TOKEN: text({ meaning: "the demo ADMIN user's API token", defaultText: 'random' }),
    DEMO_EDITOR_TOKEN: text({ meaning: "the demo EDITOR user's API token", defaultText: 'random' }),
    DEMO_APPROVER_TOKEN: text({ meaning: "the demo APPROVER user's API token", defaultText: 'random' }),
    DEMO_VIEWER_TOKEN: text({ meaning: "the demo VIEWER user's API token", defaultText: 'random' }),
    DEMO_ROUTING: onOff({ meaning: 'the demo merchant starts with success-rate ranking and automatic fallback (`off`: the plain defaults)', defaultText: 'on' }),
    DEMO_CONNECTORS: choice(['off', 'emulators'], {
      meaning: "`emulators`: start the real connectors' emulators in process and give the demo merchant an account on each (needs the development dependencies)",
      defaultText: 'off',
    }),
    SESSION_TTL_HOURS: integer({ meaning: 'dashboard session lifetime; each use slides it', defaultText: '12' }),
    COOKIE_SECURE: onOff({ meaning: 'mark the session cookie `Secure` (set it behind a TLS-terminating proxy)', defaultText: 'on with TLS' }),
    DASHBOARD_DIR: text({ meaning: 'where the built dashboard is', defaultText: '`dist/dashboard`' }),
    BODY_LIMIT_BYTES: integer({ meaning: 'largest request body', defaultText: '262144' }),
    RATE_LIMIT: onOff({ meaning: 'request rate limits, in Redis with `REDIS_URL` ([docs/rate-limits.md](docs/rate-limits.md), also the sign-in throttle)', defaultText: 'on' }),
    RATE_LIMIT_PER_MINUTE: integer({ meaning: 'requests per minute per merchant API key', defaultText: '60000' }),
    RATE_LIMIT_DASHBOARD_PER_MINUTE: integer({ meaning: 'requests per minute per dashboard session or user token', defaultText: '3000' }),
    RATE_LIMIT_ADDRESS_PER_MINUTE: integer({ meaning: 'requests per minute per client address, without credentials', defaultText: '1200' }),
    TRUST_PROXY: text({ meaning: "behind a proxy: take the client address from `X-Forwarded-For` (`true`, or the proxies' addresses/CIDRs, comma-separated)", defaultText: 'unset' }),
    SANDBOX_WORKERS: integer({
      meaning: 'worker threads running merchant code (code-based logics); one merchant holds at most half of them ([src/sandbox/README.md](src/sandbox/README.md))',
      defaultText: '2',
    }),
    SANDBOX_DEADLINE_MS: integer({ meaning: 'CPU deadline of one code evaluation; the worker is stopped from outside at 3x this (of its CPU time)', defaultText: '50' }),
    SANDBOX_NICENESS: variable('niceness', { meaning: "a nice value (0-19) for the sandbox's worker threads", defaultText: 'off' }, { pattern: '^([0-9]+|off)$' }),
    RISK_REFERENCE_URL: url({
      meaning:
        'the reference risk provider (`npm run emulator -- risk-provider`), which merchants can then name as `provider: "reference"` ([docs/risk.md](docs/risk.md#providers)); needs `RISK_REFERENCE_API_KEY`',
      defaultText: 'unset',
    }),
    RISK_REFERENCE_API_KEY: text({ meaning: "the reference risk provider's API key", defaultText: 'unset' }),
    RISK_REFERENCE_WEBHOOK_SECRET: text({ meaning: 'the secret the reference risk provider signs its webhooks with', defaultText: 'unset' }),
    STRIPE_BASE_URL: gatewayOrigin('Stripe'),
    ADYEN_BASE_URL: gatewayOrigin('Adyen'),
    CHECKOUT_BASE_URL: gatewayOrigin('Checkout.com'),
    RAZORPAY_BASE_URL: gatewayOrigin('Razorpay'),
    PAYU_BASE_URL: gatewayOrigin('PayU'),
    PAYPAL_BASE_URL: gatewayOrigin('PayPal'),
    BRAINTREE_BASE_URL: gatewayOrigin('Braintree'),
    METRICS_TOKEN: text({
      meaning: '`GET /metrics` (Prometheus) needs `Authorization: Bearer <token>`; without it or `METRICS_PORT` metrics are not served ([docs/operations.md](docs/operations.md#metrics))',
      defaultText: 'unset',
    }),
    METRICS_PORT: integer({ meaning: "`/metrics` on a listener of its own instead of the service's port", defaultText: 'unset' }),
    METRICS_HOST: text({ meaning: 'the address of the `METRICS_PORT` listener', defaultText: '`127.0.0.1`' }),
    METRICS_MERCHANT_LABEL: onOff({ meaning: 'a `merchant_id` label on payment and gateway health metrics (off: cardinality)', defaultText: 'off' }),
    OTEL_EXPORTER_OTLP_ENDPOINT: url({ meaning: 'export OpenTelemetry traces over OTLP/HTTP JSON to this collector ([docs/operations.md](docs/operations.md#traces))', defaultText: 'unset' }),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url({ meaning: 'the traces endpoint itself, instead of `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`', defaultText: 'unset' }),
    OTEL_EXPORTER_OTLP_HEADERS: text({ meaning: 'headers sent to the collector, `key=value,key2=value2`', defaultText: 'unset' }),
    OTEL_SERVICE_NAME: text({ meaning: 'the service name on the traces', defaultText: '`junction`' }),
    OTEL_TRACES_SAMPLER_ARG: ratio({ meaning: 'the share of requests traced, 0 to 1', defaultText: '`1`' }),
  },
  { additionalProperties: true },
);

/** The environment as Junction reads it: only the variables above, each a string when set. */
export type Env = Static<typeof EnvSchema>;
export type EnvName = keyof Env & string;

export const ENV_NAMES = Object.keys(EnvSchema.properties) as EnvName[];

function schemaOf(name: EnvName): TSchema & Record<string, unknown> {
  return EnvSchema.properties[name] as unknown as TSchema & Record<string, unknown>;
}

/** What is wrong with one value, in the words the service prints at start. */
function problem(name: EnvName, value: string): string {
  const schema = schemaOf(name);
  switch (schema['x-kind'] as EnvKind) {
    case 'integer':
      return `${name} must be a non-negative integer, got "${value}"`;
    case 'niceness':
      return `${name} must be off or a non-negative integer (above 19 counts as 19), got "${value}"`;
    case 'ratio':
      return `${name} must be a number from 0 to 1, got "${value}"`;
    case 'switch':
      return `${name} must be on or off (${SWITCH_WORDS.join(', ')}), got "${value}"`;
    case 'url':
      return `${name} must be an http(s) URL, got "${value}"`;
    case 'path-prefix':
      return `${name} must be a path such as /engine, not ${JSON.stringify(value)}`;
    case 'choice':
      return `${name} must be one of ${(schema['x-choices'] as string[]).map((c) => `"${c}"`).join(', ')}, got "${value}"`;
    default:
      return `${name} is not valid: "${value}"`;
  }
}

/** Every problem with the environment, one line each (empty values count as unset). */
export function validateEnv(raw: Readonly<Record<string, string | undefined>>): string[] {
  const problems: string[] = [];
  for (const name of ENV_NAMES) {
    const value = raw[name];
    if (value === undefined || value === '') continue;
    if (!Value.Check(schemaOf(name), value)) problems.push(problem(name, value));
  }
  return problems;
}

/** Thrown by loadConfig with every problem found, so one start shows all of them. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.length === 1 ? (problems[0] as string) : `The configuration has ${problems.length} problems:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** The README's configuration table (between its config-table markers), from the schema. */
export function configTableMarkdown(): string {
  const rows = ENV_NAMES.map((name) => {
    const schema = schemaOf(name);
    return `| \`${name}\` | ${schema['x-default'] as string} | ${schema.description as string} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

const TABLE_START = '<!-- config-table:start (generated from src/config-env.ts by `npm run docs:config`; a test keeps it in sync) -->';
const TABLE_END = '<!-- config-table:end -->';

/** The README with its configuration table replaced by the one the schema generates. */
export function replaceConfigTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README.md has no config-table markers');
  return `${readme.slice(0, start + TABLE_START.length)}\n${configTableMarkdown()}\n${readme.slice(end)}`;
}
