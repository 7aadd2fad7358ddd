// An origin service typed with `npx openapi-typescript <service>/v1/openapi.json`: the smallest
// valid change and webhook must type-check without the fields the service defaults.
import type { paths } from "./api";

type JsonBody<T> = T extends { requestBody?: { content: { "application/json": infer Body } } } ? Body : never;
type ChangesBody = JsonBody<paths["/v1/changes"]["post"]>;
type WebhookCreate = JsonBody<paths["/v1/webhooks"]["post"]>;

const change: ChangesBody = {
  account_id: "acme",
  entity_type: "company",
  entity_id: 7,
  action_type: "update",
  result: { name: "ACME GmbH" },
};
const batch: ChangesBody = {
  changes: [{ account_id: "acme", entity_type: "user", entity_id: "42", action_type: "delete" }],
};
const webhook: WebhookCreate = { name: "CRM sync", url: "https://crm.example.com/hooks" };

// @ts-expect-error the types are real: a change names its account
const withoutAccount: ChangesBody = { entity_type: "user", entity_id: 1, action_type: "delete" };
// @ts-expect-error a webhook has a URL
const withoutUrl: WebhookCreate = { name: "CRM sync" };

export async function report(base: string, token: string): Promise<void> {
  for (const body of [change, batch]) {
    await fetch(`${base}/v1/changes`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  }
}

export const examples = { webhook, withoutAccount, withoutUrl };
