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
  activityNone: "No requests in the last {window}.",
  activityBar: "{time} – {delivered} delivered, {failed} failed",
  activityNow: "now",
  atHour: "{time}",
};
