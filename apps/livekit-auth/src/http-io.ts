import type { IncomingMessage, ServerResponse } from "node:http";
import { httpError } from "./livekit-auth-error.js";

/** CORS headers on every answer (lk-jwt-service allows any origin). */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "POST, GET, HEAD, OPTIONS",
  "access-control-allow-headers":
    "Accept, Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization",
  "access-control-max-age": "86400",
};

/** Reads the whole body as UTF-8, refusing more than `maxBytes` with 413 `M_TOO_LARGE`. */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"] ?? "0");
    if (declared > maxBytes) {
      request.resume();
      reject(tooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on("data", (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        refused = true;
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => {
      if (!refused) resolve(Buffer.concat(chunks).toString("utf8"));
    });
    request.on("error", (error) => {
      if (!refused) reject(error);
    });
  });
}

/** Sends a JSON answer with the CORS headers. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...CORS_HEADERS,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** Sends `{errcode, error}`. */
export function sendError(
  response: ServerResponse,
  status: number,
  errcode: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { errcode, error: message }, headers);
}

function tooLarge(maxBytes: number) {
  return httpError(413, "M_TOO_LARGE", `The request body is larger than ${maxBytes} bytes`);
}
