// From what a caller sends (create / copy body, or an imported document) to a validated
// LogicDefinition. Structure is read by the engine's strict document reader; meaning is checked by
// validateLogic with the merchant's context (names taken, gateway accounts, the code sandbox).
// Every problem is reported, each with the path of its field.
import {
  LOGIC_DOCUMENT_FORMAT,
  LOGIC_DOCUMENT_VERSION,
  isAsyncCodeEvaluator,
  parseLogicDocument,
  validateLogic,
  withCatchAllConditions,
  type AsyncCodeEvaluator,
  type CodeEvaluator,
  type EvaluationOwner,
  type GatewayAccount,
  type LogicDefinition,
  type ValidationError,
} from '../../routing/index.ts';
import { AppError, type ErrorCodeName, type FieldError } from '../errors.ts';

/** What create and copy accept: the logic document without its format header. */
export interface LogicInput {
  name?: unknown;
  description?: unknown;
  kind?: unknown;
  enforce?: unknown;
  defaultGateways?: unknown;
  /** { mode: 'OFF' | 'WITHIN_LOGIC' | 'ALL_ELIGIBLE' }: success-rate ranking of the output (absent: OFF). */
  ranking?: unknown;
  definition?: unknown;
}

export interface ValidationDeps {
  existingNames: readonly string[];
  gateways: readonly GatewayAccount[];
  /** Compiles CODE logics to report COMPILATION_ERROR / CODE_TOO_LARGE (in the worker pool when asynchronous). */
  codeEvaluator?: CodeEvaluator | AsyncCodeEvaluator;
  /** Whose check it is (the pool's fair share); required with an asynchronous evaluator. */
  owner?: EvaluationOwner;
}

/** Validation codes of the engine, mapped to the registry (same names, plus the structural ones). */
const CODE_OF: Record<string, ErrorCodeName> = {
  NAME_REQUIRED: 'NAME_REQUIRED',
  NAME_ALREADY_EXISTS: 'NAME_ALREADY_EXISTS',
  CODE_REQUIRED: 'CODE_REQUIRED',
  COMPILATION_ERROR: 'COMPILATION_ERROR',
  CODE_TOO_LARGE: 'CODE_TOO_LARGE',
  DEFAULT_GATEWAYS_REQUIRED: 'DEFAULT_GATEWAYS_REQUIRED',
  INVALID_CONDITIONS: 'INVALID_CONDITIONS',
  INVALID_GATEWAY: 'INVALID_GATEWAY',
  GATEWAY_NOT_SUPPORTED: 'GATEWAY_NOT_SUPPORTED',
  NO_GATEWAY_SELECTED: 'NO_GATEWAY_SELECTED',
  INVALID_VOLUME_SPLIT: 'INVALID_VOLUME_SPLIT',
};

interface Problem {
  code: string;
  field: string;
  message: string;
  line?: number;
  column?: number;
}

/** Paths of validateLogic name the definition part without its `definition.` prefix. */
function documentField(field: string): string {
  return /^(rules|splits|code)\b/.test(field) ? `definition.${field}` : field;
}

function reasonOf(p: Problem): string {
  // Document errors already start with their path; the field carries it, the reason need not repeat it.
  const message = p.field && p.message.startsWith(`${p.field}: `) ? p.message.slice(p.field.length + 2) : p.message;
  if (p.line === undefined || /\(line \d+/.test(message)) return message;
  return `${message} (line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''})`;
}

/** One AppError carrying every problem; its code is the first problem's (structural problems under a condition are Invalid Conditions). */
export function validationFailure(problems: readonly Problem[]): AppError {
  const mapped = problems.map((p) => {
    let code: ErrorCodeName = CODE_OF[p.code] ?? 'INVALID_INPUT';
    if (p.code === 'INVALID_DOCUMENT' && /\.condition\b/.test(p.field)) code = 'INVALID_CONDITIONS';
    return { code, field: { field_name: p.field || 'body', reason: reasonOf(p) } satisfies FieldError };
  });
  const first = mapped.find((m) => m.code !== 'INVALID_INPUT') ?? mapped[0]!;
  const message = first.code === 'INVALID_INPUT' ? `Invalid logic: ${first.field.reason}` : undefined;
  return new AppError(first.code, message, {
    fields: mapped.map((m) => m.field),
    developerMessage: mapped.map((m) => `${m.field.field_name}: ${m.field.reason}`).join('; '),
  });
}

/** Reads a full logic document (import) or a header-less input (create/copy) and validates it in context. */
export async function readLogic(doc: unknown, deps: ValidationDeps): Promise<LogicDefinition> {
  const parsed = parseLogicDocument(doc);
  let logic: LogicDefinition;
  if (parsed.ok) {
    logic = parsed.logic;
  } else {
    const structural = parsed.errors.filter((e) => e.code === 'INVALID_DOCUMENT');
    if (structural.length > 0) throw validationFailure(parsed.errors);
    // Structurally sound, only validation problems: rebuild it and validate with the merchant's context below.
    logic = definitionOf(doc as Record<string, unknown>);
  }
  const evaluator = deps.codeEvaluator;
  const problems: ValidationError[] = validateLogic(logic, {
    existingNames: deps.existingNames,
    gateways: deps.gateways,
    ...(evaluator && !isAsyncCodeEvaluator(evaluator) ? { codeEvaluator: evaluator } : {}),
  });
  if (evaluator && isAsyncCodeEvaluator(evaluator) && logic.kind === 'CODE' && typeof logic.code === 'string' && logic.code.trim() !== '') {
    const r = await evaluator.check(logic.code, deps.owner ?? { tenant: '', lane: 'edit' });
    if (!r.ok) {
      const e: ValidationError = { code: r.reason, field: 'code', message: `${r.reason}: ${r.message}` };
      if (r.line !== undefined) e.line = r.line;
      if (r.column !== undefined) e.column = r.column;
      problems.push(e);
    }
  }
  if (problems.length > 0) throw validationFailure(problems.map((p) => ({ ...p, field: documentField(p.field) })));
  return logic;
}

/**
 * A structurally valid document whose validation may have failed -> the engine's definition, as
 * written (create/copy/import validate it in context next; a dry run lists its problems). The one
 * reader of such documents: read loosely (a missing list is empty) and carrying the ranking.
 */
export function definitionOf(doc: Record<string, unknown>): LogicDefinition {
  const base = {
    name: String(doc.name),
    ...(typeof doc.description === 'string' ? { description: doc.description } : {}),
    enforce: doc.enforce === true,
    defaultGateways: (doc.defaultGateways ?? []) as LogicDefinition['defaultGateways'],
    ...(doc.ranking !== undefined ? { ranking: doc.ranking as NonNullable<LogicDefinition['ranking']> } : {}),
  };
  const d = (doc.definition ?? {}) as Record<string, unknown>;
  switch (doc.kind) {
    case 'VOLUME':
      return { kind: 'VOLUME', ...base, splits: (d.splits ?? []) as never };
    case 'RULES':
      return { kind: 'RULES', ...base, rules: withCatchAllConditions(d.rules ?? []) as never };
    case 'CODE':
      return { kind: 'CODE', ...base, code: String(d.code ?? '') };
    default:
      return { kind: 'DEFAULT', ...base };
  }
}

/** The document an input stands for: defaults filled in (enforce false, empty lists) so the engine names what is missing. */
export function documentOf(input: LogicInput): Record<string, unknown> {
  const kind = input.kind;
  let definition = input.definition;
  if (definition === undefined) {
    definition = kind === 'VOLUME' ? { splits: [] } : kind === 'RULES' ? { rules: [] } : kind === 'CODE' ? { code: '' } : {};
  }
  return {
    format: LOGIC_DOCUMENT_FORMAT,
    formatVersion: LOGIC_DOCUMENT_VERSION,
    name: input.name ?? '',
    ...(input.description !== undefined && input.description !== null ? { description: input.description } : {}),
    kind,
    enforce: input.enforce ?? false,
    defaultGateways: input.defaultGateways ?? [],
    ...(input.ranking !== undefined && input.ranking !== null ? { ranking: input.ranking } : {}),
    definition,
  };
}

/** The input's fields over a stored definition (copy = change some fields, keep the rest). */
export function mergeInput(source: LogicDefinition, changes: LogicInput): LogicInput {
  const definition = source.kind === 'RULES' ? { rules: source.rules } : source.kind === 'VOLUME' ? { splits: source.splits } : source.kind === 'CODE' ? { code: source.code } : {};
  const kindChanged = changes.kind !== undefined && changes.kind !== source.kind;
  return {
    name: changes.name ?? source.name,
    description: changes.description !== undefined ? changes.description : source.description,
    kind: changes.kind ?? source.kind,
    enforce: changes.enforce ?? source.enforce,
    defaultGateways: changes.defaultGateways ?? source.defaultGateways,
    ...(changes.ranking !== undefined ? { ranking: changes.ranking } : source.ranking !== undefined ? { ranking: source.ranking } : {}),
    definition: changes.definition ?? (kindChanged ? undefined : definition),
  };
}
