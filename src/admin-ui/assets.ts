// The page's static files, bundled as text (the [[rules]] in wrangler.toml) and served by name.
import activityCss from "./client/activity.css";
import activityJs from "./client/activity.js";
import activityChartJs from "./client/activity-chart.js";
import apiJs from "./client/api.js";
import appCss from "./client/app.css";
import appJs from "./client/app.js";
import authJs from "./client/auth.js";
import cardJs from "./client/card.js";
import cardHeadersJs from "./client/card-headers.js";
import catalogJs from "./client/catalog.js";
import credentialsCss from "./client/credentials.css";
import credentialsFormJs from "./client/credentials-form.js";
import domJs from "./client/dom.js";
import errorsJs from "./client/errors.js";
import eventPickerJs from "./client/event-picker.js";
import eventsCss from "./client/events.css";
import failedCss from "./client/failed.css";
import failedJs from "./client/failed.js";
import followJs from "./client/follow.js";
import formJs from "./client/form.js";
import formsCss from "./client/forms.css";
import headerRowsJs from "./client/header-rows.js";
import i18nJs from "./client/i18n.js";
import listJs from "./client/list.js";
import logCss from "./client/log.css";
import logsJs from "./client/logs.js";
import pendingCss from "./client/pending.css";
import pendingJs from "./client/pending.js";
import secretJs from "./client/secret.js";
import sendingCss from "./client/sending.css";
import showJs from "./client/show.js";
import webhooksCss from "./client/webhooks.css";

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#1d4ed8"/><path d="M9 17l5 5 9-12" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

/** The stylesheets, in the order the page links them. */
export const STYLESHEETS = [
  "app.css",
  "forms.css",
  "events.css",
  "webhooks.css",
  "log.css",
  "sending.css",
  "activity.css",
  "failed.css",
  "pending.css",
  "credentials.css",
];

export const ASSETS: Record<string, { body: string; type: string }> = {
  "icon.svg": { body: ICON, type: "image/svg+xml" },
  "app.css": { body: appCss, type: CSS },
  "forms.css": { body: formsCss, type: CSS },
  "events.css": { body: eventsCss, type: CSS },
  "webhooks.css": { body: webhooksCss, type: CSS },
  "log.css": { body: logCss, type: CSS },
  "sending.css": { body: sendingCss, type: CSS },
  "activity.css": { body: activityCss, type: CSS },
  "failed.css": { body: failedCss, type: CSS },
  "pending.css": { body: pendingCss, type: CSS },
  "credentials.css": { body: credentialsCss, type: CSS },
  "activity.js": { body: activityJs, type: JS },
  "activity-chart.js": { body: activityChartJs, type: JS },
  "api.js": { body: apiJs, type: JS },
  "app.js": { body: appJs, type: JS },
  "auth.js": { body: authJs, type: JS },
  "card.js": { body: cardJs, type: JS },
  "card-headers.js": { body: cardHeadersJs, type: JS },
  "credentials-form.js": { body: credentialsFormJs, type: JS },
  "catalog.js": { body: catalogJs, type: JS },
  "dom.js": { body: domJs, type: JS },
  "errors.js": { body: errorsJs, type: JS },
  "event-picker.js": { body: eventPickerJs, type: JS },
  "failed.js": { body: failedJs, type: JS },
  "follow.js": { body: followJs, type: JS },
  "form.js": { body: formJs, type: JS },
  "header-rows.js": { body: headerRowsJs, type: JS },
  "i18n.js": { body: i18nJs, type: JS },
  "list.js": { body: listJs, type: JS },
  "logs.js": { body: logsJs, type: JS },
  "pending.js": { body: pendingJs, type: JS },
  "secret.js": { body: secretJs, type: JS },
  "show.js": { body: showJs, type: JS },
};
