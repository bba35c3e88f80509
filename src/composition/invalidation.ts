// Cache invalidation between instances: with Redis, a change made here is published so that every
// other instance drops its cached copy of the merchant's state at once (the caches' lifetimes, 2 to
// 5 s, remain the bound without it).
import type { FastifyBaseLogger } from 'fastify';
import { createRedisInvalidationBus, type InvalidationBus } from '../storage/redis-invalidation-bus.ts';

export interface ChangeFanout {
  /** Publishes that `what` changed for a merchant; nothing until connected (or without Redis). */
  publishChange: (what: string) => (merchantId: string) => void;
  /** The bus, once connected. */
  bus(): InvalidationBus | null;
  /** Subscribes to other instances' changes (with REDIS_URL); waits at most 2 s for Redis. */
  connect(redisUrl: string, channel: string | undefined, onMessage: (message: { merchantId: string; what: string }) => void, log: FastifyBaseLogger): Promise<void>;
}

export function createChangeFanout(): ChangeFanout {
  let invalidation: InvalidationBus | null = null;
  return {
    publishChange: (what) => (merchantId) => invalidation?.publish({ merchantId, what }),
    bus: () => invalidation,
    async connect(redisUrl, channel, onMessage, log) {
      const bus = createRedisInvalidationBus(redisUrl, {
        ...(channel ? { channel } : {}),
        onMessage,
        log: (message, fields) => log.warn(fields, message),
      });
      invalidation = bus;
      // Subscribed before serving, but a Redis that is down does not hold the start for long: the
      // subscription follows when Redis is back, and the caches' lifetimes bound staleness meanwhile.
      let waited: NodeJS.Timeout | undefined;
      await Promise.race([
        bus.ready().catch(() => undefined),
        new Promise<void>((resolve) => {
          waited = setTimeout(resolve, 2_000);
        }),
      ]);
      clearTimeout(waited);
    },
  };
}

/** With Redis: another instance's change drops this instance's cached copy of the merchant's state at once. */
export async function listenForChanges(
  fanout: ChangeFanout,
  config: { redisUrl?: string | undefined },
  options: { invalidationChannel?: string | undefined },
  log: FastifyBaseLogger,
  caches: {
    sessions: { invalidateCaches(): void };
    merchants: { invalidateCaches(merchantId: string): void };
    priorityLogicRouter: { invalidate(merchantId: string): void };
    scoring: { invalidate(merchantId: string): void };
    risk: (merchantId: string) => void;
  },
): Promise<void> {
  if (!config.redisUrl) return;
  await fanout.connect(
    config.redisUrl,
    options.invalidationChannel,
    ({ merchantId, what }) => {
      if (what === 'sessions') return caches.sessions.invalidateCaches();
      if (what === 'risk') return caches.risk(merchantId);
      caches.merchants.invalidateCaches(merchantId);
      caches.priorityLogicRouter.invalidate(merchantId);
      caches.scoring.invalidate(merchantId);
    },
    log,
  );
}
