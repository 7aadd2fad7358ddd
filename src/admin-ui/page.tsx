// The whole admin page as the server renders it; the script fills in the account's data.
import { raw } from "hono/html";
import { CardTemplate } from "./card-template";
import { FailedEntryTemplate } from "./failed-template";
import type { Language, Messages } from "./i18n";
import { Layout } from "./layout";
import { LogEntryTemplate } from "./log-template";
import { TokenPanel, WebhooksPanel } from "./panels";
import { PendingEntryTemplate } from "./pending-template";
import { ConfirmDialog, WebhookDialog } from "./webhook-form";

export function AdminPage(props: { lang: Language; t: Messages; embedOrigins: string[] }) {
  const { lang, t } = props;
  return (
    <>
      {raw("<!doctype html>")}
      <Layout lang={lang} t={t} embedOrigins={props.embedOrigins}>
        <TokenPanel t={t} />
        <WebhooksPanel t={t} />
        <WebhookDialog t={t} />
        <ConfirmDialog id="delete-dialog" title={t.deleteTitle} confirm={t.delete} t={t} />
        <ConfirmDialog id="rotate-dialog" title={t.rotateConfirmTitle} confirm={t.rotateConfirm} t={t} />
        <CardTemplate t={t} />
        <LogEntryTemplate t={t} />
        <FailedEntryTemplate t={t} />
        <PendingEntryTemplate />
      </Layout>
    </>
  );
}
