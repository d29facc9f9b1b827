import { CliError } from "./cli-io.js";

/**
 * Check `--homeserver`: an absolute http(s) URL, returned without a trailing slash.
 *
 * @example
 * ```ts
 * parseHomeserverUrl("http://127.0.0.1:8008/"); // "http://127.0.0.1:8008"
 * ```
 */
export function parseHomeserverUrl(value: string | undefined): string {
  if (value === undefined) throw new CliError("missing --homeserver <url>");
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(
      `--homeserver must be a URL like https://matrix.example.org, got ${JSON.stringify(value)}`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new CliError(`--homeserver must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Check that a required option is present and not empty.
 *
 * @example
 * ```ts
 * const token = requireOption(values.token, "--token <access token>");
 * ```
 */
export function requireOption(value: string | undefined, name: string): string {
  if (value === undefined || value === "") throw new CliError(`missing ${name}`);
  return value;
}
