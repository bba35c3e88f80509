// Risk rules in evaluation order: create, edit, enable/disable and delete. The condition is edited
// with the Priority Logic rule builder's condition editor (the same dimensions, operators and
// AND/OR groups); every matching enabled rule adds its action (allow, review, block) and score.
import { useState } from 'react';
import { ApiError } from '../api/client';
import { errorText } from '../analytics/format';
import { useApiQuery, useInvalidate } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ConditionGroupEditor } from '../priority-logic/ConditionEditor';
import { FieldErrorList } from '../priority-logic/FieldErrors';
import {
  childPath,
  conditionDraftOf,
  conditionOf,
  describeCondition,
  errorsAt,
  leafProblems,
  mergeErrors,
  newGroup,
  serverFieldErrors,
  type ConditionDraft,
  type FieldErrors,
  type GroupDraft,
} from '../priority-logic/model';
import { createRule, deleteRule, listRules, updateRule, type RiskAction, type RiskRule } from './api';
import { QueryError } from '../components/ErrorState.tsx';

const ACTIONS: readonly RiskAction[] = ['allow', 'challenge_3ds', 'review', 'block'];

interface RuleDraft {
  id: string | null;
  name: string;
  root: GroupDraft;
  action: RiskAction;
  score: string;
  enabled: boolean;
}

const newDraft = (): RuleDraft => ({ id: null, name: '', root: newGroup('all'), action: 'block', score: '50', enabled: true });

function draftOf(rule: RiskRule): RuleDraft {
  const c: ConditionDraft = conditionDraftOf(rule.condition);
  return { id: rule.id, name: rule.name, root: c.type === 'group' ? c : newGroup('all', [c]), action: rule.action, score: String(rule.score), enabled: rule.enabled };
}

/** Problems the form can see before asking the server, keyed like the server's fields. */
function localProblems(d: RuleDraft): FieldErrors {
  const out: FieldErrors = {};
  if (d.name.trim() === '') out.name = ['is required'];
  const score = Number(d.score);
  if (d.score.trim() === '' || !Number.isInteger(score) || score < 0 || score > 100) out.score = ['must be a whole number from 0 to 100'];
  const walk = (g: GroupDraft, path: string) => {
    if (g.children.length === 0) out[`${path}.${g.op}`] = ['needs at least one condition'];
    g.children.forEach((c, j) => {
      const p = childPath(path, g.op, j);
      if (c.type === 'group') walk(c, p);
      else {
        const problems = leafProblems(c);
        if (problems.length) out[p] = problems;
      }
    });
  };
  walk(d.root, 'condition');
  return out;
}

function RuleEditor({ initial, onSaved, onCancel }: { initial: RuleDraft; onSaved: (rule: RiskRule) => void; onCancel: () => void }) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<RuleDraft>) => setDraft({ ...draft, ...patch });

  async function save() {
    const local = localProblems(draft);
    setErrors(local);
    setFailure(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    const body = { name: draft.name.trim(), condition: conditionOf(draft.root), action: draft.action, score: Number(draft.score), enabled: draft.enabled };
    try {
      onSaved(draft.id ? await updateRule(draft.id, body) : await createRule(body));
    } catch (error) {
      if (error instanceof ApiError) setErrors(mergeErrors(serverFieldErrors(error.fields), local));
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="card stack"
      aria-label={draft.id ? `Edit rule ${initial.name}` : 'New risk rule'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{draft.id ? `Edit rule ${initial.name}` : 'New rule'}</h2>
      <div className="grid-form">
        <div className="field">
          <label>
            Name
            <input type="text" value={draft.name} onChange={(e) => set({ name: e.target.value })} aria-invalid={errorsAt(errors, 'name').length ? true : undefined} />
          </label>
          <FieldErrorList messages={errorsAt(errors, 'name')} testId="error-name" />
        </div>
        <div className="field">
          <label>
            Action
            <select value={draft.action} onChange={(e) => set({ action: ACTIONS.find((a) => a === e.target.value) ?? 'block' })}>
              <option value="block">Block</option>
              <option value="review">Review</option>
              <option value="challenge_3ds">Challenge with 3-D Secure</option>
              <option value="allow">Allow (score only)</option>
            </select>
          </label>
          <FieldErrorList messages={errorsAt(errors, 'action')} />
        </div>
        <div className="field">
          <label>
            Score (0 to 100)
            <input type="number" value={draft.score} onChange={(e) => set({ score: e.target.value })} />
          </label>
          <FieldErrorList messages={errorsAt(errors, 'score')} testId="error-score" />
        </div>
        <div className="field inline">
          <input id={`rule-enabled-${draft.id ?? 'new'}`} type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
          <label htmlFor={`rule-enabled-${draft.id ?? 'new'}`}>Enabled</label>
        </div>
      </div>
      <div>
        <p className="muted small">When the payment matches (risk facts are metadata keys: risk.email, risk.email_domain, risk.ip, risk.ip_country, risk.device_id, risk.card_fingerprint):</p>
        <ConditionGroupEditor group={draft.root} path="condition" depth={0} onChange={(root) => set({ root })} errors={errors} />
        <FieldErrorList messages={errorsAt(errors, 'condition').filter((m) => !errorsAt(errors, 'condition.all').includes(m))} testId="error-condition" />
      </div>
      {failure ? (
        <p role="alert" className="field-error">
          {failure}
        </p>
      ) : null}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {draft.id ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function RulesTab({ canEdit }: { canEdit: boolean }) {
  const loaded = useApiQuery(queryKeys.risk.rules(), (signal) => listRules(signal));
  const invalidate = useInvalidate();
  /** After a change: the rules and the audit trail. */
  const changed = () => void invalidate(queryKeys.risk.all);
  const [editing, setEditing] = useState<RuleDraft | null>(null);
  const [deleting, setDeleting] = useState<RiskRule | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const rules = loaded.data?.rules ?? [];

  async function toggle(rule: RiskRule) {
    setFailure(null);
    try {
      await updateRule(rule.id, { enabled: !rule.enabled });
      setMessage(`Rule ${rule.name} ${rule.enabled ? 'disabled' : 'enabled'}.`);
      changed();
    } catch (error) {
      setFailure(errorText(error));
    }
  }

  return (
    <div className="stack">
      <QueryError query={loaded} />
      <div role="status" aria-live="polite">
        {message}
      </div>
      {failure ? (
        <p role="alert" className="field-error">
          {failure}
        </p>
      ) : null}
      {loaded.data && rules.length === 0 ? <p className="empty">No risk rules.</p> : null}
      {rules.length > 0 ? <RulesTable rules={rules} canEdit={canEdit} onToggle={(r) => void toggle(r)} onEdit={(r) => setEditing(draftOf(r))} onDelete={setDeleting} /> : null}
      {canEdit && !editing ? (
        <div>
          <button type="button" className="btn btn-primary" onClick={() => setEditing(newDraft())}>
            + New rule
          </button>
        </div>
      ) : null}
      {canEdit && editing ? (
        <RuleEditor
          key={editing.id ?? 'new'}
          initial={editing}
          onCancel={() => setEditing(null)}
          onSaved={(rule) => {
            setEditing(null);
            setMessage(`Rule ${rule.name} saved.`);
            changed();
          }}
        />
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete rule ${deleting?.name ?? ''}?`}
        danger
        confirmLabel="Delete"
        onCancel={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          try {
            await deleteRule(deleting.id);
            setMessage(`Rule ${deleting.name} deleted.`);
            changed();
          } catch (error) {
            setFailure(errorText(error));
          }
          setDeleting(null);
        }}
      >
        <p>Payments are no longer checked against this rule.</p>
      </ConfirmDialog>
    </div>
  );
}

/** The merchant's risk rules in evaluation order, with Enable/Disable, Edit and Delete for editors. */
function RulesTable({
  rules,
  canEdit,
  onToggle,
  onEdit,
  onDelete,
}: {
  rules: RiskRule[];
  canEdit: boolean;
  onToggle: (r: RiskRule) => void;
  onEdit: (r: RiskRule) => void;
  onDelete: (r: RiskRule) => void;
}) {
  return (
    <div className="card table-scroll">
      <table className="table" aria-label="Risk rules">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Name</th>
            <th>When</th>
            <th>Action</th>
            <th className="num">Score</th>
            <th>Enabled</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r, i) => (
            <tr key={r.id} data-testid="risk-rule-row" data-rule-name={r.name}>
              <td className="num">{i + 1}</td>
              <td>
                <strong>{r.name}</strong>
              </td>
              <td className="small">{describeCondition(r.condition)}</td>
              <td>
                <span className={`verdict-${r.action}`}>{r.action}</span>
              </td>
              <td className="num">{r.score}</td>
              <td>{r.enabled ? 'Yes' : <span className="badge badge-inactive">Disabled</span>}</td>
              <td className="actions">
                {canEdit ? (
                  <>
                    <button type="button" className="btn btn-small" onClick={() => onToggle(r)}>
                      {r.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <button type="button" className="btn btn-small" aria-label={`Edit rule ${r.name}`} onClick={() => onEdit(r)}>
                      Edit
                    </button>
                    <button type="button" className="btn btn-small btn-danger" aria-label={`Delete rule ${r.name}`} onClick={() => onDelete(r)}>
                      Delete
                    </button>
                  </>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
