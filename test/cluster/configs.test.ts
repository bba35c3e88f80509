// docs/operations.md shows the HAProxy and PgBouncer files the cluster test runs with: they must
// stay the same files (with the documentation's ports and paths).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { haproxyConfig, pgbouncerConfig } from './configs.ts';

const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

test('docs/operations.md shows the haproxy.cfg the cluster test uses', () => {
  const cfg = haproxyConfig({
    port: 8080,
    instances: [
      { name: 'j1', port: 8081 },
      { name: 'j2', port: 8082 },
      { name: 'j3', port: 8083 },
    ],
  });
  assert.ok(doc.includes(`\`\`\`\n${cfg}\`\`\``), `docs/operations.md should show:\n${cfg}`);
});

test('docs/operations.md shows the pgbouncer.ini the cluster test uses', () => {
  const ini = pgbouncerConfig({ port: 6432, database: 'junction', pgHost: '127.0.0.1', pgPort: 5432, pgUser: 'postgres', authFile: '/etc/pgbouncer/userlist.txt' });
  assert.ok(doc.includes(`\`\`\`ini\n${ini}\`\`\``), `docs/operations.md should show:\n${ini}`);
  assert.match(ini, /^pool_mode = transaction$/m);
});
