// The README's example, type-checked with the package (tsc -p tsconfig.json). Not run by vitest.
import type { FocusPluginV1 } from "@mxrtc/focus";
import { createMatrixClient } from "@mxrtc/matrix";
import { createRtcSession, SessionError } from "../src/index.js";

export async function readmeExample(
  baseUrl: string,
  accessToken: string,
  roomId: string,
  livekitPlugin: FocusPluginV1,
): Promise<void> {
  const matrix = createMatrixClient({ baseUrl, accessToken });
  const session = createRtcSession({ matrix, roomId, plugins: [livekitPlugin] });

  session.on("memberships-changed", ({ memberships }) => {
    for (const member of memberships) {
      const status = member.focusStatus.served ? "ok" : member.focusStatus.reason;
      console.log(member.userId, member.deviceId, member.transport?.type, status);
    }
  });
  session.on("transport-changed", ({ transport }) => console.log("call transport", transport));
  session.on("error", ({ error, fatal }) => console.warn(error.code, error.message, { fatal }));

  try {
    await session.join({ callIntent: "audio" });
  } catch (error) {
    if (SessionError.isInstance(error) && error.code === "insufficient-power-level") {
      console.error(`need power level ${error.requiredPowerLevel}, have ${error.userPowerLevel}`);
      return;
    }
    throw error;
  }
  await session.update({ callIntent: "video" }); // camera on: same ordered queue, created_ts kept
  await session.leave();
  await session.close();
}
