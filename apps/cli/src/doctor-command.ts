import { parseArgs } from "node:util";
import { CliError, type CliIo, EXIT_FAILURE, EXIT_OK } from "./cli-io.js";
import { doctorStyle, formatDoctorLine, formatDoctorSummary } from "./format-doctor.js";
import { parseHomeserverUrl } from "./homeserver-url.js";
import { runDoctor } from "./run-doctor.js";

/** Usage text of `mxrtc doctor`. */
export const DOCTOR_USAGE = `Usage: mxrtc doctor --homeserver <url> [--token <access token>] [--write <room id>] [--json]

Checks a MatrixRTC deployment, one line per item with the fix when it fails:
/versions (MSC4140, MSC4354, MSC4143), delayed-event limits, .well-known rtc_foci,
/rtc/transports, each focus service (/healthz and a real /get_token with an OpenID token),
and with --write a real delayed event (at our own empty membership) and the power levels.

  --token   access token of a test user (enables the authenticated checks)
  --write   a room the user has joined: schedule, restart and cancel a delayed event there,
            check the call-membership power level, and request a focus token for it
  --json    machine-readable output

Exit codes: 0 everything a call needs works (warnings allowed), 1 something a call needs
fails, 2 usage error.
`;

/**
 * `mxrtc doctor`: check a deployment.
 *
 * @example
 * ```ts
 * const code = await doctorCommand(["--homeserver", "http://127.0.0.1:8008"], io);
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4143
 */
export async function doctorCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parseDoctorArgs>["values"];
  try {
    const parsed = parseDoctorArgs(argv);
    if (parsed.positionals.length > 0) {
      throw new CliError(`unexpected arguments: ${parsed.positionals.join(" ")}`);
    }
    values = parsed.values;
  } catch (error) {
    if (CliError.isInstance(error)) throw error;
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.stdout(DOCTOR_USAGE);
    return EXIT_OK;
  }
  const homeserver = parseHomeserverUrl(values.homeserver);
  if (values.write !== undefined && values.token === undefined) {
    throw new CliError("--write needs --token (the user who writes in the room)");
  }
  const style = doctorStyle(io);
  if (!values.json) io.stdout(`mxrtc doctor: ${homeserver}\n\n`);
  const report = await runDoctor({
    homeserver,
    ...(values.token === undefined ? {} : { accessToken: values.token }),
    ...(values.write === undefined ? {} : { writeRoomId: values.write }),
    ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
    ...(io.now === undefined ? {} : { now: io.now }),
    ...(values.json ? {} : { onResult: (result) => io.stdout(formatDoctorLine(result, style)) }),
  });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorSummary(report));
  return report.ok ? EXIT_OK : EXIT_FAILURE;
}

function parseDoctorArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      homeserver: { type: "string" },
      token: { type: "string" },
      write: { type: "string" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
