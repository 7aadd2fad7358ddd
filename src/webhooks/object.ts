// The webhook's Durable Object: its deliveries' order, its waiting work and its request log
// (the class is delivery/webhook-object.ts). Addressed by the webhook's id.
export const webhookObject = (env: Env, webhookId: string) => env.WEBHOOK_OBJECT.getByName(webhookId);
