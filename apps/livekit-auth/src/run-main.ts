import { LivekitAuthError } from "./livekit-auth-error.js";
import { createLivekitAuthService, type LivekitAuthService } from "./livekit-auth-service.js";
import { loadConfigFromEnv } from "./load-config-from-env.js";

/**
 * What the `mxrtc-livekit-auth` binary does: read the environment, start the service.
 *
 * @remarks Configuration errors print one line `mxrtc-livekit-auth: <problem>` and resolve
 * `{ exitCode: 2 }`; a failure to start (port taken, store unreadable) resolves `{ exitCode: 1 }`.
 * `LIVEKIT_INSECURE_SKIP_VERIFY_TLS=YES_I_KNOW_WHAT_I_AM_DOING` sets
 * `NODE_TLS_REJECT_UNAUTHORIZED=0` in `env` (process-wide in the binary).
 * @example
 * ```ts
 * const { exitCode, service } = await runMain(process.env, (line) => process.stderr.write(`${line}\n`));
 * ```
 * @see https://github.com/matrix-org/matrix-spec-proposals/pull/4195
 */
export async function runMain(
  env: NodeJS.ProcessEnv,
  printError: (line: string) => void,
): Promise<{ exitCode: 0 | 1 | 2; service?: LivekitAuthService }> {
  let config: ReturnType<typeof loadConfigFromEnv>;
  try {
    config = loadConfigFromEnv(env);
  } catch (error) {
    printError(
      `mxrtc-livekit-auth: ${LivekitAuthError.isInstance(error) ? error.message : String(error)}`,
    );
    return { exitCode: 2 };
  }
  if (config.insecureSkipVerifyTls) {
    env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
    printError("mxrtc-livekit-auth: WARNING: TLS certificate verification is disabled");
  }
  let service: LivekitAuthService | undefined;
  try {
    service = createLivekitAuthService(config);
    await service.listen();
    return { exitCode: 0, service };
  } catch (error) {
    printError(`mxrtc-livekit-auth: cannot start: ${(error as Error).message.split("\n")[0]}`);
    await service?.close().catch(() => undefined);
    return { exitCode: 1 };
  }
}
