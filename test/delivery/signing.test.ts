import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { fromBase64, utf8 } from "../../src/crypto/base64";
import { importEd25519 } from "../../src/crypto/ed25519";
import { signedHeaders } from "../../src/delivery/send";
import { sign, signatureHeader } from "../../src/delivery/signing";
import { payloadBody } from "../../src/messages/payload";
import { newSigningSecret } from "../../src/webhooks/secrets";
import { newSigningKey, type SigningKey, shownKey } from "../../src/webhooks/signing-keys";

const hmac = (key = newSigningSecret()): SigningKey => ({ scheme: "hmac-sha256", key });
const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (byte) => Number.parseInt(byte, 16));

/** Verifies one v1a signature of the header with the whpk_ public key, as a receiver would. */
async function verifiesV1a(publicKey: string, signature: string, signed: string): Promise<boolean> {
  const raw = fromBase64(publicKey.slice("whpk_".length));
  const key = await crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  const bytes = fromBase64(signature.slice("v1a,".length));
  return crypto.subtle.verify({ name: "Ed25519" }, key, bytes, utf8(signed));
}

const publicKeyOf = (key: SigningKey) => (shownKey(key) as { public_key: string }).public_key;

describe("signing", () => {
  it("matches the Standard Webhooks reference vector", async () => {
    const signature = await sign(
      hmac("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
      "msg_p5jXN8AQM9LWM0D4loKWxJek",
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("signs with every secret, the new one first, space-separated", async () => {
    const [next, previous] = [hmac(), hmac()];
    const header = await signatureHeader([next, previous], "msg_1", 1700000000, "{}");
    expect(header.split(" ")).toEqual([
      await sign(next, "msg_1", 1700000000, "{}"),
      await sign(previous, "msg_1", 1700000000, "{}"),
    ]);
  });

  it("produces headers the standardwebhooks library verifies, with either secret of a rotation", async () => {
    const [next, previous] = [hmac(), hmac()];
    const body = payloadBody({
      entity_id: 7,
      entity_type: "company",
      action_type: "update",
      result: { name: "ACME" },
    });
    const headers = await signedHeaders(
      { messageId: "msg_abc", body, signingKeys: [next, previous] },
      Date.now(),
    );
    expect(new Webhook(next.key).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous.key).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });
});

describe("Ed25519 (v1a)", () => {
  it("signs as RFC 8032's first test vector says, from a key in the whsk_ layout (seed ‖ public key)", async () => {
    const seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    const publicKey = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    const key = await importEd25519(hex(seed + publicKey));
    const signature = await crypto.subtle.sign({ name: "Ed25519" }, key, new Uint8Array(0));
    expect(new Uint8Array(signature)).toEqual(
      hex(
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
      ),
    );
  });

  it("makes a fresh key pair whose whpk_ public key verifies its v1a signatures, and no other's", async () => {
    const [key, other] = [await newSigningKey("ed25519"), await newSigningKey("ed25519")];
    expect(key.key).toMatch(/^whsk_[A-Za-z0-9+/]{86}==$/);
    expect(publicKeyOf(key)).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    expect(shownKey(key)).not.toHaveProperty("secret");
    const signature = await sign(key, "msg_1", 1700000000, '{"a":1}');
    expect(signature).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
    expect(await verifiesV1a(publicKeyOf(key), signature, 'msg_1.1700000000.{"a":1}')).toBe(true);
    expect(await verifiesV1a(publicKeyOf(key), signature, 'msg_1.1700000000.{"a":2}')).toBe(false);
    expect(await verifiesV1a(publicKeyOf(other), signature, 'msg_1.1700000000.{"a":1}')).toBe(false);
  });

  it("signs with a key of each scheme during a change of scheme, the new one first", async () => {
    const [next, previous] = [await newSigningKey("ed25519"), hmac()];
    const body = '{"entity_id":1}';
    const headers = await signedHeaders(
      { messageId: "msg_x", body, signingKeys: [next, previous] },
      Date.now(),
    );
    const [v1a, v1] = headers["webhook-signature"].split(" ");
    const signed = `msg_x.${headers["webhook-timestamp"]}.${body}`;
    expect(await verifiesV1a(publicKeyOf(next), v1a ?? "", signed)).toBe(true);
    expect(v1).toMatch(/^v1,/);
    expect(new Webhook(previous.key).verify(body, headers)).toEqual(JSON.parse(body));
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
