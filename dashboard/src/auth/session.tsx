// The signed-in user. On load: GET /v1/auth/me (the HttpOnly session cookie decides); the CSRF token
// it answers is handed to the API client for every state-changing call. A 401 anywhere returns the
// app to the sign-in page; any other failure of /v1/auth/me (a 503, no network) is not "signed out":
// the status is 'error' and the app offers Retry, so a valid session is never shown the sign-in page.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from '../api/client';
import { queryClient } from '../api/query';
import type { SessionUser } from './permissions';

interface SessionAnswer {
  user: SessionUser;
  csrf_token: string;
}

export type SessionStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

export interface SessionState {
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
  const [user, setUser] = useState<SessionUser | null>(initialUser ?? null);
  const [status, setStatus] = useState<SessionStatus>(initialUser ? 'authenticated' : 'loading');
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setStatus('loading');
    setAttempt((n) => n + 1);
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    queryClient.clear(); // nothing one user loaded is shown to the next
    setUser(null);
    setStatus('anonymous');
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(signedOut);
    return () => setUnauthenticatedHandler(null);
  }, [signedOut]);

  useEffect(() => {
    if (initialUser) return;
    let cancelled = false;
    api<SessionAnswer>('/v1/auth/me')
      .then((answer) => {
        if (cancelled) return;
        setCsrfToken(answer.csrf_token);
        setUser(answer.user);
        setError(null);
        setStatus('authenticated');
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        if (e instanceof ApiError && e.status === 401) signedOut();
        else {
          setError(e);
          setStatus('error');
        }
      });
    return () => {
      cancelled = true;
    };
  }, [initialUser, signedOut, attempt]);

  const login = useCallback(async (email: string, password: string) => {
    const answer = await api<SessionAnswer>('/v1/auth/login', { method: 'POST', body: { email, password } });
    setCsrfToken(answer.csrf_token);
    setUser(answer.user);
    setStatus('authenticated');
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
