// The dashboard's one data-loading layer: TanStack Query (@tanstack/react-query). One QueryClient
// holds the cache; every read goes through useApiQuery with a key from ./query-keys.ts, so caching,
// retries, polling (refetchInterval) and invalidation after a change are decided here, not per page.
//
// Behaviour kept from the hand-written loaders it replaces:
// - a 4xx is never retried (the answer will not change); a 5xx or no answer is retried once, soon;
// - the previous data stays while the inputs change or a load is repeated (placeholderData);
// - polling waits for the previous round and skips rounds while the tab is hidden;
// - a failed load keeps the data already shown and sets `error` (pages show ErrorState with Retry).
import { QueryClient, QueryClientContext, keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { useCallback, useContext } from 'react';
import { ApiError } from './client.ts';

/** Retries left to TanStack Query: none for a 4xx (or an abort), at most `maxRetries` for a 5xx or no answer. */
export function shouldRetry(failureCount: number, error: unknown, maxRetries = 1): boolean {
  if (error instanceof ApiError && error.status > 0 && error.status < 500) return false;
  if (error instanceof DOMException && error.name === 'AbortError') return false;
  return failureCount < maxRetries;
}

/** Short: the page's error state (with its own Retry) shows within a second when the server is down. */
const retryDelay = (attempt: number) => Math.min(300 * 2 ** attempt, 2000);

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failureCount, error) => shouldRetry(failureCount, error),
        retryDelay,
        // Pages load again on mount (as they always did) and after invalidation; not on focus,
        // so a glance at another window does not fire every query of the page.
        staleTime: 0,
        refetchOnWindowFocus: false,
        refetchIntervalInBackground: false,
        placeholderData: keepPreviousData,
        // Offline is an error state with Retry (ApiError status 0), as before: never a silent pause.
        networkMode: 'always',
      },
      mutations: { retry: false, networkMode: 'always' },
    },
  });
}

/** The app's one client (App.tsx provides it; the session clears it on sign-out, tests after each test). */
export const queryClient = createQueryClient();

/** The client of the nearest QueryClientProvider, else the app's one client. */
export function useAppQueryClient(): QueryClient {
  return useContext(QueryClientContext) ?? queryClient;
}

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  /** A load is under way (the first one, a Retry, or a poll). */
  loading: boolean;
  /** Loads again with the same inputs (the Retry of an error state); settles when answered. */
  reload: () => Promise<void>;
  /** When the shown data was answered (ms since the epoch; 0 before the first answer). */
  updatedAt: number;
  /** The data was answered since this component mounted (not only a cached copy). */
  fresh: boolean;
}

interface ApiQueryOptions {
  /** false: nothing is requested, the previous data stays. */
  enabled?: boolean;
  /** Polls every `refetchInterval` ms after the previous answer (skipped while the tab is hidden). */
  refetchInterval?: number | false;
  /** How long an answer is fresh (not asked again on mount); 0 by default. */
  staleTime?: number;
}

/** One read: `load` gets TanStack's abort signal (a page left or inputs changed cancel the request). */
export function useApiQuery<T>(key: QueryKey, load: (signal: AbortSignal) => Promise<T>, options: ApiQueryOptions = {}): Loaded<T> {
  const client = useAppQueryClient();
  const enabled = options.enabled ?? true;
  const query = useQuery<T, Error>(
    {
      queryKey: key,
      queryFn: ({ signal }) => load(signal),
      enabled,
      refetchInterval: options.refetchInterval ?? false,
      staleTime: options.staleTime ?? 0,
    },
    client,
  );
  const { refetch } = query;
  const reload = useCallback(async () => {
    await refetch({ cancelRefetch: true });
  }, [refetch]);
  return {
    data: query.data ?? null,
    error: query.error,
    loading: enabled && query.isFetching,
    reload,
    updatedAt: query.isPlaceholderData ? 0 : query.dataUpdatedAt,
    fresh: query.isFetchedAfterMount && !query.isPlaceholderData,
  };
}

/** Marks every query under `key` (a resource prefix from query-keys.ts) stale and loads the shown ones again. */
export function useInvalidate(): (key: QueryKey) => Promise<void> {
  const client = useAppQueryClient();
  return useCallback((key: QueryKey) => client.invalidateQueries({ queryKey: key }), [client]);
}
