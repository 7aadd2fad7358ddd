// English wording of a webhook's failed deliveries and their reasons, superseded among them,
// and of what Recover did.
export const enFailed = {
  failedHeading: "Failed deliveries",
  failedHint: "Deliveries that failed for good in the last 30 days, newest first.",
  failedEmpty: "No failed deliveries in the last 30 days.",
  failedLoaded_one: "{n} failed delivery listed.",
  failedLoaded_other: "{n} failed deliveries listed.",
  failedAt: "failed {time}",
  failedRecovered: "delivered again {time}",
  attempts_one: "{n} attempt",
  attempts_other: "{n} attempts",
  lastAnswer: "last answer {status}",
  reasonLabel_exhausted: "Attempts used up",
  reasonLabel_gone: "410 Gone",
  reasonLabel_disabled: "Webhook inactive",
  reasonLabel_deactivated: "Switched off",
  reasonLabel_superseded: "Superseded",
  reasonLabel_unprocessable: "Not processable",
  reason_exhausted: "Every scheduled attempt failed.",
  reason_gone: "The receiver answered 410 Gone, so the webhook was disabled.",
  reason_disabled: "The webhook was inactive when the change came.",
  reason_deactivated:
    "The webhook was switched off while this delivery waited for its next attempt, so it got no more tries. Recover sends it again once the webhook is active.",
  reason_superseded:
    "A newer change of the same record was delivered since, so this older one is never sent again: Recover and Redeliver skip it.",
  reason_unprocessable: "The service could not process it.",
  supersededRefused:
    "Not sent: a newer change of the same record was delivered since, so this older one is never sent again. It is now listed as superseded.",
  recoveredNothing: "There was nothing to send again.",
  recoveredSuperseded_one:
    "{n} was not queued: a newer change of the same record was delivered since (superseded).",
  recoveredSuperseded_other:
    "{n} were not queued: newer changes of the same records were delivered since (superseded).",
};
