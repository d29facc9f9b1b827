// Child process for services-die-with-parent.test.ts: starts LiveKit and Redis, prints their pids,
// then waits to be killed.
import { startLivekit } from "../start-livekit.js";
import { startRedis } from "../start-redis.js";

const livekit = await startLivekit();
const redis = await startRedis();
process.stdout.write(
  `${JSON.stringify({
    livekit: livekit.pid,
    redis: redis.pid,
    dirs: [livekit.dataDir, redis.dataDir],
  })}\n`,
);
setInterval(() => {}, 60_000);
