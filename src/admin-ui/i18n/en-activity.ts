// English wording of a webhook's activity chart (GET /v1/webhooks/{id}/stats).
export const enActivity = {
  activityHeading: "Activity",
  activityWindows: "Period",
  window_24h: "24 hours",
  window_7d: "7 days",
  activityDelivered: "Delivered",
  activityFailed: "Failed",
  activitySummary:
    "Last {window}: {delivered} delivered, {failed} failed, success rate {rate}, median {median}.",
  activityNone_24h: "No requests in the last 24 hours.",
  activityNone_7d: "No requests in the last 7 days.",
  activityBar: "{time} – {delivered} delivered, {failed} failed",
  activityNow: "now",
  atHour: "{time}",
};
