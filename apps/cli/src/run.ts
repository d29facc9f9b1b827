import { CliError, type CliIo, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./cli-io.js";
import { DOCTOR_USAGE, doctorCommand } from "./doctor-command.js";
import { INSPECT_USAGE, inspectCommand } from "./inspect-command.js";
import { JOIN_USAGE, joinCommand } from "./join-command.js";

/** Top-level usage of `mxrtc`. */
export const USAGE = `mxrtc: MatrixRTC tools

Commands:
  inspect <room-dump.json>   show calls, members, transports, past sessions and rejected events
  inspect --homeserver <url> --token <token> --room <room id>
                             the same for a live room
  doctor --homeserver <url> [--token <token>] [--write <room id>]
                             check a deployment (delayed events, transports, focus services)
  join --homeserver <url> --token <token> --room <room id>
                             join a call as a headless member and keep the delayed leave alive

Run "mxrtc <command> --help" for its options.
`;

/**
 * Run the `mxrtc` command line in-process and return the exit code.
 *
 * @remarks Never throws and never calls `process.exit`: usage errors and unusable input print
 * one line to `io.stderr` and return 2; unexpected failures print the error and return 1.
 * @example
 * ```ts
 * const code = await run(["inspect", "apps/cli/samples/element-call-room.json"], io);
 * ```
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case "inspect":
        return await inspectCommand(rest, io);
      case "doctor":
        return await doctorCommand(rest, io);
      case "join":
        return await joinCommand(rest, io);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(USAGE);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      default:
        throw new CliError(
          `unknown command ${JSON.stringify(command)} (commands: inspect, doctor, join)`,
        );
    }
  } catch (error) {
    if (CliError.isInstance(error)) {
      io.stderr(`mxrtc: ${error.message}\n`);
      return EXIT_USAGE;
    }
    io.stderr(
      `mxrtc: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILURE;
  }
}

export { DOCTOR_USAGE, INSPECT_USAGE, JOIN_USAGE };
