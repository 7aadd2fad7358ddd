// English wording of a webhook's failed deliveries: their reasons, superseded among them, what
// an expanded one shows (the body sent, the receiver's last answer), whether it was delivered
// again, and what Recover did.
export const enFailed = {
  failedHeading: "Failed deliveries",
  failedHint:
    "Deliveries that failed for good in the last 30 days, newest first. Open one to see what was sent and what the receiver answered.",
  failedEmpty: "No failed deliveries in the last 30 days.",
  failedLoaded_one: "{n} failed delivery listed.",
  failedLoaded_other: "{n} failed deliveries listed.",
  failedAt: "failed {time}",
  failedRecoveredLabel: "Delivered again at {time}",
  failedRecoveringLabel: "Being delivered again",
  failedBefore: "Before: {reason}.",
  messageId: "webhook-id",
  failedSent: "Body sent",
  failedLastResponse: "Last answer",
  failedNoAnswer: "No answer: {error}",
  failedNotSent: "Never sent: no attempt was made.",
  truncatedKiB: "(cut to 1 KiB)",
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
  redeliverBusy:
    "Not sent now: this delivery, or an earlier change of the same record, is on its way. The changes of a record keep their order: see Pending deliveries.",
  recoveredNothing: "There was nothing to send again.",
  recoveredSuperseded_one:
    "{n} was not queued: a newer change of the same record was delivered since (superseded).",
  recoveredSuperseded_other:
    "{n} were not queued: newer changes of the same records were delivered since (superseded).",
};
