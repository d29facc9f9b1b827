import { createMatrixClient } from "@mxrtc/matrix";
import { type CliIo, EXIT_OK } from "./cli-io.js";
import { matrixFailure } from "./describe-matrix-failure.js";
import { formatInspectText } from "./format-text.js";
import { parseHomeserverUrl, requireOption } from "./homeserver-url.js";
import { buildInspectReport } from "./inspect-report.js";
import { fetchLiveRoomDump } from "./live-room-dump.js";

/** Options of {@link inspectLive}, as given on the command line. */
export interface InspectLiveOptions {
  readonly homeserver: string | undefined;
  readonly token: string | undefined;
  readonly roomId: string | undefined;
  readonly json: boolean;
  readonly slotId: string | undefined;
}

/**
 * `mxrtc inspect --homeserver URL --token TOKEN --room ROOM_ID`: the report of a live room,
 * judged at the current time.
 *
 * @remarks A bad token, a room the user is not in, or an unreachable server throws a
 * `CliError` (one line on stderr, exit code 2).
 * @example
 * ```ts
 * await inspectLive({ homeserver, token, roomId, json: false, slotId: undefined }, io);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function inspectLive(options: InspectLiveOptions, io: CliIo): Promise<number> {
  const homeserver = parseHomeserverUrl(options.homeserver);
  const accessToken = requireOption(options.token, "--token <access token>");
  const roomId = requireOption(options.roomId, "--room <room id>");
  const matrix = createMatrixClient({
    baseUrl: homeserver,
    accessToken,
    ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    defaultTimeoutMs: 15_000,
  });
  const now = io.now ?? Date.now;
  let dump: Awaited<ReturnType<typeof fetchLiveRoomDump>>;
  try {
    dump = await fetchLiveRoomDump(matrix, roomId, {
      now,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
  } catch (error) {
    throw matrixFailure(error, { homeserver, roomId });
  }
  const report = buildInspectReport(dump, {
    now: now(),
    nowSource: "clock",
    receivedTs: dump.receivedTs,
    ...(options.slotId === undefined ? {} : { slotId: options.slotId }),
  });
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectText(report));
  return EXIT_OK;
}
