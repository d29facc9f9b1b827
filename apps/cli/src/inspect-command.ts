import { parseArgs } from "node:util";
import { CliError, type CliIo, EXIT_OK } from "./cli-io.js";
import { formatInspectText } from "./format-text.js";
import { inspectLive } from "./inspect-live.js";
import { buildInspectReport } from "./inspect-report.js";
import { latestOriginServerTs, readRoomDump } from "./room-dump.js";

/** Usage text of `mxrtc inspect`. */
export const INSPECT_USAGE = `Usage: mxrtc inspect <room-dump.json> [--json] [--now <ms|ISO time>] [--slot <application#id>] [--room <room id>]
       mxrtc inspect --homeserver <url> --token <access token> --room <room id> [--json] [--slot <application#id>]

Reads a room dump (an array of client events, a /sync room section, or a whole /sync response)
and prints current calls, members with their transports and dialects, past sessions, and every
rejected event with its reason.

  --json        machine-readable output
  --now         the time to evaluate expiry at (default: the latest origin_server_ts in the dump,
                so the output of a saved dump is reproducible)
  --slot        only this slot (default: every slot seen)
  --room        which room of a /sync response holding several; with --homeserver, the live room
  --homeserver  read the room live (GET /rooms/{id}/state + one /sync for sticky events),
                judged at this machine's clock; needs --token and --room
  --token       access token of a user who has joined the room
`;

/** Parse `--now`: Unix milliseconds or an ISO 8601 time. */
export function parseNow(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  const parsed = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed)) {
    throw new CliError(
      `--now must be Unix milliseconds or an ISO time, got ${JSON.stringify(value)}`,
    );
  }
  return parsed;
}

/**
 * `mxrtc inspect <file>`: print a room's MatrixRTC state.
 *
 * @remarks Throws {@link CliError} for bad arguments or unusable input (the caller prints one
 * line and exits 2).
 * @example
 * ```ts
 * const code = await inspectCommand(["samples/element-call-room.json", "--json"], io);
 * ```
 */
export async function inspectCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseInspectArgs>;
  try {
    parsed = parseInspectArgs(argv);
  } catch (error) {
    if (CliError.isInstance(error)) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(INSPECT_USAGE);
    return EXIT_OK;
  }
  if (values.homeserver !== undefined || values.token !== undefined) {
    if (positionals.length > 0 || values.now !== undefined) {
      throw new CliError("a live inspect (--homeserver) takes no file and no --now");
    }
    return inspectLive(
      {
        homeserver: values.homeserver,
        token: values.token,
        roomId: values.room,
        json: values.json,
        slotId: values.slot,
      },
      io,
    );
  }
  const [file, ...extra] = positionals;
  if (file === undefined)
    throw new CliError("missing the room dump file (mxrtc inspect <file.json>)");
  if (extra.length > 0) throw new CliError(`unexpected arguments: ${extra.join(" ")}`);
  const explicitNow = values.now === undefined ? undefined : parseNow(values.now);

  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    const reason =
      error instanceof Error && "code" in error
        ? String(error.code)
        : error instanceof Error
          ? error.message
          : String(error);
    throw new CliError(`cannot read ${file}: ${reason}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const dump = readRoomDump(json, values.room);
  const latest = latestOriginServerTs(dump.events);
  const now = explicitNow ?? latest ?? 0;
  const nowSource =
    explicitNow !== undefined ? "argument" : latest === undefined ? "none" : "latest-event";
  const report = buildInspectReport(dump, {
    now,
    nowSource,
    ...(values.slot === undefined ? {} : { slotId: values.slot }),
  });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectText(report));
  return EXIT_OK;
}

function parseInspectArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean", default: false },
      now: { type: "string" },
      slot: { type: "string" },
      room: { type: "string" },
      homeserver: { type: "string" },
      token: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
