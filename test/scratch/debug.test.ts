import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { call, createWebhook, newCaller } from "../helpers";
import { changeMessage, QUEUES, runBatch, spyReceiver, waitingAt, withFakeDate } from "../queue-helpers";

withFakeDate();
it("debug", async () => {
  const caller = await newCaller();
  const webhook = await createWebhook(caller);
  spyReceiver((_req, n) => new Response(null, { status: n === 1 ? 500 : 200 }));
  const r = await runBatch(QUEUES.changes, [changeMessage({ account_id: caller.account })]);
  console.log("acked", r.acked, r.retried);
  console.log(JSON.stringify(await waitingAt(webhook.id)));
  const p = await call("GET", `/v1/webhooks/${webhook.id}/pending`, { token: caller.token });
  console.log(p.status, JSON.stringify(p.body));
  const res = await call("PATCH", `/v1/webhooks/${webhook.id}`, { token: caller.token, json: { is_active: false } });
  console.log(res.status, res.text.slice(0, 300));
  console.log(JSON.stringify(await waitingAt(webhook.id)));
});
