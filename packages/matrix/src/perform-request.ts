import { guardRequest } from "./guard-request.js";
import {
  MatrixConnectionError,
  MatrixError,
  type MatrixRequestTarget,
  MatrixResponseError,
} from "./matrix-error.js";
import type { MatrixRequest } from "./matrix-port.js";
import { retryAfterMs } from "./retry-after.js";

/** What {@link performRequest} needs from the client. */
export interface HttpContext {
  readonly baseUrl: string;
  readonly accessToken: string;
  readonly fetch: typeof fetch;
  /** Timeout for requests that give none; `0` disables. */
  readonly defaultTimeoutMs: number;
  readonly now: () => number;
}

/** Turns parsed JSON into the method's result, or `undefined` when the shape is wrong. */
export type ResponseParser<T> = (json: unknown) => T | undefined;

function buildUrl(context: HttpContext, request: MatrixRequest): string {
  let url = context.baseUrl + request.path;
  if (request.query) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query)) {
      if (value !== undefined) search.append(key, String(value));
    }
    const text = search.toString();
    if (text) url += (url.includes("?") ? "&" : "?") + text;
  }
  return url;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

async function exchange<T>(
  context: HttpContext,
  request: MatrixRequest,
  parse: ResponseParser<T>,
  signal: AbortSignal,
  target: MatrixRequestTarget,
): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (request.auth !== false) headers.Authorization = `Bearer ${context.accessToken}`;
  const init: RequestInit = { method: request.method, headers, signal };
  if (request.body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(request.body);
  }
  let response: Response;
  let text: string;
  try {
    response = await context.fetch(buildUrl(context, request), init);
    text = await response.text();
  } catch (error) {
    throw new MatrixConnectionError(
      "network",
      `No reply from the homeserver (${target.method} ${target.path}): ${String(error)}`,
      target,
      { cause: error },
    );
  }
  const json = parseJson(text);
  if (response.status < 200 || response.status > 299) {
    const body = json.ok ? json.value : text;
    const errcode =
      json.ok &&
      typeof json.value === "object" &&
      json.value !== null &&
      typeof (json.value as { errcode?: unknown }).errcode === "string"
        ? (json.value as { errcode: string }).errcode
        : undefined;
    const wait = retryAfterMs(response.headers.get("Retry-After"), body, context.now());
    throw new MatrixError({
      ...target,
      status: response.status,
      ...(errcode === undefined ? {} : { errcode }),
      ...(wait === undefined ? {} : { retryAfterMs: wait }),
      body,
    });
  }
  if (!json.ok) {
    throw new MatrixResponseError(
      response.status,
      text,
      `The homeserver's ${response.status} reply is not JSON (${target.method} ${target.path})`,
      target,
    );
  }
  const result = parse(json.value);
  if (result === undefined) {
    throw new MatrixResponseError(
      response.status,
      text,
      `The homeserver's ${response.status} reply has an unexpected shape (${target.method} ${target.path})`,
      target,
    );
  }
  return result;
}

/**
 * Sends one client-server API request with `fetch` and maps the outcome: JSON result, or
 * `MatrixError` / `MatrixConnectionError` / `MatrixResponseError`, or the caller's abort reason.
 *
 * @remarks The timeout covers the whole exchange, body included. Rejections of the underlying
 * fetch after the outcome is settled are swallowed, so nothing rejects unhandled.
 */
export function performRequest<T>(
  context: HttpContext,
  request: MatrixRequest,
  parse: ResponseParser<T>,
): Promise<T> {
  const target: MatrixRequestTarget = { method: request.method, path: request.path };
  return guardRequest((signal) => exchange(context, request, parse, signal, target), {
    signal: request.signal,
    timeoutMs: request.timeoutMs ?? context.defaultTimeoutMs,
    target,
  });
}
