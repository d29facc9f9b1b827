import type { FocusMatrixPortV1, FocusOpenIdTokenV1, FocusToDeviceEventV1 } from "@mxrtc/focus";

type ToDeviceMessages = Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;

/**
 * A loopback "homeserver" that carries to-device messages between fake Matrix ports.
 *
 * @remarks Create one per test and pass it to every {@link createFakeFocusMatrixPort} that should
 * reach the others (e.g. two mesh peers).
 *
 * @example
 * ```ts
 * import { createFakeMatrixNetwork, type FakeMatrixNetwork } from "@mxrtc/focus-testkit";
 *
 * const network: FakeMatrixNetwork = createFakeMatrixNetwork();
 * network.portCount; // 0
 * ```
 */
export interface FakeMatrixNetwork {
  /** How many ports are attached. */
  readonly portCount: number;
}

/**
 * One `sendToDevice` call a fake port made.
 *
 * @example
 * ```ts
 * const sent: FakeSentToDevice = { eventType: "m.call.invite", messages: { "@bob:x": { B: {} } } };
 * ```
 */
export interface FakeSentToDevice {
  /** The event type sent. */
  readonly eventType: string;
  /** The messages, `userId → deviceId → content`. */
  readonly messages: ToDeviceMessages;
}

/**
 * Options for {@link createFakeFocusMatrixPort}.
 *
 * @example
 * ```ts
 * const options: FakeFocusMatrixPortOptions = { userId: "@bob:example.org", deviceId: "BOB" };
 * ```
 */
export interface FakeFocusMatrixPortOptions {
  /** The local user. Default `"@alice:example.org"`. */
  readonly userId?: string;
  /** The local device. Default `"ALICEDEVICE"`. */
  readonly deviceId?: string;
  /** Reported as `homeserverBaseUrl`. Default `"http://127.0.0.1:8008"`. */
  readonly homeserverBaseUrl?: string;
  /** The network to attach to. Default: a new network of its own (only self-sends loop back). */
  readonly network?: FakeMatrixNetwork;
}

/**
 * A {@link FocusMatrixPortV1} for tests that records what it was asked to do.
 *
 * @example
 * ```ts
 * import { createFakeFocusMatrixPort, type FakeFocusMatrixPort } from "@mxrtc/focus-testkit";
 *
 * const matrix: FakeFocusMatrixPort = createFakeFocusMatrixPort();
 * matrix.deliver({ type: "m.call.hangup", sender: "@bob:example.org", content: {} });
 * matrix.sent.length; // 0: nothing was sent by the plugin yet
 * ```
 */
export interface FakeFocusMatrixPort extends FocusMatrixPortV1 {
  /** How many `onToDevice` listeners are subscribed right now. */
  readonly listenerCount: number;
  /** Every `sendToDevice` call, in order. */
  readonly sent: readonly FakeSentToDevice[];
  /** How many OpenID tokens were requested. */
  readonly openIdRequests: number;
  /** Delivers an incoming to-device message to the listeners (on a microtask, like a sync). */
  deliver(event: FocusToDeviceEventV1): void;
  /** Makes later `requestOpenIdToken` calls reject with `error`; `undefined` restores success. */
  failOpenIdWith(error: unknown): void;
}

interface NetworkInternals {
  readonly ports: Set<{
    readonly userId: string;
    readonly deviceId: string;
    deliver: FakeFocusMatrixPort["deliver"];
  }>;
}

const networks = new WeakMap<FakeMatrixNetwork, NetworkInternals>();

/**
 * Creates a {@link FakeMatrixNetwork}.
 *
 * @remarks Messages to users or devices not attached are dropped, as a homeserver would queue them
 * for a device that never syncs. `"*"` as device id reaches every attached device of that user.
 *
 * @example
 * ```ts
 * import { createFakeFocusMatrixPort, createFakeMatrixNetwork } from "@mxrtc/focus-testkit";
 *
 * const network = createFakeMatrixNetwork();
 * const alice = createFakeFocusMatrixPort({ network });
 * const bob = createFakeFocusMatrixPort({ network, userId: "@bob:example.org", deviceId: "BOB" });
 * bob.onToDevice((event) => console.log(event.sender, event.type)); // "@alice:example.org ping"
 * await alice.sendToDevice("ping", { "@bob:example.org": { BOB: {} } });
 * ```
 */
export function createFakeMatrixNetwork(): FakeMatrixNetwork {
  const internals: NetworkInternals = { ports: new Set() };
  const network: FakeMatrixNetwork = {
    get portCount() {
      return internals.ports.size;
    },
  };
  networks.set(network, internals);
  return network;
}

function internalsOf(network: FakeMatrixNetwork): NetworkInternals {
  const internals = networks.get(network);
  if (internals === undefined) {
    throw new TypeError("network was not created by createFakeMatrixNetwork()");
  }
  return internals;
}

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.aborted === true ? signal.reason : undefined;
}

/**
 * Creates a {@link FakeFocusMatrixPort}: OpenID tokens on demand, to-device messages looped back
 * through a {@link FakeMatrixNetwork}, and a count of subscribed listeners.
 *
 * @remarks Tokens are `{ access_token: "fake-openid-<n>", token_type: "Bearer",
 * matrix_server_name: <server part of userId>, expires_in: 3600 }`. Both async methods reject with
 * the signal's reason when `options.signal` is already aborted. Delivery happens on a microtask,
 * so a listener never runs inside `sendToDevice`.
 *
 * @example
 * ```ts
 * import { createFakeFocusMatrixPort } from "@mxrtc/focus-testkit";
 *
 * const matrix = createFakeFocusMatrixPort();
 * const stop = matrix.onToDevice(() => {});
 * matrix.listenerCount; // 1
 * stop();
 * matrix.listenerCount; // 0
 * const token = await matrix.requestOpenIdToken(); // token.matrix_server_name === "example.org"
 * ```
 */
export function createFakeFocusMatrixPort(
  options: FakeFocusMatrixPortOptions = {},
): FakeFocusMatrixPort {
  const userId = options.userId ?? "@alice:example.org";
  const deviceId = options.deviceId ?? "ALICEDEVICE";
  const network = internalsOf(options.network ?? createFakeMatrixNetwork());
  const serverName = userId.includes(":") ? userId.slice(userId.indexOf(":") + 1) : "localhost";
  const listeners = new Set<(event: FocusToDeviceEventV1) => void>();
  const sent: FakeSentToDevice[] = [];
  let openIdRequests = 0;
  let openIdError: { readonly error: unknown } | undefined;

  const deliver = (event: FocusToDeviceEventV1): void => {
    const copy: FocusToDeviceEventV1 = { ...event, content: structuredClone(event.content) };
    queueMicrotask(() => {
      for (const listener of [...listeners]) listener(copy);
    });
  };

  const port: FakeFocusMatrixPort = {
    userId,
    deviceId,
    homeserverBaseUrl: options.homeserverBaseUrl ?? "http://127.0.0.1:8008",
    async requestOpenIdToken(requestOptions) {
      const aborted = abortReason(requestOptions?.signal);
      if (aborted !== undefined) throw aborted;
      openIdRequests += 1;
      if (openIdError !== undefined) throw openIdError.error;
      return {
        access_token: `fake-openid-${openIdRequests}`,
        token_type: "Bearer",
        matrix_server_name: serverName,
        expires_in: 3600,
      } satisfies FocusOpenIdTokenV1;
    },
    async sendToDevice(eventType, messages, sendOptions) {
      const aborted = abortReason(sendOptions?.signal);
      if (aborted !== undefined) throw aborted;
      sent.push({ eventType, messages: structuredClone(messages) });
      for (const [targetUserId, byDevice] of Object.entries(messages)) {
        for (const [targetDeviceId, content] of Object.entries(byDevice)) {
          for (const target of network.ports) {
            if (target.userId !== targetUserId) continue;
            if (targetDeviceId !== "*" && target.deviceId !== targetDeviceId) continue;
            target.deliver({ type: eventType, sender: userId, content });
          }
        }
      }
    },
    onToDevice(listener) {
      const wrapped = (event: FocusToDeviceEventV1) => listener(event);
      listeners.add(wrapped);
      return () => {
        listeners.delete(wrapped);
      };
    },
    get listenerCount() {
      return listeners.size;
    },
    get sent() {
      return [...sent];
    },
    get openIdRequests() {
      return openIdRequests;
    },
    deliver,
    failOpenIdWith(error) {
      openIdError = error === undefined ? undefined : { error };
    },
  };
  network.ports.add({ userId, deviceId, deliver });
  return port;
}
