import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { signedHeaders } from "../../src/delivery/send";
import { sign, signatureHeader } from "../../src/delivery/signing";
import { payloadBody } from "../../src/messages/payload";
import { newSigningSecret } from "../../src/webhooks/secrets";

describe("signing", () => {
  it("matches the Standard Webhooks reference vector", async () => {
    const signature = await sign(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs with every secret, the new one first, space-separated", async () => {
    const [next, previous] = [newSigningSecret(), newSigningSecret()];
    const header = await signatureHeader([next, previous], "msg_1", 1700000000, "{}");
    expect(header.split(" ")).toEqual([
      await sign(next, "msg_1", 1700000000, "{}"),
      await sign(previous, "msg_1", 1700000000, "{}"),
    ]);
  });

  it("produces headers the standardwebhooks library verifies, with either secret of a rotation", async () => {
    const [next, previous] = [newSigningSecret(), newSigningSecret()];
    const body = payloadBody({
      entity_id: 7,
      entity_type: "company",
      action_type: "update",
      result: { name: "ACME" },
    });
    const headers = await signedHeaders(
      { messageId: "msg_abc", body, secrets: [next, previous] },
      Date.now(),
    );
    expect(new Webhook(next).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });
});

describe("payloadBody", () => {
  it("has exactly entity_id, entity_type, action_type and result", () => {
    const body = payloadBody({ entity_id: "42", entity_type: "user", action_type: "new", result: { a: 1 } });
    expect(body).toBe('{"entity_id":"42","entity_type":"user","action_type":"new","result":{"a":1}}');
  });

  it("has no result on delete", () => {
    const body = payloadBody({ entity_id: 42, entity_type: "user", action_type: "delete", result: { a: 1 } });
    expect(JSON.parse(body)).toEqual({ entity_id: 42, entity_type: "user", action_type: "delete" });
  });
});
