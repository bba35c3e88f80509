// Configuration comes from the environment, with defaults that make a laptop install work. The
// variables, their forms and meanings are one schema (config-env.ts): a bad value stops the start
// with every problem listed at once.
import { ConfigError, validateEnv, type Env } from './config-env.ts';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  logLevel: string;
  /** Base URL shoppers' browsers and gateways reach us at (3-D Secure pages, return URLs, payment links). */
  publicBaseUrl: string;
  /** Key for the admin API; without it the admin API is closed (the CLI works directly on the database). */
  adminApiKey: string | undefined;
  /** "k1:<base64>,k0:<base64>": encryption keys for secrets at rest, first is primary. */
  masterKeys: string | undefined;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  demo: {
    enabled: boolean;
    merchantId: string | undefined;
    apiKey: string | undefined;
    /** Fixed tokens for the demo users (Priority Logic roles); random when unset. */
    userTokens: { admin: string | undefined; editor?: string | undefined; approver: string | undefined; viewer: string | undefined };
    /** The demo users' dashboard password (DEMO_USER_PASSWORD); random when unset, printed once. */
    userPassword?: string | undefined;
    /** Give the demo users passwords at all (off in most tests: scrypt is slow on purpose). */
    userPasswords?: boolean;
    /** The demo merchant starts with ranking and automatic fallback on (DEMO_ROUTING=off keeps the plain defaults). */
    intelligentRouting?: boolean;
  };
  /** Upper bound of one request body. */
  bodyLimitBytes: number;
  /** The reference risk provider (RISK_REFERENCE_URL, RISK_REFERENCE_API_KEY): merchants may name it "reference". */
  riskReference?: { url: string; apiKey: string; webhookSecret?: string | undefined } | undefined;
  dashboard?: {
    /** Dashboard session lifetime (SESSION_TTL_HOURS, default 12); each use slides it. */
    sessionTtlHours: number;
    /** Mark the session cookie Secure (COOKIE_SECURE); on by itself when the service serves HTTPS. */
    cookieSecure: boolean;
    /** Where the built dashboard is (DASHBOARD_DIR, default dist/dashboard). */
    staticDir: string;
  };
  /** TRUST_PROXY: the proxies whose X-Forwarded-For gives the client address ("true", or their addresses/CIDRs, comma-separated). */
  trustProxy?: boolean | string;
  /** Request rate limits (RATE_LIMIT=off disables them); see docs/rate-limits.md. */
  rateLimits: RateLimitConfig;
  /**
   * Worker pool for code-based logics (SANDBOX_WORKERS, default 2; SANDBOX_DEADLINE_MS, default 50;
   * SANDBOX_NICENESS, default off: a nice value for the worker threads, 0 to 19).
   */
  sandbox?: { workers: number; deadlineMs: number; niceness?: number | null };
  /**
   * Real gateway connectors: API origins per gateway (STRIPE_BASE_URL, ADYEN_BASE_URL,
   * CHECKOUT_BASE_URL, RAZORPAY_BASE_URL, PAYU_BASE_URL, PAYPAL_BASE_URL, BRAINTREE_BASE_URL: a sandbox, a proxy or an emulator; each provider's own otherwise), and
   * DEMO_CONNECTORS=emulators to start the local emulators with the demo.
   */
  connectors?: { baseUrls: Record<string, string>; demo: 'off' | 'emulators' };
  /** Metrics and traces; see docs/operations.md. */
  observability?: ObservabilityConfig;
  /** Juspay decision engine's API (DECISION_ENGINE_PREFIX, default empty: /decide-gateway at the root); docs/decision-engine-compat.md. */
  decisionEngine?: { prefix: string };
}

export interface ObservabilityConfig {
  /** METRICS_TOKEN: /metrics needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** METRICS_PORT: /metrics on a listener of its own (METRICS_HOST, default 127.0.0.1) instead of the service's port. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** METRICS_MERCHANT_LABEL=on: a merchant_id label on payment and gateway health metrics (off: cardinality). */
  merchantLabel: boolean;
  /** OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT): export traces over OTLP/HTTP JSON. */
  otlpEndpoint: string | undefined;
  otlpTracesEndpoint: string | undefined;
  /** OTEL_EXPORTER_OTLP_HEADERS, "key=value,key2=value2". */
  otlpHeaders: string | undefined;
  /** OTEL_SERVICE_NAME, default junction. */
  serviceName: string;
  /** OTEL_TRACES_SAMPLER_ARG: the share of requests traced, 0..1 (default 1). */
  traceSampleRatio: number;
}

export interface RateLimitConfig {
  enabled: boolean;
  /** Requests per minute per merchant API key (RATE_LIMIT_PER_MINUTE). */
  perKeyPerMinute: number;
  /** Requests per minute per dashboard session or user token (RATE_LIMIT_DASHBOARD_PER_MINUTE). */
  perSessionPerMinute: number;
  /** Requests per minute per client address, without credentials (RATE_LIMIT_ADDRESS_PER_MINUTE). */
  perAddressPerMinute: number;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return parsed;
}

function ratioFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0 || parsed > 1) throw new Error(`${name} must be a number from 0 to 1, got "${value}"`);
  return parsed;
}

function trustProxyFrom(value: string): boolean | string {
  if (['true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['false', 'no', 'off', '0'].includes(value.toLowerCase())) return false;
  return value;
}

function boolFrom(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return !['0', 'false', 'no', 'off'].includes(value.toLowerCase());
}

/** DECISION_ENGINE_PREFIX: empty, or a path such as /engine (no trailing slash). */
function enginePrefix(value: string | undefined): string {
  const v = (value ?? '').trim().replace(/\/+$/, '');
  if (v === '') return '';
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(v)) throw new Error(`DECISION_ENGINE_PREFIX must be a path such as /engine, not ${JSON.stringify(value)}`);
  return v;
}

export function loadConfig(raw: NodeJS.ProcessEnv = process.env): Config {
  const problems = validateEnv(raw);
  if (problems.length > 0) throw new ConfigError(problems);
  // Read only through the schema's names: a variable not documented there does not type-check.
  const env: Env = raw;
  const port = intFrom(env.PORT, 8080, 'PORT');
  const host = env.HOST || '127.0.0.1';
  const tls = Boolean(env.TLS_CERT_FILE && env.TLS_KEY_FILE);
  const defaultBase = `${tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}${(tls && port === 443) || (!tls && port === 80) ? '' : `:${port}`}`;
  return {
    port,
    host,
    dataDir: env.DATA_DIR || './data',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    riskReference:
      env.RISK_REFERENCE_URL && env.RISK_REFERENCE_API_KEY
        ? { url: env.RISK_REFERENCE_URL.replace(/\/$/, ''), apiKey: env.RISK_REFERENCE_API_KEY, webhookSecret: env.RISK_REFERENCE_WEBHOOK_SECRET || undefined }
        : undefined,
    logLevel: env.LOG_LEVEL || 'info',
    publicBaseUrl: (env.PUBLIC_BASE_URL || defaultBase).replace(/\/$/, ''),
    adminApiKey: env.JUNCTION_ADMIN_KEY || env.ADMIN_API_KEY || undefined,
    decisionEngine: { prefix: enginePrefix(env.DECISION_ENGINE_PREFIX) },
    masterKeys: env.JUNCTION_MASTER_KEYS || undefined,
    tlsCertFile: env.TLS_CERT_FILE || undefined,
    tlsKeyFile: env.TLS_KEY_FILE || undefined,
    demo: {
      enabled: boolFrom(env.DEMO, true),
      merchantId: env.DEMO_MERCHANT_ID || undefined,
      apiKey: env.DEMO_API_KEY || undefined,
      userTokens: { admin: env.DEMO_ADMIN_TOKEN || undefined, editor: env.DEMO_EDITOR_TOKEN || undefined, approver: env.DEMO_APPROVER_TOKEN || undefined, viewer: env.DEMO_VIEWER_TOKEN || undefined },
      userPassword: env.DEMO_USER_PASSWORD || undefined,
      userPasswords: true,
      intelligentRouting: boolFrom(env.DEMO_ROUTING, true),
    },
    bodyLimitBytes: intFrom(env.BODY_LIMIT_BYTES, 256 * 1024, 'BODY_LIMIT_BYTES'),
    dashboard: {
      sessionTtlHours: intFrom(env.SESSION_TTL_HOURS, 12, 'SESSION_TTL_HOURS'),
      cookieSecure: boolFrom(env.COOKIE_SECURE, tls),
      staticDir: env.DASHBOARD_DIR || 'dist/dashboard',
    },
    ...(env.TRUST_PROXY ? { trustProxy: trustProxyFrom(env.TRUST_PROXY) } : {}),
    rateLimits: {
      enabled: boolFrom(env.RATE_LIMIT, true),
      perKeyPerMinute: Math.max(1, intFrom(env.RATE_LIMIT_PER_MINUTE, 60_000, 'RATE_LIMIT_PER_MINUTE')),
      perSessionPerMinute: Math.max(1, intFrom(env.RATE_LIMIT_DASHBOARD_PER_MINUTE, 3_000, 'RATE_LIMIT_DASHBOARD_PER_MINUTE')),
      perAddressPerMinute: Math.max(1, intFrom(env.RATE_LIMIT_ADDRESS_PER_MINUTE, 1_200, 'RATE_LIMIT_ADDRESS_PER_MINUTE')),
    },
    connectors: {
      baseUrls: Object.fromEntries(
        (['STRIPE', 'ADYEN', 'CHECKOUT', 'RAZORPAY', 'PAYU', 'PAYPAL', 'BRAINTREE'] as const).flatMap((gateway) => {
          const value = env[`${gateway}_BASE_URL`];
          if (!value) return [];
          if (!/^https?:\/\/[^\s]+$/.test(value)) throw new Error(`${gateway}_BASE_URL must be an http(s) URL`);
          return [[gateway, value.replace(/\/$/, '')]];
        }),
      ),
      demo: demoConnectorsFrom(env.DEMO_CONNECTORS),
    },
    observability: {
      metricsToken: env.METRICS_TOKEN || undefined,
      metricsPort: env.METRICS_PORT ? intFrom(env.METRICS_PORT, 0, 'METRICS_PORT') : undefined,
      metricsHost: env.METRICS_HOST || '127.0.0.1',
      merchantLabel: boolFrom(env.METRICS_MERCHANT_LABEL, false),
      otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined,
      otlpTracesEndpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || undefined,
      otlpHeaders: env.OTEL_EXPORTER_OTLP_HEADERS || undefined,
      serviceName: env.OTEL_SERVICE_NAME || 'junction',
      traceSampleRatio: ratioFrom(env.OTEL_TRACES_SAMPLER_ARG, 1, 'OTEL_TRACES_SAMPLER_ARG'),
    },
    sandbox: {
      workers: Math.max(1, intFrom(env.SANDBOX_WORKERS, 2, 'SANDBOX_WORKERS')),
      deadlineMs: Math.max(1, intFrom(env.SANDBOX_DEADLINE_MS, 50, 'SANDBOX_DEADLINE_MS')),
      niceness: env.SANDBOX_NICENESS === undefined || env.SANDBOX_NICENESS === '' || env.SANDBOX_NICENESS === 'off' ? null : Math.min(19, intFrom(env.SANDBOX_NICENESS, 0, 'SANDBOX_NICENESS')),
    },
  };
}

function demoConnectorsFrom(value: string | undefined): 'off' | 'emulators' {
  if (value === undefined || value === '' || value === 'off') return 'off';
  if (value === 'emulators') return 'emulators';
  throw new Error('DEMO_CONNECTORS must be "emulators" or "off"');
}
