// The whole admin page as the server renders it; the script fills in the account's data.
import { raw } from "hono/html";
import { CardTemplate } from "./card-template";
import { FailedEntryTemplate } from "./failed-template";
import type { Language, Messages } from "./i18n";
import { Layout } from "./layout";
import { LogEntryTemplate } from "./log-template";
import { TokenPanel, WebhooksPanel } from "./panels";
import { DeleteDialog, WebhookDialog } from "./webhook-form";

export function AdminPage({ lang, t }: { lang: Language; t: Messages }) {
  return (
    <>
      {raw("<!doctype html>")}
      <Layout lang={lang} t={t}>
        <TokenPanel t={t} />
        <WebhooksPanel t={t} />
        <WebhookDialog t={t} />
        <DeleteDialog t={t} />
        <CardTemplate t={t} />
        <LogEntryTemplate t={t} />
        <FailedEntryTemplate t={t} />
      </Layout>
    </>
  );
}
