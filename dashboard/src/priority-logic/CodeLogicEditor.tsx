// Code-Based Priority Logic: JavaScript in a CodeMirror editor (lazy chunk), the documented inputs
// and calls beside it, and a compile check that runs the draft in the server's sandbox through the
// dry-run endpoint (COMPILATION_ERROR / CODE_TOO_LARGE come back with line and column).
import { useState } from 'react';
import { ApiError } from '../api/client';
import { CodeEditor } from '../components/CodeEditor';
import { FieldErrorList } from './FieldErrors';
import { dryRun } from './api';
import { lineColumn } from './model';
import type { LogicInput } from './types';

const COMPLETIONS = [
  { label: 'setGatewayPriority', detail: '(["GW1", "GW2"]) preference order', type: 'function' },
  { label: 'enforceGatewayPriority', detail: '(["GW1"]) only these gateways', type: 'function' },
  { label: 'setGatewayReferenceIds', detail: '({GW: "refId"}) credential set per gateway', type: 'function' },
  { label: 'currentTimeMillis', detail: 'number, epoch ms' },
  ...[
    'orderId',
    'amount',
    'currency',
    'customerId',
    'productId',
    'description',
    'preferredGateway',
    'metadata',
    'billingCountry',
    'shippingCountry',
    'udf1',
    'udf2',
    'udf3',
    'udf4',
    'udf5',
    'udf6',
    'udf7',
    'udf8',
    'udf9',
    'udf10',
  ].map((f) => ({ label: `order.${f}`, type: 'property' })),
  ...['txnId', 'isEmi', 'emiBank', 'emiTenure', 'addToLocker', 'platform'].map((f) => ({ label: `txn.${f}`, type: 'property' })),
  ...[
    'cardBin',
    'extendedCardBin',
    'cardBrand',
    'cardIssuer',
    'cardType',
    'cardSubType',
    'cardIssuerCountry',
    'paymentMethod',
    'paymentMethodType',
    'authType',
    'upiApp',
    'upiTxnType',
    'wallet',
    'bank',
    'isDomestic',
  ].map((f) => ({ label: `payment.${f}`, type: 'property' })),
];

function CodeDocs() {
  return (
    <aside className="code-docs" aria-label="Code reference">
      <h4>Inputs (read-only)</h4>
      <ul>
        <li>
          <code>order</code>: orderId, amount (minor units), currency, customerId, productId, description, preferredGateway, udf1…udf10, metadata, billingCountry, shippingCountry
        </li>
        <li>
          <code>txn</code>: txnId, isEmi, emiBank, emiTenure, addToLocker, platform
        </li>
        <li>
          <code>payment</code>: cardBin, extendedCardBin, cardBrand, cardIssuer, cardType, cardSubType, cardIssuerCountry, paymentMethod, paymentMethodType, authType, upiApp, upiTxnType, wallet, bank,
          isDomestic
        </li>
        <li>
          <code>currentTimeMillis</code>: the decision time (epoch ms), e.g. for splits: <code>currentTimeMillis % 10 &lt; 5</code>
        </li>
      </ul>
      <h4>Calls</h4>
      <ul>
        <li>
          <code>setGatewayPriority(["A", "B"])</code>: the preferred order; the Default gateways follow as fallback.
        </li>
        <li>
          <code>enforceGatewayPriority(["A"])</code>: only these gateways may be used (no fallback).
        </li>
        <li>
          <code>
            setGatewayReferenceIds({'{'}A: "ref"{'}'})
          </code>
          : which credential set (gateway reference id) to use per gateway.
        </li>
      </ul>
      <p className="muted" style={{ marginTop: 8 }}>
        The last priority call wins. No <code>require</code>, <code>import</code>, <code>fetch</code>, timers or <code>Date</code>; a CPU deadline, a memory cap and a 64 KiB size limit apply.
        Ctrl+Space suggests names.
      </p>
      <h4>Example</h4>
      <pre>{`if (order.udf1 == "payu_offer") {
  enforceGatewayPriority(["SIM_BETA"]);
} else if (payment.cardIssuer == "ICICI Bank") {
  setGatewayPriority(["SIM_GAMMA", "SIM_BETA"]);
} else {
  setGatewayPriority(["SIM_ALPHA", "SIM_GAMMA"]);
}`}</pre>
    </aside>
  );
}

type CompileState = { kind: 'ok'; note?: string } | { kind: 'error'; reason: string; message: string; line: number | null; column: number | null } | { kind: 'failed'; message: string };

export function CodeLogicEditor({ code, onChange, errors, draft, canCheck }: { code: string; onChange: (code: string) => void; errors: string[]; draft: () => LogicInput; canCheck: boolean }) {
  const [check, setCheck] = useState<CompileState | null>(null);
  const [busy, setBusy] = useState(false);

  const compile = async () => {
    setBusy(true);
    try {
      const input = draft();
      const r = await dryRun({ logic: { ...input, name: input.name || 'draft' } }, { payment_method_type: 'CARD', card_number: '4111111111111111', amount: '100.00', currency: 'INR' });
      const p = r.decision?.primary;
      const codeProblem = r.validation_errors.find((v) => v.field === 'code');
      if (p && p.status === 'FAILURE' && (p.failure_reason === 'COMPILATION_ERROR' || p.failure_reason === 'CODE_TOO_LARGE')) {
        const at = lineColumn(p.message ?? '');
        setCheck({ kind: 'error', reason: p.failure_reason, message: p.message ?? '', line: at?.line ?? null, column: at?.column ?? null });
      } else if (codeProblem) {
        setCheck({ kind: 'error', reason: codeProblem.code, message: codeProblem.message, line: null, column: null });
      } else if (p && p.status === 'FAILURE') {
        setCheck({ kind: 'ok', note: `Compiles. With the sample card payment it ended with ${p.failure_reason}${p.message ? `: ${p.message}` : ''}.` });
      } else setCheck({ kind: 'ok' });
    } catch (e) {
      setCheck({ kind: 'failed', message: e instanceof ApiError ? e.message : 'Something went wrong. Please try again' });
    } finally {
      setBusy(false);
    }
  };

  const errorLine = check?.kind === 'error' ? check.line : (lineColumn(errors.join(' '))?.line ?? null);
  const invalid = errors.length > 0 || check?.kind === 'error';
  return (
    <div className="code-layout">
      <div className="stack">
        <div className={`code-editor ${invalid ? 'invalid' : ''}`}>
          <CodeEditor
            value={code}
            onChange={(v) => {
              onChange(v);
              if (check) setCheck(null);
            }}
            ariaLabel="Code editor"
            errorLine={errorLine}
            completions={COMPLETIONS}
          />
        </div>
        <FieldErrorList messages={errors} testId="code-errors" />
        <div className="row">
          {canCheck ? (
            <button type="button" className="btn" onClick={() => void compile()} disabled={busy}>
              {busy ? 'Checking…' : 'Compile check'}
            </button>
          ) : null}
          <span className="muted small">{code.length.toLocaleString()} characters</span>
        </div>
        <div aria-live="polite" data-testid="compile-result">
          {check?.kind === 'ok' ? (
            <p className="alert alert-success" style={{ marginBottom: 0 }}>
              No compile errors.{check.note ? ` ${check.note}` : ''}
            </p>
          ) : check?.kind === 'error' ? (
            <p className="alert alert-error" role="alert" style={{ marginBottom: 0 }}>
              <strong>{check.reason}</strong>
              {check.line !== null ? ` at line ${check.line}${check.column !== null ? `, column ${check.column}` : ''}` : ''}: {check.message.replace(/\s*\(line \d+(, column \d+)?\)\s*$/, '')}
            </p>
          ) : check?.kind === 'failed' ? (
            <p className="alert alert-error" role="alert" style={{ marginBottom: 0 }}>
              {check.message}
            </p>
          ) : null}
        </div>
      </div>
      <CodeDocs />
    </div>
  );
}
