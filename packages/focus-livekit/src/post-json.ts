import { LivekitFocusError, type LivekitFocusErrorCode } from "./livekit-focus-error.js";

/**
 * The subset of `fetch` the plugin uses; `globalThis.fetch` satisfies it.
 *
 * @example
 * ```ts
 * const fetchLike: FetchLike = (url, init) => globalThis.fetch(url, init);
 * ```
 */
export type FetchLike = (
  url: string,
  init: {
    readonly method: "POST";
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
    readonly signal: AbortSignal;
  },
) => Promise<{ readonly status: number; text(): Promise<string> }>;

/** A token service's answer (internal). */
export interface ServiceReply {
  readonly status: number;
  /** Parsed JSON, or `undefined` when the body is not JSON. */
  readonly body: unknown;
}

/** Options of {@link postJson} (internal). */
export interface PostJsonOptions {
  readonly fetch: FetchLike;
  readonly timeoutMs: number;
  /** Aborts the request (connect signal or the connection's lifetime). */
  readonly signals: readonly AbortSignal[];
}

/**
 * POSTs JSON and returns the status and parsed body; throws a typed error only when there is no
 * answer (internal).
 */
export async function postJson(
  url: string,
  body: unknown,
  options: PostJsonOptions,
): Promise<ServiceReply> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  for (const signal of options.signals) {
    if (signal.aborted) throw aborted(signal.reason);
    signal.addEventListener("abort", abort, { once: true });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  try {
    const response = await options.fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === "" ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, body: parsed };
  } catch (error) {
    const outer = options.signals.find((signal) => signal.aborted);
    if (outer !== undefined) throw aborted(outer.reason);
    if (timedOut) {
      throw new LivekitFocusError(`${url} did not answer within ${options.timeoutMs} ms`, {
        code: "timeout",
        cause: error,
      });
    }
    throw new LivekitFocusError(`${url} is unreachable`, {
      code: "service-unreachable",
      cause: error,
    });
  } finally {
    clearTimeout(timer);
    for (const signal of options.signals) signal.removeEventListener("abort", abort);
  }
}

function aborted(cause: unknown): LivekitFocusError {
  return new LivekitFocusError("the request was aborted", { code: "aborted", cause });
}

/** The error for a non-2xx answer of the token service (internal). */
export function serviceError(url: string, reply: ServiceReply): LivekitFocusError {
  const fields = (typeof reply.body === "object" && reply.body !== null ? reply.body : {}) as {
    readonly errcode?: unknown;
    readonly error?: unknown;
  };
  const errcode = typeof fields.errcode === "string" ? fields.errcode : undefined;
  const detail = typeof fields.error === "string" ? `: ${fields.error}` : "";
  const code: LivekitFocusErrorCode =
    reply.status === 400
      ? "bad-request"
      : reply.status === 401
        ? "unauthorized"
        : reply.status === 403
          ? "forbidden"
          : reply.status === 404
            ? "not-found"
            : reply.status === 429
              ? "rate-limited"
              : "service-error";
  return new LivekitFocusError(
    `${url} answered ${reply.status}${errcode === undefined ? "" : ` ${errcode}`}${detail}`,
    { code, status: reply.status, ...(errcode === undefined ? {} : { errcode }) },
  );
}

/** The `errcode` of a reply body, if any (internal). */
export function replyErrcode(reply: ServiceReply): string | undefined {
  const errcode = (reply.body as { readonly errcode?: unknown } | undefined)?.errcode;
  return typeof errcode === "string" ? errcode : undefined;
}
