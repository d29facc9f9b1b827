#!/usr/bin/env node
import { LivekitAuthError } from "./livekit-auth-error.js";
import { createLivekitAuthService } from "./livekit-auth-service.js";
import { loadConfigFromEnv } from "./load-config-from-env.js";

let config: ReturnType<typeof loadConfigFromEnv>;
try {
  config = loadConfigFromEnv(process.env);
} catch (error) {
  process.stderr.write(
    `mxrtc-livekit-auth: ${LivekitAuthError.isInstance(error) ? error.message : String(error)}\n`,
  );
  process.exit(2);
}
if (config.insecureSkipVerifyTls) {
  // lk-jwt-service's escape hatch for self-signed homeservers: applies to every outgoing request.
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
  process.stderr.write("mxrtc-livekit-auth: WARNING: TLS certificate verification is disabled\n");
}
let service: ReturnType<typeof createLivekitAuthService>;
try {
  service = createLivekitAuthService(config);
  await service.listen();
} catch (error) {
  process.stderr.write(`mxrtc-livekit-auth: cannot start: ${(error as Error).message}\n`);
  process.exit(1);
}
const stop = () => {
  service.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
