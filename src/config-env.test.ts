import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, ENV_NAMES, configTableMarkdown, replaceConfigTable, validateEnv } from './config-env.ts';
import { loadConfig } from './config.ts';

describe('the environment schema', () => {
  it("is what the README's configuration table says (run npm run docs:config after changing it)", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    assert.equal(replaceConfigTable(readme), readme);
    for (const name of ENV_NAMES) assert.ok(configTableMarkdown().includes(`| \`${name}\` |`), name);
  });

  it('documents only variables loadConfig reads, and loadConfig reads only documented ones', () => {
    const source = readFileSync(new URL('./config.ts', import.meta.url), 'utf8');
    const read = new Set([...source.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string));
    for (const gateway of source.match(/\[('[A-Z]+',? ?)+\] as const/)?.[0].match(/[A-Z]+/g) ?? []) read.add(`${gateway}_BASE_URL`);
    assert.deepEqual([...read].sort(), [...ENV_NAMES].sort());
  });

  it('lists every bad value at once, naming the variable and the value', () => {
    const env = { PORT: 'eighty', RATE_LIMIT: 'maybe', OTEL_TRACES_SAMPLER_ARG: '1.5', STRIPE_BASE_URL: 'ftp://x', DEMO_CONNECTORS: 'all', DECISION_ENGINE_PREFIX: 'engine', LOG_LEVEL: 'loud' };
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(error.problems, [
          'PORT must be a non-negative integer, got "eighty"',
          'LOG_LEVEL must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "loud"',
          'DECISION_ENGINE_PREFIX must be a path such as /engine, not "engine"',
          'DEMO_CONNECTORS must be one of "off", "emulators", got "all"',
          'RATE_LIMIT must be on or off (1, 0, true, false, yes, no, on, off), got "maybe"',
          'STRIPE_BASE_URL must be an http(s) URL, got "ftp://x"',
          'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "1.5"',
        ]);
        assert.match(error.message, /^The configuration has 7 problems:\n- PORT must be/);
        return true;
      },
    );
  });

  it('accepts what the README shows, in any case, and treats empty values as unset', () => {
    assert.deepEqual(
      validateEnv({ PORT: '3000', RATE_LIMIT: 'OFF', COOKIE_SECURE: 'True', OTEL_TRACES_SAMPLER_ARG: '0.25', SANDBOX_NICENESS: 'off', DECISION_ENGINE_PREFIX: '/engine/', METRICS_PORT: '' }),
      [],
    );
    const config = loadConfig({ PORT: '3000', RATE_LIMIT: 'OFF', SANDBOX_NICENESS: '25', DECISION_ENGINE_PREFIX: '/engine/', BODY_LIMIT_BYTES: '' });
    assert.equal(config.port, 3000);
    assert.equal(config.rateLimits.enabled, false);
    assert.equal(config.sandbox?.niceness, 19);
    assert.equal(config.decisionEngine?.prefix, '/engine');
    assert.equal(config.bodyLimitBytes, 256 * 1024);
  });

  it('gives the laptop defaults with an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.publicBaseUrl, 'http://127.0.0.1:8080');
    assert.equal(config.demo.enabled, true);
    assert.equal(config.logLevel, 'info');
  });
});
