import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CliUsageError, parseAdminArgs, remoteRequest } from './admin-args.ts';

describe('admin CLI arguments', () => {
  it('parses help and no command as help', () => {
    assert.deepEqual(parseAdminArgs([]), { command: { command: 'help' } });
    assert.deepEqual(parseAdminArgs(['help']), { command: { command: 'help' } });
    assert.deepEqual(parseAdminArgs(['list-keys', '--help']), { command: { command: 'help' } });
  });

  it('parses create-merchant with both flag styles', () => {
    assert.deepEqual(parseAdminArgs(['create-merchant', '--name', 'Acme Store', '--id=acme']), { command: { command: 'create-merchant', name: 'Acme Store', id: 'acme' } });
    assert.deepEqual(parseAdminArgs(['create-merchant', '--name', 'A']), { command: { command: 'create-merchant', name: 'A' } });
  });

  it('parses key commands', () => {
    assert.deepEqual(parseAdminArgs(['create-key', '--merchant', 'm1', '--label', 'ci']), { command: { command: 'create-key', merchantId: 'm1', label: 'ci' } });
    assert.deepEqual(parseAdminArgs(['list-keys', '--merchant', 'm1']), { command: { command: 'list-keys', merchantId: 'm1' } });
    assert.deepEqual(parseAdminArgs(['revoke-key', '--merchant', 'm1', '--key-id', 'key_1']), { command: { command: 'revoke-key', merchantId: 'm1', keyId: 'key_1' } });
  });

  it('parses add-gateway with lists, credentials and flags', () => {
    const parsed = parseAdminArgs([
      'add-gateway',
      '--merchant',
      'm1',
      '--gateway',
      'sim_alpha',
      '--reference-id',
      'main',
      '--credentials',
      '{"api_key":"k","secret":"s"}',
      '--methods',
      'CARD, UPI',
      '--brands',
      'VISA',
      '--currencies',
      'INR,USD',
      '--priority',
      '5',
      '--disabled',
      '--url',
      'http://127.0.0.1:8080/',
    ]);
    assert.deepEqual(parsed, {
      url: 'http://127.0.0.1:8080',
      command: {
        command: 'add-gateway',
        merchantId: 'm1',
        gateway: 'SIM_ALPHA',
        referenceId: 'main',
        credentials: { api_key: 'k', secret: 's' },
        methods: ['CARD', 'UPI'],
        brands: ['VISA'],
        currencies: ['INR', 'USD'],
        priority: 5,
        enabled: false,
      },
    });
    assert.deepEqual(parseAdminArgs(['add-gateway', '--merchant', 'm1', '--gateway', 'SIM_BETA']).command, {
      command: 'add-gateway',
      merchantId: 'm1',
      gateway: 'SIM_BETA',
      credentials: {},
      enabled: true,
    });
  });

  it('parses export, import and list-merchants', () => {
    assert.deepEqual(parseAdminArgs(['export', '--merchant', 'm1', '--out', 'm1.jsonl']).command, { command: 'export', merchantId: 'm1', out: 'm1.jsonl' });
    assert.deepEqual(parseAdminArgs(['export']).command, { command: 'export' });
    assert.deepEqual(parseAdminArgs(['export', '--out', '-']).command, { command: 'export' });
    assert.deepEqual(parseAdminArgs(['import', '--file', 'm1.jsonl', '--replace']).command, { command: 'import', file: 'm1.jsonl', replace: true });
    assert.deepEqual(parseAdminArgs(['import', '--file', '-']).command, { command: 'import', file: '-', replace: false });
    assert.throws(() => parseAdminArgs(['import']), /import needs --file/);
    assert.throws(() => remoteRequest({ command: 'export' }), /works on the database directly/);
    assert.deepEqual(parseAdminArgs(['list-merchants', '--limit', '10', '--with-gateways']).command, { command: 'list-merchants', limit: '10', withGateways: true });
    assert.deepEqual(remoteRequest({ command: 'list-merchants', limit: '10', cursor: 'abc', withGateways: true }), {
      method: 'GET',
      path: '/admin/v1/merchants?limit=10&cursor=abc&include_gateway_accounts=true',
    });
  });

  it('accepts the global flags before or after the command', () => {
    const expected = { url: 'http://127.0.0.1:8080', command: { command: 'list-keys', merchantId: 'm1' } };
    assert.deepEqual(parseAdminArgs(['--url', 'http://127.0.0.1:8080', 'list-keys', '--merchant', 'm1']), expected);
    assert.deepEqual(parseAdminArgs(['--url=http://127.0.0.1:8080/', 'list-keys', '--merchant', 'm1']), expected);
    assert.deepEqual(parseAdminArgs(['list-keys', '--url', 'http://127.0.0.1:8080', '--merchant', 'm1']), expected);
    assert.deepEqual(parseAdminArgs(['list-keys', '--merchant', 'm1', '--url', 'http://127.0.0.1:8080']), expected);
    assert.deepEqual(parseAdminArgs(['--help', 'list-keys']), { command: { command: 'help' } });
    assert.deepEqual(parseAdminArgs(['-h']), { command: { command: 'help' } });
  });

  it('rejects bad usage with a clear message', () => {
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /Unknown command "frobnicate"/],
      [['create-merchant'], /needs --name/],
      [['create-merchant', '--name'], /--name needs a value/],
      [['create-merchant', '--name', 'A', '--bogus', 'x'], /Unknown flag --bogus/],
      [['create-merchant', '--name', 'A', '--name', 'B'], /given twice/],
      [['create-merchant', 'stray'], /Unexpected argument "stray"/],
      [['revoke-key', '--merchant', 'm1'], /needs --key-id/],
      [['add-gateway', '--merchant', 'm', '--gateway', 'G', '--credentials', '{bad'], /JSON object/],
      [['add-gateway', '--merchant', 'm', '--gateway', 'G', '--credentials', '{"a":1}'], /must be a string/],
      [['add-gateway', '--merchant', 'm', '--gateway', 'G', '--priority', '-3'], /--priority needs a value|non-negative integer/],
      [['add-gateway', '--merchant', 'm', '--gateway', 'G', '--priority', 'x'], /non-negative integer/],
      [['add-gateway', '--merchant', 'm', '--gateway', 'G', '--disabled=yes'], /takes no value/],
      [['list-keys', '--merchant', 'm', '--url', 'localhost'], /--url must look like/],
      [['--url', 'localhost', 'list-keys', '--merchant', 'm'], /--url must look like/],
      [['--url'], /--url needs a value/],
      [['--url', 'http://a', 'list-keys', '--merchant', 'm', '--url', 'http://b'], /--url given twice/],
      [['--merchant', 'm', 'list-keys'], /Unknown global flag --merchant \(command flags go after the command\)/],
      [['--help=yes'], /--help takes no value/],
    ];
    for (const [argv, message] of cases)
      assert.throws(
        () => parseAdminArgs(argv),
        (e: unknown) => e instanceof CliUsageError && message.test(e.message),
        argv.join(' '),
      );
  });

  it('maps commands to admin API requests for --url', () => {
    assert.deepEqual(remoteRequest({ command: 'create-merchant', name: 'A', id: 'a_1' }), { method: 'POST', path: '/admin/v1/merchants', body: { name: 'A', merchant_id: 'a_1' } });
    assert.deepEqual(remoteRequest({ command: 'revoke-key', merchantId: 'm1', keyId: 'key_1' }), { method: 'DELETE', path: '/admin/v1/merchants/m1/api-keys/key_1' });
    assert.deepEqual(remoteRequest({ command: 'add-gateway', merchantId: 'm1', gateway: 'SIM_ALPHA', credentials: {}, enabled: true, methods: ['CARD'] }), {
      method: 'POST',
      path: '/admin/v1/merchants/m1/gateway-accounts',
      body: { gateway: 'SIM_ALPHA', credentials: {}, enabled: true, payment_method_types: ['CARD'] },
    });
  });
});
