// Dashboard sign-in for buildApp: the session service, its sign-in throttle (counted in Redis when
// there is one, so every instance sees them, else in the database) and the dashboard's settings.
import type { Config } from '../config.ts';
import type { ScryptParams } from '../core/password-hash.ts';
import { createSessionService, type SessionService } from '../core/sessions/session-service.ts';
import { createSignInThrottle, type ThrottlePolicy } from '../core/sessions/signin-throttle.ts';
import type { Db } from '../storage/db.ts';
import { createRedisSignInThrottleStore } from '../storage/redis-signin-throttle-store.ts';
import { createSessionStore } from '../storage/session-repository.ts';
import { createSignInThrottleRepository } from '../storage/signin-throttle-repository.ts';

export interface SessionWiring {
  config: Config;
  db: Db;
  signInThrottle: { policy?: ThrottlePolicy; now?: () => number; redisPrefix?: string } | undefined;
  passwordHashParams: ScryptParams | undefined;
  /** Tells other instances that sessions changed. */
  onChange: () => void;
}

export interface WiredSessions {
  sessions: SessionService;
  sessionTtlMs: number;
  dashboardConfig: NonNullable<Config['dashboard']>;
  /** Closed with the app (null without Redis). */
  redisThrottleStore: ReturnType<typeof createRedisSignInThrottleStore> | null;
}

export function wireSessions({ config, db, signInThrottle, passwordHashParams, onChange }: SessionWiring): WiredSessions {
  const dashboardConfig = config.dashboard ?? { sessionTtlHours: 12, cookieSecure: Boolean(config.tlsCertFile), staticDir: 'dist/dashboard' };
  const sessionTtlMs = dashboardConfig.sessionTtlHours * 3_600_000;
  // Sign-in attempts are counted in Redis when there is one (every instance sees them), else in the database.
  const throttleOptions = signInThrottle ?? {};
  const redisThrottleStore = config.redisUrl ? createRedisSignInThrottleStore(config.redisUrl, throttleOptions.redisPrefix ? { prefix: throttleOptions.redisPrefix } : {}) : null;
  const throttleStore = redisThrottleStore ?? createSignInThrottleRepository(db);
  const throttle = createSignInThrottle(throttleStore, {
    ...(throttleOptions.policy ? { policy: throttleOptions.policy } : {}),
    ...(throttleOptions.now ? { now: throttleOptions.now } : {}),
  });
  const sessions = createSessionService({ store: createSessionStore(db), ttlMs: sessionTtlMs, throttle, ...(passwordHashParams ? { passwordHashParams } : {}), onChange });
  return { sessions, sessionTtlMs, dashboardConfig, redisThrottleStore };
}
