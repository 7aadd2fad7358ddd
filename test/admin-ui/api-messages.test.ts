// The admin page translates the API's English field errors through a table: it must know every
// message the admin API actually sends, word for word.
import { describe, expect, it } from "vitest";
import { DICTIONARY, type MessageKey } from "../../src/admin-ui/i18n";
import { API_MESSAGE_KEYS, API_MESSAGES } from "../../src/admin-ui/i18n/api-messages";
import { checkWebhookUrl } from "../../src/webhooks/url-policy";
import { call, createWebhook, newCaller, webhookInput } from "../helpers";

const { en } = DICTIONARY;

/** What an admin may get wrong in the webhook form, the field it concerns and the message's key. */
const BAD_WEBHOOKS: [string, Record<string, unknown>, string, MessageKey][] = [
  ["an empty name", { name: "  " }, "name", "fieldErrorEmpty"],
  ["a name over 100 characters", { name: "n".repeat(101) }, "name", "fieldErrorTooLong100"],
  [
    "a URL over 2048 characters",
    { url: `https://a.example.com/${"a".repeat(2048)}` },
    "url",
    "fieldErrorTooLong2048",
  ],
  ["a relative URL", { url: "/hooks" }, "url", "fieldErrorAbsoluteUrl"],
  ["an http URL", { url: "http://hooks.example.com/x" }, "url", "fieldErrorHttps"],
  ["a user name and password", { url: "https://ada:pw@hooks.example.com/x" }, "url", "fieldErrorUserinfo"],
  ["a private host", { url: "https://10.0.0.1/x" }, "url", "fieldErrorPublicHost"],
  ["no trigger", { triggers: [] }, "triggers", "fieldErrorNoTrigger"],
  [
    "101 events",
    { event_ids: Array.from({ length: 101 }, (_, i) => `ev_${i}`) },
    "event_ids",
    "fieldErrorTooManyEvents",
  ],
  ["an empty event", { event_ids: ["ev_fair", " "] }, "event_ids.1", "fieldErrorEmpty"],
  ["an unknown field", { colour: "red" }, "colour", "fieldErrorUnknownField"],
];

const fieldErrors = (body: any): { path: string; message: string }[] => body?.errors ?? [];

describe("the table of the API's field errors", () => {
  it.each(BAD_WEBHOOKS)("knows the message for %s", async (_, input, path, key) => {
    const caller = await newCaller();
    const res = await call("POST", "/v1/webhooks", { token: caller.token, json: webhookInput(input) });
    expect(res.status, res.text).toBe(400);
    expect(fieldErrors(res.body)).toContainEqual(expect.objectContaining({ path, message: en[key] }));
    expect(API_MESSAGES[en[key]]).toBe(key);
  });

  it("knows the scheme message local development gives (ALLOW_PRIVATE_URLS=true)", () => {
    const verdict = checkWebhookUrl("ftp://127.0.0.1/hooks", { allowPrivate: true });
    expect(verdict).toMatchObject({ ok: false, message: en.fieldErrorHttpsOrHttp });
  });

  it("knows the messages about a recover's since and a list's cursor", async () => {
    const caller = await newCaller();
    const webhook = await createWebhook(caller);
    const recover = await call("POST", `/v1/webhooks/${webhook.id}/recover`, {
      token: caller.token,
      json: { since: "yesterday" },
    });
    expect(recover.status, recover.text).toBe(400);
    expect(fieldErrors(recover.body)).toEqual([
      expect.objectContaining({ path: "since", message: en.fieldErrorDateTime }),
    ]);
    const list = await call("GET", "/v1/webhooks?cursor=nope", { token: caller.token });
    expect(list.status, list.text).toBe(400);
    expect(fieldErrors(list.body)).toEqual([
      expect.objectContaining({ path: "cursor", message: en.fieldErrorCursor }),
    ]);
  });

  it("lists no message the tests above do not see the API send", () => {
    const seen = new Set<MessageKey>([
      ...BAD_WEBHOOKS.map(([, , , key]) => key),
      "fieldErrorHttpsOrHttp",
      "fieldErrorDateTime",
      "fieldErrorCursor",
    ]);
    expect([...seen].sort()).toEqual([...API_MESSAGE_KEYS].sort());
    expect(Object.keys(API_MESSAGES)).toHaveLength(API_MESSAGE_KEYS.length);
  });
});
