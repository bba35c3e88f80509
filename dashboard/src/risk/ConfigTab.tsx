// The risk configuration form: on/off, mode, provider, fail open/closed, velocity limits, the
// card-testing guard, amount limits and mismatches. The server validates; its reasons are shown
// next to the fields they name (velocity[0].limit, card_testing.threshold, ...).
import { useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { errorText } from '../analytics/format';
import { useApiQuery, useAppQueryClient } from '../api/query.ts';
import { queryKeys } from '../api/query-keys.ts';
import { getConfig, putConfig, type RiskConfig } from './api';
import { AmountLimits, CardTestingGuard, CountryMismatches, GeneralFields, VelocityLimits } from './ConfigSections';
import { ErrorState } from '../components/ErrorState.tsx';

const DEFAULT_CONFIG: RiskConfig = {
  enabled: true,
  mode: 'sequential',
  provider: 'builtin',
  fail_open: true,
  provider_timeout_ms: 300,
  velocity: [],
  card_testing: null,
  amount_limits: [],
  mismatch: null,
};

export function ConfigTab({ canEdit }: { canEdit: boolean }) {
  const loaded = useApiQuery(queryKeys.risk.config(), (signal) => getConfig(signal));
  const client = useAppQueryClient();
  const [draft, setDraft] = useState<RiskConfig | null>(null);
  const [configured, setConfigured] = useState(false);
  const [errors, setErrors] = useState<ApiError | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setDraft(loaded.data.config ?? { ...DEFAULT_CONFIG, enabled: false });
      setConfigured(loaded.data.configured);
    }
  }, [loaded.data]);

  if (loaded.error) return <ErrorState error={loaded.error} onRetry={loaded.reload} retrying={loaded.loading} />;
  if (!draft)
    return (
      <p className="muted" role="status">
        Loading configuration…
      </p>
    );

  const set = (patch: Partial<RiskConfig>) => setDraft({ ...draft, ...patch });
  const reasons = (field: string): string[] => (errors?.fields ?? []).filter((f) => f.field_name === field).map((f) => f.reason);
  const disabled = !canEdit || busy;

  async function save() {
    if (!draft) return;
    setBusy(true);
    setErrors(null);
    setFailure(null);
    setSaved(null);
    try {
      const answer = await putConfig(draft);
      if (answer.config) setDraft(answer.config);
      client.setQueryData(queryKeys.risk.config(), answer); // the cache holds what was saved
      void client.invalidateQueries({ queryKey: queryKeys.risk.audit(200) });
      setConfigured(true);
      setSaved('Risk configuration saved.');
    } catch (error) {
      if (error instanceof ApiError && error.fields.length) setErrors(error);
      setFailure(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  const sections = { draft, set, reasons, disabled };
  return (
    <form
      className="stack"
      aria-label="Risk configuration"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {!configured ? <p className="empty">No risk configuration: payments are not checked. Save one to turn risk checks on.</p> : null}
      <GeneralFields {...sections} />
      <VelocityLimits {...sections} />
      <CardTestingGuard {...sections} />
      <AmountLimits {...sections} />
      <CountryMismatches {...sections} />

      {failure ? (
        <p role="alert" className="field-error" data-testid="config-error">
          {failure}
        </p>
      ) : null}
      <div role="status" aria-live="polite">
        {saved}
      </div>
      {canEdit ? (
        <div>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            Save configuration
          </button>
        </div>
      ) : null}
    </form>
  );
}
