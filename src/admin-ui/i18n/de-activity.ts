// German wording of a webhook's activity chart (see en-activity.ts).
import type { enActivity } from "./en-activity";

export const deActivity: Record<keyof typeof enActivity, string> = {
  activityHeading: "Aktivität",
  activityWindows: "Zeitraum",
  window_24h: "24 Stunden",
  window_7d: "7 Tage",
  activityDelivered: "Zugestellt",
  activityFailed: "Fehlgeschlagen",
  activitySummary:
    "Letzte {window}: {delivered} zugestellt, {failed} fehlgeschlagen, Erfolgsquote {rate}, Median {median}.",
  activityNone_24h: "Keine Anfragen in den letzten 24 Stunden.",
  activityNone_7d: "Keine Anfragen in den letzten 7 Tagen.",
  activityBar: "{time} – {delivered} zugestellt, {failed} fehlgeschlagen",
  activityNow: "jetzt",
  atHour: "{time} Uhr",
};
