import type { MatrixPort, MatrixVersions } from "@mxrtc/matrix";
import type { RtcTransport } from "@mxrtc/types";

/**
 * The outcome of one doctor check: `ok`, `warn` (works, but something is missing or risky;
 * never fails the run) or `fail` (something a call needs does not work: exit code 1).
 *
 * @example
 * ```ts
 * const result: DoctorResult = { id: "msc4140", status: "fail", message: "…", fix: "…" };
 * ```
 */
export interface DoctorResult {
  /** Stable id, e.g. `msc4140`, `focus-health:http://…`. */
  readonly id: string;
  readonly status: "ok" | "warn" | "fail";
  /** One line: what was found. */
  readonly message: string;
  /** What to change when the status is not `ok`. */
  readonly fix?: string;
}

/** Who we are, from `whoami` (known only with `--token`). */
export interface DoctorIdentity {
  readonly userId: string;
  readonly deviceId: string;
  /** The server name (the part after the first `:` of the user id). */
  readonly serverName: string;
}

/**
 * What the checks may use: a fetch (for non-Matrix URLs), the homeserver's base URL, and, with
 * `--token`, a Matrix port and our identity.
 *
 * @example
 * ```ts
 * const context: DoctorContext = { fetch, homeserver: "http://127.0.0.1:8008", timeoutMs: 5000 };
 * ```
 */
export interface DoctorContext {
  readonly fetch: typeof fetch;
  readonly homeserver: string;
  /** Timeout of each request, ms. */
  readonly timeoutMs: number;
  readonly matrix?: MatrixPort;
  readonly identity?: DoctorIdentity;
}

/** The facts checks share as the run goes on. */
export interface DoctorFacts {
  versions?: MatrixVersions;
  /** Transports found at `/rtc/transports` and in each `.well-known`, de-duplicated. */
  readonly transports: RtcTransport[];
}

/** A short reason from any thrown value. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const code =
      typeof cause === "object" && cause !== null && "code" in cause
        ? ` (${String(cause.code)})`
        : "";
    return `${error.message}${code}`;
  }
  return String(error);
}

/**
 * GET (or POST) JSON from a non-Matrix URL with a timeout; resolves with the status and parsed
 * body (`undefined` when it is not JSON), rejects only when there is no reply.
 *
 * @example
 * ```ts
 * const { status, body } = await fetchJson(context, "https://example.org/.well-known/matrix/client");
 * ```
 */
export async function fetchJson(
  context: Pick<DoctorContext, "fetch" | "timeoutMs">,
  url: string,
  init: { readonly method?: "GET" | "POST"; readonly body?: unknown } = {},
): Promise<{ readonly status: number; readonly body: unknown; readonly text: string }> {
  const response = await context.fetch(url, {
    method: init.method ?? "GET",
    signal: AbortSignal.timeout(context.timeoutMs),
    ...(init.body === undefined
      ? {}
      : { body: JSON.stringify(init.body), headers: { "content-type": "application/json" } }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}
