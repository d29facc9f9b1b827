import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createDelayedEventTransport } from "@mxrtc/delayed-events";
import { createReferenceFocusPlugin, REFERENCE_FOCUS_TYPE } from "@mxrtc/focus-reference";
import type { LeaveScheduler } from "@mxrtc/leave-scheduler";
import { createMatrixClient, type MatrixPort } from "@mxrtc/matrix";
import { createRtcSession, discoverTransports, SessionError } from "@mxrtc/session";
import type { RtcTransport } from "@mxrtc/types";
import { CliError, type CliIo, EXIT_FAILURE, EXIT_OK } from "./cli-io.js";
import { describeMatrixFailure, matrixFailure } from "./describe-matrix-failure.js";
import { parseHomeserverUrl, requireOption } from "./homeserver-url.js";
import {
  beforeSchedule,
  printMembershipChanges,
  printSchedulerEvents,
  timestampedPrinter,
} from "./join-output.js";
import { roomSyncFilter } from "./live-room-dump.js";

/** How long a graceful leave may take before we give up and rely on the delayed leave. */
const LEAVE_TIMEOUT_MS = 5_000;

/** Usage text of `mxrtc join`. */
export const JOIN_USAGE = `Usage: mxrtc join --homeserver <url> --token <access token> --room <room id> [--dialect legacy|sticky] [--focus <transport type>]

Joins the room's call (slot m.call#ROOM) as a headless member without media, keeps its delayed
leave alive, and prints one line per membership change and per heartbeat. Ctrl-C or SIGTERM
leaves gracefully (exit 0); a killed process leaves through the delayed leave (8 s).

  --dialect   membership we write: legacy state events (default; what Element Call reads) or
              sticky MSC4354 events (matrix-js-sdk 43)
  --focus     transport type to claim (e.g. livekit): the no-media reference focus stands in for
              it and we publish the homeserver's transport of that type. Default: the reference
              focus's own type ${REFERENCE_FOCUS_TYPE}
`;

async function ourTransports(
  matrix: MatrixPort,
  focus: string | undefined,
): Promise<RtcTransport[]> {
  if (focus === undefined) return [{ type: REFERENCE_FOCUS_TYPE }];
  const offered = (await discoverTransports(matrix)).filter(
    (transport) => transport.type === focus,
  );
  return offered.length > 0 ? [...offered] : [{ type: focus }];
}

function whenAborted(signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve(), { once: true }),
  );
}

function joinFailure(error: unknown, homeserver: string, roomId: string): string {
  if (SessionError.isInstance(error)) {
    if (error.code === "insufficient-power-level") return error.message;
    const cause = (error as { cause?: unknown }).cause;
    if (cause !== undefined) {
      return `could not join (${error.code}): ${describeMatrixFailure(cause, { homeserver, roomId })}`;
    }
    return `could not join (${error.code}): ${error.message}`;
  }
  return `could not join: ${describeMatrixFailure(error, { homeserver, roomId })}`;
}

/**
 * `mxrtc join`: be a headless call member until interrupted.
 *
 * @remarks Resolves 0 after a graceful leave (`io.signal` aborted), 1 when joining fails or the
 * session loses the call for good; throws `CliError` (exit 2) for bad arguments, a bad token or
 * an unreachable homeserver.
 * @example
 * ```ts
 * const code = await joinCommand(["--homeserver", url, "--token", token, "--room", roomId], io);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function joinCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const values = parseJoinArgs(argv);
  if (values.help) {
    io.stdout(JOIN_USAGE);
    return EXIT_OK;
  }
  const homeserver = parseHomeserverUrl(values.homeserver);
  const accessToken = requireOption(values.token, "--token <access token>");
  const roomId = requireOption(values.room, "--room <room id>");
  const dialect = values.dialect ?? "legacy";
  if (dialect !== "legacy" && dialect !== "sticky") {
    throw new CliError(`--dialect must be legacy or sticky, got ${JSON.stringify(dialect)}`);
  }
  const now = io.now ?? Date.now;
  const print = timestampedPrinter(io.stdout, now);
  const matrix = createMatrixClient({
    baseUrl: homeserver,
    accessToken,
    ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
  });
  let who: { userId: string; deviceId?: string };
  try {
    who = await matrix.whoami({ timeoutMs: 15_000 });
  } catch (error) {
    throw matrixFailure(error, { homeserver });
  }
  const deviceId = who.deviceId ?? "MXRTC";
  const transports = await ourTransports(matrix, values.focus);
  const plugin = createReferenceFocusPlugin({ focusType: values.focus ?? REFERENCE_FOCUS_TYPE });
  const attached = new WeakSet<LeaveScheduler>();
  const session = createRtcSession({
    matrix,
    roomId,
    dialect,
    plugins: [plugin],
    transports,
    userId: who.userId,
    deviceId,
    syncFilter: roomSyncFilter(roomId, randomUUID()),
    delayedEvents: beforeSchedule(createDelayedEventTransport({ matrix }), () => {
      const scheduler = session.scheduler;
      if (scheduler === undefined || attached.has(scheduler)) return;
      attached.add(scheduler);
      printSchedulerEvents(print, scheduler);
    }),
  });
  session.on("memberships-changed", ({ previous, memberships }) =>
    printMembershipChanges(print, previous, memberships),
  );
  session.on("error", ({ error, fatal }) =>
    print(`${fatal ? "fatal error" : "error"} (${error.code}): ${error.message}`),
  );
  let lost: () => void = () => {};
  const lostCall = new Promise<void>((resolve) => {
    lost = resolve;
  });
  let leaving = false;
  session.on("join-state-changed", ({ joinState }) => {
    if (joinState === "left" && !leaving) lost();
  });

  print(
    `joining ${roomId} as ${who.userId} device ${deviceId} (${dialect}, ${transports.map((t) => t.type).join(", ")})`,
  );
  try {
    await session.join();
  } catch (error) {
    io.stderr(`mxrtc: ${joinFailure(error, homeserver, roomId)}\n`);
    await session.close().catch(() => undefined);
    return EXIT_FAILURE;
  }
  print(`joined ${roomId}: transport ${session.transport?.type ?? "none"}; Ctrl-C to leave`);
  const active = session.transport?.type;
  if (active !== undefined && active !== (values.focus ?? REFERENCE_FOCUS_TYPE)) {
    print(
      `no focus serves the call's transport ${active} (the oldest member's): we are listed but not connected; use --focus ${active}`,
    );
  }

  const outcome = await Promise.race([
    whenAborted(io.signal).then(() => "interrupted" as const),
    lostCall.then(() => "lost" as const),
  ]);
  leaving = true;
  if (outcome === "lost") {
    print("lost the call for good");
    await session.close().catch(() => undefined);
    return EXIT_FAILURE;
  }
  print("leaving");
  let timer: ReturnType<typeof setTimeout> | undefined;
  const leftInTime = await Promise.race([
    session.leave().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), LEAVE_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!leftInTime) {
    print(
      "could not leave in time: the homeserver sends our delayed leave when its delay runs out",
    );
    return EXIT_FAILURE;
  }
  await session.close().catch(() => undefined);
  return EXIT_OK;
}

function parseJoinArgs(argv: readonly string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        homeserver: { type: "string" },
        token: { type: "string" },
        room: { type: "string" },
        dialect: { type: "string" },
        focus: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
    if (positionals.length > 0)
      throw new CliError(`unexpected arguments: ${positionals.join(" ")}`);
    return values;
  } catch (error) {
    if (CliError.isInstance(error)) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
