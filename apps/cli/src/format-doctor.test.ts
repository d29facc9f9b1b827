import { describe, expect, it } from "vitest";
import { doctorStyle, formatDoctorLine, formatDoctorSummary } from "./format-doctor.js";

const fail = { id: "x", status: "fail", message: "broken", fix: "repair it" } as const;

describe("doctor formatting", () => {
  it("✓/!/✗ in colour only on a terminal without NO_COLOR", () => {
    expect(doctorStyle({ stdoutIsTty: true, env: {} }).fancy).toBe(true);
    expect(doctorStyle({ stdoutIsTty: true, env: { NO_COLOR: "1" } }).fancy).toBe(false);
    expect(doctorStyle({ stdoutIsTty: false, env: {} }).fancy).toBe(false);
    expect(doctorStyle({}).fancy).toBe(false);
    expect(formatDoctorLine(fail, { fancy: true })).toContain("✗");
  });

  it("plain ASCII markers, the fix on its own line only when not ok", () => {
    expect(formatDoctorLine(fail, { fancy: false })).toBe("[FAIL] broken\n       fix: repair it\n");
    expect(formatDoctorLine({ ...fail, status: "ok" }, { fancy: false })).toBe("[ok]   broken\n");
    expect(formatDoctorLine({ ...fail, status: "warn" }, { fancy: false })).toMatch(
      /^\[warn\] broken\n/,
    );
  });

  it("sums up failures and warnings", () => {
    expect(
      formatDoctorSummary({
        homeserver: "h",
        ok: false,
        results: [fail, { ...fail, status: "warn" }],
      }),
    ).toBe("\n1 check a call needs failed (1 warning).\n");
    expect(formatDoctorSummary({ homeserver: "h", ok: true, results: [] })).toBe(
      "\nEverything a call needs works.\n",
    );
  });
});
