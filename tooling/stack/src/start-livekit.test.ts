import { once } from "node:events";
import { access, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RoomServiceClient, type WebhookEvent, WebhookReceiver } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { processExists } from "./process-group.js";
import { StackError } from "./stack-error.js";
import { type LivekitHandle, startLivekit } from "./start-livekit.js";

interface ReceivedWebhook {
  readonly body: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

describe("startLivekit", () => {
  let livekit: LivekitHandle;
  let receiver: Server;
  const webhooks: ReceivedWebhook[] = [];
  const arrivals: (() => void)[] = [];

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      void readBody(request).then((body) => {
        webhooks.push({
          body,
          authorization: request.headers.authorization,
          contentType: request.headers["content-type"],
        });
        response.end("ok");
        for (const wake of arrivals.splice(0)) wake();
      });
    });
    receiver.listen(0, "127.0.0.1");
    await once(receiver, "listening");
    const { port } = receiver.address() as AddressInfo;
    livekit = await startLivekit({ webhookUrls: [`http://127.0.0.1:${port}/sfu_webhook`] });
  }, 600_000);

  afterAll(async () => {
    await livekit?.stop();
    receiver?.close();
  });

  async function webhookEvent(name: string, timeoutMs = 10_000): Promise<WebhookEvent> {
    const events = new WebhookReceiver(livekit.apiKey, livekit.apiSecret);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const webhook of webhooks) {
        const event = await events.receive(webhook.body, webhook.authorization);
        if (event.event === name) return event;
      }
      if (Date.now() > deadline) throw new Error(`no ${name} webhook within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        arrivals.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  it("listens on loopback only and answers OK", async () => {
    expect(livekit.url).toBe(`ws://127.0.0.1:${livekit.port}`);
    expect(livekit.httpUrl).toBe(`http://127.0.0.1:${livekit.port}`);
    expect(livekit.udpPort).toBeGreaterThan(0);
    const response = await fetch(`${livekit.httpUrl}/`);
    expect((await response.text()).trim()).toBe("OK");
  });

  it("creates and lists a room through the room service API", async () => {
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const created = await rooms.createRoom({ name: "stack-test-room", emptyTimeout: 60 });
    expect(created.name).toBe("stack-test-room");
    const listed = await rooms.listRooms();
    expect(listed.map((room) => room.name)).toContain("stack-test-room");
  });

  it("signs a room_started webhook the WebhookReceiver accepts", async () => {
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    await rooms.createRoom({ name: "webhook-room", emptyTimeout: 60 });
    const event = await webhookEvent("room_started");
    expect(event.room?.name).toMatch(/^(stack-test-room|webhook-room)$/);
    const signed = webhooks.find((webhook) => webhook.authorization !== undefined);
    expect(signed?.contentType).toContain("application/webhook+json");
    const forged = new WebhookReceiver(livekit.apiKey, "x".repeat(48));
    await expect(forged.receive(signed?.body ?? "", signed?.authorization)).rejects.toThrow();
  });

  it("refuses a wrong API secret", async () => {
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, "y".repeat(48));
    await expect(rooms.listRooms()).rejects.toThrow();
  });

  it("stop() ends the process and removes its temp dir", async () => {
    const second = await startLivekit();
    expect(processExists(second.pid)).toBe(true);
    await second.stop();
    expect(processExists(second.pid)).toBe(false);
    await expect(access(second.dataDir)).rejects.toThrow();
    await second.stop(); // idempotent
  });

  it("refuses a TCP port that is taken", async () => {
    await expect(startLivekit({ port: livekit.port })).rejects.toMatchObject({
      code: "start-failed",
      message: expect.stringContaining("already in use"),
    });
  });

  it("fails with the log tail when livekit-server exits (UDP port taken)", async () => {
    const error = await startLivekit({ udpPort: livekit.udpPort, startTimeoutMs: 15_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(StackError.isInstance(error)).toBe(true);
    expect((error as StackError).code).toBe("start-failed");
    expect((error as StackError).message).toContain("livekit.log (tail)");
  });

  it("keeps a given dataDir (config and log) after stop()", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "mxrtc-livekit-test-"));
    try {
      const kept = await startLivekit({ dataDir });
      expect(kept.dataDir).toBe(dataDir);
      await kept.stop();
      expect(processExists(kept.pid)).toBe(false);
      const config = JSON.parse(await readFile(join(dataDir, "livekit.json"), "utf8")) as {
        port: number;
      };
      expect(config.port).toBe(kept.port);
      expect(await readFile(join(dataDir, "livekit.log"), "utf8")).toContain("starting LiveKit");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("rejects a short API secret before starting anything", async () => {
    await expect(startLivekit({ apiSecret: "short" })).rejects.toMatchObject({
      code: "invalid-argument",
    });
  });
});
