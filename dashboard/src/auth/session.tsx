// The signed-in user. On load: GET /v1/auth/me (the HttpOnly session cookie decides); the CSRF token
// it answers is handed to the API client for every state-changing call. A 401 anywhere returns the
// app to the sign-in page; any other failure of /v1/auth/me (a 503, no network) is not "signed out":
// the status is 'error' and the app offers Retry, so a valid session is never shown the sign-in page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from '../api/client';
import { useAppQueryClient } from '../api/query';
import { queryKeys } from '../api/query-keys';
import type { SessionUser } from './permissions';

interface SessionAnswer {
  user: SessionUser;
  csrf_token: string;
}

type SessionStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
  login: (email: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Why the session could not be checked (status 'error'). */
  error: unknown;
  /** Asks /v1/auth/me again. */
  retry: () => void;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children, initialUser }: { children: ReactNode; initialUser?: SessionUser }) {
  const client = useAppQueryClient();
  // What sign-in, sign-out or a 401 decided; until then the answer of /v1/auth/me decides.
  const [decided, setDecided] = useState<{ user: SessionUser | null } | null>(initialUser ? { user: initialUser } : null);
  const me = useQuery<SessionAnswer, Error>(
    {
      queryKey: queryKeys.session.me(),
      queryFn: async ({ signal }) => {
        const answer = await api<SessionAnswer>('/v1/auth/me', { signal });
        setCsrfToken(answer.csrf_token);
        return answer;
      },
      enabled: decided === null,
      staleTime: Infinity,
      retry: false, // the error page's Retry asks again; a 503 shows at once, as it always did
      placeholderData: undefined,
    },
    client,
  );
  const { refetch } = me;
  const retry = useCallback(() => void refetch(), [refetch]);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    client.clear(); // nothing one user loaded is shown to the next
    setDecided({ user: null });
  }, [client]);

  useEffect(() => {
    setUnauthenticatedHandler(signedOut);
    return () => setUnauthenticatedHandler(null);
  }, [signedOut]);

  let status: SessionStatus;
  let user: SessionUser | null = null;
  let error: unknown = null;
  if (decided) {
    user = decided.user;
    status = user ? 'authenticated' : 'anonymous';
  } else if (me.data) {
    user = me.data.user;
    status = 'authenticated';
  } else if (me.error && !me.isFetching) {
    // A 401 is "signed out"; anything else (a 503, no network) is not: the app offers Retry.
    status = me.error instanceof ApiError && me.error.status === 401 ? 'anonymous' : 'error';
    error = status === 'error' ? me.error : null;
  } else status = 'loading';

  const login = useCallback(async (email: string, password: string) => {
    const answer = await api<SessionAnswer>('/v1/auth/login', { method: 'POST', body: { email, password } });
    setCsrfToken(answer.csrf_token);
    setDecided({ user: answer.user });
  }, []);

  const logout = useCallback(async () => {
    try {
      await api<void>('/v1/auth/logout', { method: 'POST' });
    } finally {
      signedOut();
    }
  }, [signedOut]);

  const value = useMemo(() => ({ status, user, login, logout, error, retry }), [status, user, login, logout, error, retry]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession needs a SessionProvider');
  return s;
}
