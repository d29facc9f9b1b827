import { StackError } from "./stack-error.js";

/**
 * Sends one JSON request to a homeserver with plain `fetch` and returns the parsed body.
 *
 * @remarks Throws a {@link StackError} (`http-failed`) naming the method, path, status and
 * body on any non-2xx reply, so a failing test says what the server refused.
 *
 * @example
 * ```ts
 * const versions = await matrixRequest(info.baseUrl, "GET", "/_matrix/client/versions");
 * ```
 */
export async function matrixRequest<T = Record<string, unknown>>(
  baseUrl: string,
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  options: { accessToken?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.accessToken !== undefined) headers.authorization = `Bearer ${options.accessToken}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    throw new StackError("http-failed", `${method} ${path}: no reply from ${baseUrl}`, {
      cause: error,
    });
  }
  const text = await response.text();
  if (!response.ok) {
    throw new StackError("http-failed", `${method} ${path} -> ${response.status}: ${text}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StackError("http-failed", `${method} ${path}: reply is not JSON: ${text}`, {
      cause: error,
    });
  }
}
