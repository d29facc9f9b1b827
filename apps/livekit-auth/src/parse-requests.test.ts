import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LivekitAuthError } from "./livekit-auth-error.js";
import { parseGetTokenRequest, parseJsonObject, parseLegacySfuRequest } from "./parse-requests.js";

const validGetToken = {
  room_id: "!room:example.com",
  slot_id: "m.call#ROOM",
  openid_token: {
    access_token: "t",
    token_type: "Bearer",
    matrix_server_name: "example.com",
    expires_in: 3600,
  },
  member: { id: "m", claimed_user_id: "@u:example.com", claimed_device_id: "D" },
};

function expectOkOr400(result: { ok: boolean; error?: unknown }) {
  if (result.ok) return;
  expect(LivekitAuthError.isInstance(result.error)).toBe(true);
  expect((result.error as LivekitAuthError).status).toBe(400);
  expect(["M_BAD_JSON", "M_NOT_JSON"]).toContain((result.error as LivekitAuthError).errcode);
}

describe("request parsers", () => {
  it("never throw on arbitrary JSON objects: they accept or answer 400 M_BAD_JSON / M_NOT_JSON", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (body) => {
        expectOkOr400(parseGetTokenRequest(body));
        expectOkOr400(parseGetTokenRequest(body, { requireDelegation: true }));
        expectOkOr400(parseLegacySfuRequest(body));
      }),
    );
  });

  it("never throw when one field of a valid body is replaced by arbitrary JSON", () => {
    const fields = ["room_id", "slot_id", "openid_token", "member", "delay_id", "delay_timeout"];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.jsonValue(), (field, value) => {
        expectOkOr400(parseGetTokenRequest({ ...validGetToken, [field]: value }));
      }),
    );
  });

  it("never throw on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expectOkOr400(parseJsonObject(text));
      }),
    );
  });

  it("accepts a valid body and keeps the delegation fields", () => {
    const parsed = parseGetTokenRequest({
      ...validGetToken,
      delay_id: "syd",
      delay_timeout: 60_000,
    });
    expect(parsed).toEqual({
      ok: true,
      value: {
        roomId: "!room:example.com",
        slotId: "m.call#ROOM",
        openIdToken: validGetToken.openid_token,
        member: { id: "m", claimedUserId: "@u:example.com", claimedDeviceId: "D" },
        delegation: { delayId: "syd", delayTimeoutMs: 60_000 },
      },
    });
  });
});
