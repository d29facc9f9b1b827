import type { MatrixPort, MatrixRequest, RequestOptions } from "@mxrtc/matrix";
import { MatrixConnectionError, MatrixError } from "@mxrtc/matrix";
import {
  checkContent,
  checkDelay,
  checkString,
  requestOptions,
} from "./check-delayed-event-input.js";
import {
  type DelayedEventAction,
  type EndpointForm,
  endpointForms,
  type ListRequestInput,
  type ManageRequestInput,
  type ScheduleRequestInput,
} from "./delayed-event-endpoints.js";
import { DelayedEventResponseError, DelayedEventsUnsupportedError } from "./delayed-event-error.js";
import type {
  DelayedEventLimits,
  DelayedEventTransportV1,
  ScheduledDelayedEvent,
  ScheduleMessageEventInput,
  ScheduleStateEventInput,
} from "./delayed-event-transport.js";
import { type DelayedEventsApi, detectDelayedEventsApi } from "./delayed-events-api.js";
import {
  type ErrorMappingContext,
  isUnrecognizedEndpoint,
  mapDelayedEventError,
  saysTooManyScheduled,
} from "./map-delayed-event-error.js";
import { parseDelayedEventLimits } from "./parse-delayed-event-limits.js";
import { parseScheduledDelayedEventsPage } from "./parse-scheduled-delayed-events.js";

/**
 * Options of {@link createDelayedEventTransport}.
 */
export interface DelayedEventTransportOptions {
  /** The Matrix client to talk through (only `request`, `versions` and `capabilities` are used). */
  readonly matrix: Pick<MatrixPort, "request" | "versions" | "capabilities">;
  /**
   * Which API family to speak. Default `"auto"`: detect from `/versions` (stable first, with the
   * unstable forms as fallbacks). `"stable"` or `"unstable"` skip detection and use only that
   * family's forms.
   */
  readonly api?: "auto" | "unstable" | "stable";
  /** First spec version assumed to contain delayed events. Default `"v1.20"` (an estimate). */
  readonly stableSinceSpecVersion?: string;
  /** Makes transaction ids for scheduling. Default: `crypto.randomUUID()` with an `mxrtc-de-` prefix. */
  readonly createTxnId?: () => string;
  /** Most listing pages to follow. Default 100. */
  readonly maxListPages?: number;
  /** Told about non-fatal oddities (skipped listing entries, form fallbacks). Default: nothing. */
  readonly onDiagnostic?: (message: string, detail?: unknown) => void;
}

type ActiveApi = Exclude<DelayedEventsApi, "none">;

function defaultTxnId(): string {
  const random =
    typeof globalThis.crypto?.randomUUID === "function"
      ? globalThis.crypto.randomUUID()
      : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  return `mxrtc-de-${random}`;
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

/** Map a failure, except the caller's own abort, which is rethrown as it came. */
function fail(error: unknown, context: ErrorMappingContext, request: RequestOptions): unknown {
  if (request.signal?.aborted === true && error === request.signal.reason) return error;
  return mapDelayedEventError(error, context);
}

/**
 * Create a {@link DelayedEventTransportV1} on a `MatrixPort`.
 *
 * @remarks Detection runs once, lazily, on the first call (`GET /versions`); limits are read from
 * `/capabilities` on the first `limits()` call, or when an error needs them (a 403 or 429 on
 * scheduling). Each operation kind (schedule, manage, list) tries its endpoint forms in order,
 * moves to the next on `M_UNRECOGNIZED` / 405, and remembers the first form the server recognised.
 * Create one transport per Matrix client and share it. Management calls always send the access
 * token (per-user rate limits, element-call#3985); on `M_UNKNOWN_TOKEN` they retry once without it
 * (servers where the delay id is a capability), and report the original error if the server then
 * says `M_MISSING_TOKEN`.
 *
 * @example
 * ```ts
 * import { createMatrixClient } from "@mxrtc/matrix";
 * import { createDelayedEventTransport } from "@mxrtc/delayed-events";
 *
 * const matrix = createMatrixClient({ baseUrl, accessToken });
 * const transport = createDelayedEventTransport({ matrix });
 * const { delayId } = await transport.scheduleStateEvent({
 *   roomId, eventType: "org.matrix.msc3401.call.member", stateKey, content: {}, delayMs: 10_000,
 * });
 * ```
 *
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4140
 */
export function createDelayedEventTransport(
  options: DelayedEventTransportOptions,
): DelayedEventTransportV1 {
  const { matrix } = options;
  const mode = options.api ?? "auto";
  const createTxnId = options.createTxnId ?? defaultTxnId;
  const maxListPages = options.maxListPages ?? 100;
  const diagnostic = options.onDiagnostic ?? (() => undefined);
  const rememberedForm = new Map<string, string>();
  let detected: Promise<DelayedEventsApi> | undefined;
  let cachedLimits: DelayedEventLimits | undefined;

  async function detectApi(request?: RequestOptions): Promise<DelayedEventsApi> {
    if (mode !== "auto") return mode;
    if (!detected) {
      // Shared by concurrent callers, so it carries no caller's signal (only the timeout); each
      // caller still stops waiting when its own signal aborts.
      const timeout = request?.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs };
      detected = matrix
        .versions(timeout)
        .then((versions) => detectDelayedEventsApi(versions, options.stableSinceSpecVersion));
      detected.catch(() => {
        detected = undefined;
      });
    }
    try {
      return await untilAborted(detected, request?.signal);
    } catch (error) {
      throw fail(error, { operation: "limits" }, requestOptions(request));
    }
  }

  async function activeApi(request?: RequestOptions): Promise<ActiveApi> {
    const api = await detectApi(request);
    if (api === "none") {
      throw new DelayedEventsUnsupportedError(
        "The homeserver does not advertise delayed events (MSC4140) in /versions",
      );
    }
    return api;
  }

  async function limits(request?: RequestOptions): Promise<DelayedEventLimits> {
    if (cachedLimits) return cachedLimits;
    const api = await detectApi(request);
    if (api === "none") return { supported: false, api: "none" };
    let capabilities: unknown = {};
    try {
      capabilities = await matrix.capabilities(requestOptions(request));
    } catch (error) {
      if (MatrixConnectionError.isInstance(error) || !MatrixError.isInstance(error)) {
        throw fail(error, { operation: "limits" }, requestOptions(request));
      }
      diagnostic("capabilities unavailable; limits unknown", error);
    }
    cachedLimits = { supported: true, api, ...parseDelayedEventLimits(capabilities, api) };
    return cachedLimits;
  }

  /** Limits for error mapping: never throws, never blocks on a failure. */
  async function limitsForMapping(request?: RequestOptions): Promise<Partial<DelayedEventLimits>> {
    try {
      return await limits(request);
    } catch {
      return {};
    }
  }

  function formsFor<Input>(
    kind: keyof typeof endpointForms,
    api: ActiveApi,
  ): readonly EndpointForm<Input>[] {
    const all = endpointForms[kind][api] as readonly EndpointForm<Input>[];
    const forms = mode === "stable" ? all.filter((form) => form.name === "stable") : all;
    const remembered = rememberedForm.get(`${kind}:${api}`);
    const first = forms.find((form) => form.name === remembered);
    return first ? [first, ...forms.filter((form) => form !== first)] : forms;
  }

  /** Try each form until one is recognised; remember it; map "none recognised" to unsupported. */
  async function tryForms<Input, Output>(
    kind: keyof typeof endpointForms,
    api: ActiveApi,
    input: Input,
    send: (request: MatrixRequest) => Promise<Output>,
  ): Promise<Output> {
    let lastUnrecognized: unknown;
    for (const form of formsFor<Input>(kind, api)) {
      try {
        const result = await send(form.build(input));
        rememberedForm.set(`${kind}:${api}`, form.name);
        return result;
      } catch (error) {
        if (!isUnrecognizedEndpoint(error)) {
          if (MatrixError.isInstance(error)) rememberedForm.set(`${kind}:${api}`, form.name);
          throw error;
        }
        diagnostic(`${kind}: form "${form.name}" not recognised, trying the next`, error);
        lastUnrecognized = error;
      }
    }
    throw new DelayedEventsUnsupportedError(
      `The homeserver recognised none of the delayed-event ${kind} endpoints`,
      { cause: lastUnrecognized },
    );
  }

  async function schedule(
    input: ScheduleRequestInput,
    request: RequestOptions,
  ): Promise<{ readonly delayId: string }> {
    const context: { -readonly [K in keyof ErrorMappingContext]: ErrorMappingContext[K] } = {
      operation: "schedule",
      delayMs: input.delayMs,
    };
    try {
      const api = await activeApi(request);
      const reply = await tryForms("schedule", api, input, (built) =>
        matrix.request<unknown>({ ...built, ...request }),
      );
      return { delayId: readDelayId(reply) };
    } catch (error) {
      if (MatrixError.isInstance(error) && [400, 403, 429].includes(error.status)) {
        const known = await limitsForMapping(request);
        if (known.maxDelayMs !== undefined) context.maxDelayMs = known.maxDelayMs;
        if (known.maxScheduled !== undefined) {
          context.maxScheduled = known.maxScheduled;
          if (error.status === 429 && !saysTooManyScheduled(error)) {
            context.atMaxScheduled = await atMaxScheduled(known.maxScheduled, request);
          }
        }
      }
      throw fail(error, context, request);
    }
  }

  /** A 429 on scheduling: is it the per-user cap? Count what is scheduled (best effort). */
  async function atMaxScheduled(maxScheduled: number, request: RequestOptions): Promise<boolean> {
    try {
      return (await listScheduled(request)).length >= maxScheduled;
    } catch (error) {
      diagnostic("could not count scheduled delayed events after a 429", error);
      return false;
    }
  }

  function readDelayId(reply: unknown): string {
    const record =
      typeof reply === "object" && reply !== null ? (reply as Record<string, unknown>) : {};
    if (typeof record.delay_id === "string" && record.delay_id.length > 0) return record.delay_id;
    if (typeof record.event_id === "string") {
      throw new DelayedEventsUnsupportedError(
        `The homeserver ignored the delay and sent the event at once (${record.event_id})`,
        { eventId: record.event_id, status: 200, body: reply },
      );
    }
    throw new DelayedEventResponseError("The scheduling reply has no delay_id", {
      status: 200,
      body: reply,
    });
  }

  async function manage(
    delayId: string,
    action: DelayedEventAction,
    options?: RequestOptions,
  ): Promise<void> {
    const request = requestOptions(options);
    try {
      checkString("delayId", delayId);
      const api = await activeApi(request);
      await tryForms<ManageRequestInput, unknown>("manage", api, { delayId, action }, (built) =>
        sendManagement({ ...built, ...request }),
      );
    } catch (error) {
      throw fail(error, { operation: "manage" }, request);
    }
  }

  /** Authenticated first; on M_UNKNOWN_TOKEN once without the token (js-sdk's fallback, reversed). */
  async function sendManagement(built: MatrixRequest): Promise<unknown> {
    try {
      return await matrix.request<unknown>({ ...built, auth: true });
    } catch (error) {
      if (!MatrixError.isInstance(error) || error.errcode !== "M_UNKNOWN_TOKEN") throw error;
      diagnostic("management call: access token refused, retrying without it", error);
      try {
        return await matrix.request<unknown>({ ...built, auth: false });
      } catch (retryError) {
        if (MatrixError.isInstance(retryError) && retryError.errcode === "M_MISSING_TOKEN") {
          throw error;
        }
        throw retryError;
      }
    }
  }

  async function listScheduled(
    options?: RequestOptions,
  ): Promise<readonly ScheduledDelayedEvent[]> {
    const request = requestOptions(options);
    try {
      const api = await activeApi(request);
      const events: ScheduledDelayedEvent[] = [];
      const seenTokens = new Set<string>();
      let from: string | undefined;
      for (let page = 0; page < maxListPages; page++) {
        const input: ListRequestInput = from === undefined ? {} : { from };
        const body = await tryForms("list", api, input, (built) =>
          matrix.request<unknown>({ ...built, ...request }),
        );
        const parsed = parseScheduledDelayedEventsPage(body);
        if ("message" in parsed) {
          throw new DelayedEventResponseError(parsed.message, { status: 200, body });
        }
        for (const skipped of parsed.skipped) {
          diagnostic(`listing: skipped a malformed entry (${skipped.reason})`, skipped.entry);
        }
        events.push(...parsed.events);
        if (parsed.nextBatch === undefined || seenTokens.has(parsed.nextBatch)) return events;
        seenTokens.add(parsed.nextBatch);
        from = parsed.nextBatch;
      }
      diagnostic(`listing: stopped after ${maxListPages} pages`);
      return events;
    } catch (error) {
      throw fail(error, { operation: "list" }, request);
    }
  }

  return {
    specificationVersion: "v1",
    async scheduleStateEvent(input: ScheduleStateEventInput) {
      const delayMs = checkDelay("delayMs", input.delayMs);
      return schedule(
        {
          roomId: checkString("roomId", input.roomId),
          eventType: checkString("eventType", input.eventType),
          stateKey: checkString("stateKey", input.stateKey, true),
          content: checkContent(input.content),
          delayMs,
          txnId: createTxnId(),
        },
        requestOptions(input),
      );
    },
    async scheduleMessageEvent(input: ScheduleMessageEventInput) {
      const delayMs = checkDelay("delayMs", input.delayMs);
      if (input.stickyDurationMs !== undefined)
        checkDelay("stickyDurationMs", input.stickyDurationMs);
      return schedule(
        {
          roomId: checkString("roomId", input.roomId),
          eventType: checkString("eventType", input.eventType),
          content: checkContent(input.content),
          delayMs,
          ...(input.stickyDurationMs === undefined
            ? {}
            : { stickyDurationMs: input.stickyDurationMs }),
          txnId: input.txnId === undefined ? createTxnId() : checkString("txnId", input.txnId),
        },
        requestOptions(input),
      );
    },
    restart: (delayId, options) => manage(delayId, "restart", options),
    cancel: (delayId, options) => manage(delayId, "cancel", options),
    send: (delayId, options) => manage(delayId, "send", options),
    listScheduled,
    limits,
  };
}
