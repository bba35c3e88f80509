// Cross-instance cache invalidation over Redis pub/sub. Each instance caches a merchant's routing
// configuration, gateway accounts, settings, API keys and secrets, and dashboard sessions, for a few seconds (TtlCache);
// a change made through one instance drops its own caches at once and is published here, so the
// other instances drop theirs within a message's delivery (milliseconds) rather than at the end of
// the cache lifetime. Delivery is best effort (pub/sub keeps nothing for a disconnected
// subscriber): the lifetimes stay the bound when Redis is unreachable.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export interface InvalidationMessage {
  /** Whose cached state changed: every cache of that merchant is dropped ('' for 'sessions'). */
  merchantId: string;
  /** What changed: 'priority-logic', 'merchant', 'routing', or 'sessions' (a sign-out or password change: every cached session is dropped). */
  what: string;
}

export interface InvalidationBus {
  /** Tells the other instances; never throws (a lost message costs at most a cache lifetime). */
  publish(message: InvalidationMessage): void;
  /** Resolves once the subscription is active. */
  ready(): Promise<void>;
  /** Messages from other instances received so far (tests, metrics). */
  readonly received: number;
  close(): Promise<void>;
}

export interface RedisInvalidationBusOptions {
  /** Pub/sub channel (tests keep theirs apart); default junction:invalidate. */
  channel?: string;
  /** Called for each message from another instance. */
  onMessage(message: InvalidationMessage): void;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export function createRedisInvalidationBus(url: string, options: RedisInvalidationBusOptions): InvalidationBus {
  const channel = options.channel ?? 'junction:invalidate';
  const origin = randomBytes(8).toString('hex');
  const publisher = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2_000 });
  const subscriber = new Redis(url, { connectTimeout: 2_000 });
  let received = 0;
  let loggedPublishError = false;
  publisher.on('error', () => undefined); // reported once per failed publish below
  subscriber.on('error', () => undefined); // ioredis reconnects and resubscribes by itself
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch((error: unknown) => options.log?.('cache invalidation: subscribe failed', { error: String(error) }));
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    let parsed: { origin?: unknown; merchantId?: unknown; what?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.origin === origin || typeof parsed.merchantId !== 'string') return;
    received++;
    options.onMessage({ merchantId: parsed.merchantId, what: typeof parsed.what === 'string' ? parsed.what : 'unknown' });
  });
  return {
    publish(message) {
      publisher.publish(channel, JSON.stringify({ origin, merchantId: message.merchantId, what: message.what })).then(
        () => {
          loggedPublishError = false;
        },
        (error: unknown) => {
          if (loggedPublishError) return;
          loggedPublishError = true;
          options.log?.('cache invalidation: publish failed (other instances see the change when their caches expire)', { error: String(error), merchantId: message.merchantId });
        },
      );
    },
    ready: () => subscribed,
    get received() {
      return received;
    },
    async close() {
      await Promise.allSettled([publisher.quit(), subscriber.quit()]);
    },
  };
}
