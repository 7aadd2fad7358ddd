// English wording of how a webhook sends: its custom headers, its pace (max_per_second) and the
// operational triggers, news about the account's other webhooks.
export const enSending = {
  triggerGroup_webhook: "Other webhooks",
  triggersOperationalHint:
    "News about this account's other webhooks: when deliveries to one have failed for an hour (then once a day while that lasts), when the service disabled one, and when deliveries to it succeed again.",
  entity_webhook: "Webhook",
  action_failing: "Failing",
  action_disabled: "Disabled",
  action_recovered: "Recovered",
  fieldHeaders: "Custom headers",
  fieldHeadersHint:
    "Extra request headers the receiver needs, e.g. a key for its gateway. Names may contain letters, digits and !#$%&'*+-.^_`|~. Values are credentials: once saved they stay hidden (••••) until you reveal them; typing into a hidden value replaces it.",
  headerName: "Header name",
  headerValue: "Value",
  headerValueHidden: "•••• (hidden)",
  headerAdd: "Add header",
  headerRemove: "Remove",
  headerRemoveLabel: "Remove header {name}",
  headersReveal: "Reveal values",
  headersHide: "Hide values",
  headersNone: "none",
  fieldPace: "Deliveries per second",
  fieldPaceHint:
    "At most this many deliveries start in one second; the rest wait their turn, none is dropped. Empty: no limit. From 1 to 1000.",
  factHeaders: "Custom headers",
  factPace: "Deliveries per second",
  paceLimit: "at most {n}",
  paceNone: "no limit",
};
