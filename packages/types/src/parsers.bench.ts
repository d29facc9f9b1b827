// Throughput of the parsers on real-shaped content: `pnpm vitest bench --run --project types`.
import { bench, describe } from "vitest";
import {
  legacyMultiSfuUpdate,
  msc4143Join,
  stickyJsSdk43,
  stickyLeave,
} from "./__fixtures__/membership-contents.js";
import { parseLegacyMembershipContent } from "./legacy-membership.js";
import { parseRtcMemberContent } from "./rtc-member.js";

const hostile = {
  ...stickyJsSdk43,
  transports: { published: new Array(100_000).fill({ type: "x" }), can_subscribe: [] },
};

describe("parse one membership content", () => {
  bench("legacy join", () => {
    parseLegacyMembershipContent(legacyMultiSfuUpdate, { sender: "@alice:example.org" });
  });
  bench("sticky join (js-sdk 43)", () => {
    parseRtcMemberContent(stickyJsSdk43);
  });
  bench("msc4143 join", () => {
    parseRtcMemberContent(msc4143Join);
  });
  bench("sticky leave", () => {
    parseRtcMemberContent(stickyLeave);
  });
  bench("100 000 transports (rejected by the cap)", () => {
    parseRtcMemberContent(hostile);
  });
});
