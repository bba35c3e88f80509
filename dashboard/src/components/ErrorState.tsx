// The one error state of every page's loading path: the seed's "Something went wrong. Please try
// again" for a server error (5xx) or a network failure, the server's own reason for a 4xx, and a
// Retry button that loads again.
import { errorText, isServerError } from '../analytics/format.ts';
import { ApiError } from '../api/client.ts';
import type { Loaded } from '../api/query.ts';

interface ErrorStateProps {
  error: unknown;
  /** Loads again; without it no Retry button is shown (e.g. a refusal retrying cannot fix). */
  onRetry?: (() => void) | undefined;
  /** Replaces the text for a 4xx (e.g. "Order ord_1 was not found." for a 404). */
  message?: string | undefined;
  retrying?: boolean | undefined;
  testId?: string | undefined;
}

/** A query's error state with its Retry, or nothing while it has none. */
export function QueryError({ query }: { query: Pick<Loaded<unknown>, 'error' | 'reload' | 'loading'> }) {
  return query.error ? <ErrorState error={query.error} onRetry={query.reload} retrying={query.loading} /> : null;
}

export function ErrorState({ error, onRetry, message, retrying, testId = 'error-state' }: ErrorStateProps) {
  const server = isServerError(error);
  const text = server ? errorText(error) : (message ?? errorText(error));
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="alert alert-error error-state" role="alert" data-testid={testId} data-kind={server ? 'server' : 'client'}>
      <span className="error-state-text">{text}</span>
      {server && requestId ? <span className="error-state-ref muted small"> (reference {requestId})</span> : null}
      {onRetry && (server || !(error instanceof ApiError) || error.status === 429 || error.status === 408) ? (
        <button type="button" className="btn btn-small error-state-retry" onClick={onRetry} disabled={retrying}>
          {retrying ? 'Retrying…' : 'Retry'}
        </button>
      ) : null}
    </div>
  );
}

/** A refused request's message with the fields it named (each already said in words). */
export function RequestErrorAlert({ error }: { error: { message: string; fields: readonly string[] } }) {
  return (
    <div className="alert alert-error" role="alert" style={{ marginTop: 12 }}>
      {error.message}
      {error.fields.length ? (
        <ul>
          {error.fields.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
