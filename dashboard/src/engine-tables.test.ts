// The engine's tables reach the dashboard as imports from src/ (src/routing, src/core, src/risk),
// never as copies. This test keeps it so:
// 1. every engine module the dashboard imports, and everything it imports in turn, is browser-safe
//    (no Node built-ins: the dashboard bundle would break at run time);
// 2. the dashboard's lists are the engine's own arrays (a copy pasted back would fail here);
// 3. where an import is impossible (the table lives in a Node-only service), the dashboard's copy
//    is compared with the service, so a change on one side fails here until the other follows.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as engineMethods from '../../src/core/payment-methods.ts';
import * as engineLists from '../../src/risk/lists.ts';
import * as engineRisk from '../../src/risk/types.ts';
import { allOrderStatuses } from '../../src/core/status.ts';
import { LOGIC_STATUSES, USER_ROLES } from '../../src/core/priority-logic/types.ts';
import { hasRight } from '../../src/core/priority-logic/priority-logic-service.ts';
import { CARD_BRANDS, PAYMENT_METHOD_TYPES } from './gateways/types.ts';
import { CARD_TESTING_SOURCES, LIST_KINDS, VELOCITY_DIMENSIONS } from './risk/api.ts';
import { ORDER_STATUSES } from './payments/types.ts';
import { STATUS_LABELS } from './priority-logic/types.ts';
import { ROLE_BADGE, ROLE_TEXT } from './priority-logic/ActiveLogics.tsx';
import { can, type Role } from './auth/permissions.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Value imports (type-only imports are erased) of a module: `import … from 'x'` and `export … from 'x'`. */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms)) {
    if (m[2]) continue; // import type / export type
    const clause = m[3]!.trim();
    // `import { type A, type B } from` is type-only too.
    if (
      /^\{[^}]*\}$/.test(clause) &&
      clause
        .slice(1, -1)
        .split(',')
        .every((part) => part.trim() === '' || part.trim().startsWith('type '))
    )
      continue;
    found.push(m[4]!);
  }
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) found.push(m[1]!);
  return found;
}

describe('engine modules in the dashboard bundle', () => {
  it('are browser-safe: no Node built-in anywhere below an engine module the dashboard imports', () => {
    const queue: string[] = [];
    for (const file of sourceFiles(here)) {
      for (const spec of valueImports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec);
        if (!relative(here, target).startsWith('..')) continue; // inside the dashboard
        queue.push(target);
      }
    }
    expect(queue.length).toBeGreaterThan(0);
    const seen = new Set<string>();
    const problems: string[] = [];
    while (queue.length) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of valueImports(file)) {
        if (NODE_BUILTINS.has(spec)) problems.push(`${relative(repo, file)} imports ${spec}`);
        else if (spec.startsWith('.')) queue.push(resolve(dirname(file), spec));
        else if (!spec.startsWith('@') || !spec.includes('/')) problems.push(`${relative(repo, file)} imports the package ${spec}`);
      }
    }
    expect(problems).toEqual([]);
    // The modules the dashboard takes from the engine today (a sanity check that the walk works).
    const names = [...seen].map((f) => relative(repo, f));
    expect(names).toEqual(expect.arrayContaining(['src/core/payment-methods.ts', 'src/routing/dimensions.ts', 'src/core/status.ts', 'src/risk/lists.ts']));
  });
});

describe('the dashboard uses the engine’s own tables', () => {
  it('payment method types and card brands', () => {
    expect(PAYMENT_METHOD_TYPES).toBe(engineMethods.PAYMENT_METHOD_TYPES);
    expect(CARD_BRANDS).toBe(engineMethods.CARD_BRANDS);
  });

  it('risk list kinds, velocity dimensions and card-testing sources', () => {
    expect(LIST_KINDS).toBe(engineLists.LIST_KINDS);
    expect(VELOCITY_DIMENSIONS).toBe(engineRisk.VELOCITY_DIMENSIONS);
    expect(CARD_TESTING_SOURCES).toBe(engineRisk.CARD_TESTING_SOURCES);
  });

  it('order statuses and Priority Logic statuses', () => {
    expect([...ORDER_STATUSES]).toEqual(allOrderStatuses());
    expect(Object.keys(STATUS_LABELS).sort()).toEqual([...LOGIC_STATUSES].sort());
  });
});

describe('copies kept where the table lives in a Node-only service', () => {
  it('the Active Priority Logics roles are the ones the metrics service gives', () => {
    // logic-metrics.ts (the metrics service) needs node:crypto: its literals are read from the source.
    const service = readFileSync(join(repo, 'src/core/priority-logic/logic-metrics.ts'), 'utf8');
    const roles = [...service.matchAll(/roles\.push\('([A-Z_]+)'\)/g)].map((m) => m[1]!);
    expect(roles.length).toBeGreaterThan(0);
    expect(Object.keys(ROLE_TEXT).sort()).toEqual([...new Set(roles)].sort());
    expect(Object.keys(ROLE_BADGE).sort()).toEqual([...new Set(roles)].sort());
  });

  it('what a role may do with a Priority Logic matches the server’s rights', () => {
    // The service runs in Node (this test does); the browser cannot import it.
    for (const role of USER_ROLES) {
      const actor = { merchantId: 'm', kind: 'USER' as const, id: 'usr_1', role };
      expect({ role, edit: can(role as Role, 'logic.edit') }).toEqual({ role, edit: hasRight(actor, 'edit') });
      expect({ role, release: can(role as Role, 'logic.release') }).toEqual({ role, release: hasRight(actor, 'release') });
      expect({ role, approve: can(role as Role, 'logic.approve') }).toEqual({ role, approve: hasRight(actor, 'approve') });
    }
  });
});
