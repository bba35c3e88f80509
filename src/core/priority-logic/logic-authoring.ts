// Writing logics: create, copy (editing is copying), import a document, export one, delete.
// Every new logic is validated in the merchant's context (names taken, gateway accounts, the code
// sandbox) and inserted with its audit row.
import { exportLogicDocument, type AsyncCodeEvaluator, type CodeEvaluator, type LogicDefinition, type LogicDocument } from '../../routing/index.ts';
import { newId } from '../crypto.ts';
import { AppError, invalidField } from '../errors.ts';
import type { RoutingAccount } from '../ports/router.ts';
import { requireRight } from './access.ts';
import { documentOf, mergeInput, readLogic, validationFailure, type LogicInput, type ValidationDeps } from './logic-input.ts';
import { audit, change, committed, invalidAction, requireLogic, summary, syncConflict, type Expected, type LogicChangeDeps } from './logic-change.ts';
import type { Actor, PriorityLogic } from './types.ts';

export interface LogicAuthoringDeps extends LogicChangeDeps {
  /** The merchant's gateway accounts (the routing candidates). */
  gatewayAccounts(merchantId: string): Promise<readonly RoutingAccount[]>;
  codeEvaluator?: CodeEvaluator | AsyncCodeEvaluator | undefined;
}

async function validationDeps(deps: LogicAuthoringDeps, merchantId: string): Promise<ValidationDeps> {
  const [names, candidates] = await Promise.all([deps.store.logicNames(merchantId), deps.gatewayAccounts(merchantId)]);
  return {
    existingNames: names,
    gateways: candidates,
    ...(deps.codeEvaluator ? { codeEvaluator: deps.codeEvaluator } : {}),
    owner: { tenant: merchantId, lane: 'edit' as const },
  };
}

/** Inserts a validated logic (create, copy, import) with its audit row. */
async function insert(deps: LogicChangeDeps, actor: Actor, definition: LogicDefinition, action: string, lineage: { version: number; copiedFrom: string | null }): Promise<PriorityLogic> {
  const logic = await deps.store.transaction(async (tx) => {
    const inserted = await tx.insertLogic({
      id: newId('pl'),
      merchantId: actor.merchantId,
      name: definition.name.trim(),
      description: definition.description ?? null,
      kind: definition.kind,
      version: lineage.version,
      definition,
      status: definition.kind === 'CODE' ? 'PENDING_APPROVAL' : 'INACTIVE',
      createdBy: actor.id,
      copiedFrom: lineage.copiedFrom,
    });
    if (!inserted) throw validationFailure([{ code: 'NAME_ALREADY_EXISTS', field: 'name', message: 'Configuration Name already exists' }]);
    await audit(tx, actor, action, inserted.id, null, { ...summary(inserted), ...(lineage.copiedFrom ? { copied_from: lineage.copiedFrom } : {}) });
    return inserted;
  });
  return committed(deps, actor.merchantId, logic);
}

export async function createLogic(deps: LogicAuthoringDeps, actor: Actor, input: LogicInput): Promise<PriorityLogic> {
  requireRight(actor, 'edit');
  const definition = await readLogic(documentOf(input), await validationDeps(deps, actor.merchantId));
  return insert(deps, actor, definition, 'CREATE', { version: 1, copiedFrom: null });
}

/** Editing is copying: the source's fields, overridden by `changes`, saved as a new logic. */
export async function copyLogic(deps: LogicAuthoringDeps, actor: Actor, sourceId: string, changes: LogicInput, expected: Expected = {}): Promise<PriorityLogic> {
  requireRight(actor, 'edit');
  const source = await requireLogic(deps.store, actor.merchantId, sourceId);
  if (expected.version !== undefined && expected.version !== source.rowVersion) {
    throw syncConflict('version', `the logic is at version ${source.rowVersion}, not ${expected.version}`);
  }
  const definition = await readLogic(documentOf(mergeInput(source.definition, changes)), await validationDeps(deps, actor.merchantId));
  return insert(deps, actor, definition, 'COPY', { version: source.version + 1, copiedFrom: source.id });
}

/** Import: a logic document (the export format), with exactly the validation of create. */
export async function importLogicDocument(deps: LogicAuthoringDeps, actor: Actor, document: unknown, rename?: string): Promise<PriorityLogic> {
  requireRight(actor, 'edit');
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidField('body', 'must be a Priority Logic document (a JSON object)');
  }
  const doc = rename !== undefined ? { ...(document as Record<string, unknown>), name: rename } : document;
  const definition = await readLogic(doc, await validationDeps(deps, actor.merchantId));
  return insert(deps, actor, definition, 'IMPORT', { version: 1, copiedFrom: null });
}

export async function exportLogic(deps: LogicChangeDeps, actor: Actor, logicId: string): Promise<LogicDocument> {
  requireRight(actor, 'read');
  const logic = await requireLogic(deps.store, actor.merchantId, logicId);
  return exportLogicDocument(logic.definition, deps.now().toISOString());
}

export async function removeLogic(deps: LogicChangeDeps, actor: Actor, logicId: string, expected: Expected): Promise<PriorityLogic> {
  return (
    await change(deps, actor, logicId, expected, 'DELETE', async ({ tx, logic, routing }) => {
      if (logic.status === 'ACTIVE' || logic.status === 'STAGGERED' || routing.activeLogicId === logic.id || routing.staggeredLogicId === logic.id) {
        throw new AppError('LOGIC_IS_LIVE', undefined, { fields: [{ field_name: 'status', reason: `the logic is ${logic.status}` }] });
      }
      if (routing.fallbackLogicId === logic.id) throw invalidAction('This logic is the fallback logic: unset it as fallback before deleting it');
      return { logic: await tx.updateLogic(logic.id, { deletedAt: deps.now() }), routing };
    })
  ).logic;
}
