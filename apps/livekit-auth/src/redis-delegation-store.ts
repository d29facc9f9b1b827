import { Redis } from "ioredis";
import {
  type DelegationBusMessage,
  type DelegationRecord,
  type DelegationStore,
  isActiveState,
} from "./delegation-store.js";

const UPDATE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local stored = cjson.decode(current)
local record = cjson.decode(ARGV[1])
if stored.jobId ~= record.jobId or stored.owner ~= record.owner then return 0 end
record.leaseUntil = stored.leaseUntil
redis.call('SET', KEYS[1], cjson.encode(record))
return 1`;

const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local record = cjson.decode(current)
if record.jobId ~= ARGV[1] then return 0 end
if record.state ~= 'waiting-for-initial-connect' and record.state ~= 'connected' then return 0 end
local now = tonumber(ARGV[4])
if record.owner and record.owner ~= ARGV[2] and (tonumber(record.leaseUntil) or 0) >= now then return 0 end
record.owner = ARGV[2]
record.leaseUntil = tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode(record))
return 1`;

/**
 * Delegation jobs in Redis, for several instances behind a load balancer: every instance sees
 * every job, the owner renews a lease on it, and when an instance dies another one claims its jobs
 * once the lease ran out. Webhooks reach whichever instance the balancer picks; they are passed to
 * the owner over Redis pub/sub.
 *
 * @remarks Records are JSON strings at `${prefix}job:${key}`; the set `${prefix}jobs` indexes them.
 * `update` and `claim` are Lua scripts, so they are atomic.
 * @param options.prefix - key prefix (default `"mxrtc:livekit-auth:"`).
 * @example
 * ```ts
 * const store = createRedisDelegationStore({ url: "redis://127.0.0.1:6379" });
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function createRedisDelegationStore(options: {
  url: string;
  prefix?: string;
}): DelegationStore {
  const prefix = options.prefix ?? "mxrtc:livekit-auth:";
  const index = `${prefix}jobs`;
  const channel = `${prefix}bus`;
  const jobKey = (key: string) => `${prefix}job:${key}`;
  const client = new Redis(options.url, { maxRetriesPerRequest: 3, lazyConnect: false });
  const subscriber = client.duplicate();
  const listeners = new Set<(message: DelegationBusMessage) => void>();
  client.on("error", () => {});
  subscriber.on("error", () => {});
  const subscribed = subscriber.subscribe(channel);
  subscriber.on("message", (_channel: string, text: string) => {
    let message: DelegationBusMessage;
    try {
      message = JSON.parse(text) as DelegationBusMessage;
    } catch {
      return;
    }
    for (const listener of [...listeners]) listener(message);
  });
  const read = async (key: string) => {
    const text = await client.get(jobKey(key));
    return text === null ? undefined : (JSON.parse(text) as DelegationRecord);
  };
  return {
    kind: "redis",
    shared: true,
    async put(record) {
      await client
        .multi()
        .set(jobKey(record.key), JSON.stringify(record))
        .sadd(index, record.key)
        .exec();
    },
    async update(record) {
      const result = await client.eval(
        UPDATE_SCRIPT,
        1,
        jobKey(record.key),
        JSON.stringify(record),
      );
      return result === 1;
    },
    get: read,
    async list() {
      const keys = await client.smembers(index);
      if (keys.length === 0) return [];
      const texts = await client.mget(keys.map(jobKey));
      return texts.flatMap((text) => (text === null ? [] : [JSON.parse(text) as DelegationRecord]));
    },
    async claim(key, claim) {
      const result = await client.eval(
        CLAIM_SCRIPT,
        1,
        jobKey(key),
        claim.jobId,
        claim.owner,
        String(claim.leaseUntil),
        String(claim.now),
      );
      return result === 1;
    },
    async prune(beforeTs) {
      for (const key of await client.smembers(index)) {
        const record = await read(key);
        if (record === undefined || (!isActiveState(record.state) && record.updatedTs < beforeTs)) {
          await client.multi().del(jobKey(key)).srem(index, key).exec();
        }
      }
    },
    async publish(message) {
      await client.publish(channel, JSON.stringify(message));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      await subscribed.catch(() => undefined);
      subscriber.disconnect();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
