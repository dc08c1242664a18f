import type { Me } from '@civicgrid/core/api/auth';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { ApiError, setCsrfToken, setUnauthenticatedHandler } from './api.js';
import { call } from './client.js';

interface AuthState {
  me: Me | null;
  loading: boolean;
  can(permission: string): boolean;
  refresh(): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await call('GET /api/me');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
  const me = q.data ?? null;
  useEffect(() => setCsrfToken(me?.csrfToken ?? null), [me]);
  useEffect(() => setUnauthenticatedHandler(() => qc.setQueryData(['me'], null)), [qc]);
  const value: AuthState = {
    me,
    loading: q.isLoading,
    can: (p) => me?.permissions.includes(p) ?? false,
    refresh: async () => {
      await qc.invalidateQueries({ queryKey: ['me'] });
    },
    logout: async () => {
      await call('POST /api/auth/logout').catch(() => undefined);
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(['me'], null);
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** After login the reply is the new `me`: store it, so the CSRF token is set at once. */
export function useSetMe() {
  const qc = useQueryClient();
  return (me: Me) => {
    setCsrfToken(me.csrfToken);
    qc.setQueryData(['me'], me);
  };
}
