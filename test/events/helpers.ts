// The events catalog as an origin service and an admin use it.
import { env } from "cloudflare:workers";
import { type Caller, type CallResult, call } from "../helpers";

/** The first configured ingest token, as an origin service holds it. */
export const ingestToken = () => env.INGEST_TOKEN.split(",")[0] as string;

export interface CatalogEvent {
  id: string;
  name: string;
  starts_at?: string | null;
}

export function putEvents(accountId: string, events: unknown[], extra: Record<string, unknown> = {}) {
  return call("PUT", "/v1/events", {
    token: ingestToken(),
    json: { account_id: accountId, events, ...extra },
  });
}

export function deleteEvent(accountId: string, eventId: string) {
  return call("DELETE", `/v1/events/${encodeURIComponent(accountId)}/${encodeURIComponent(eventId)}`, {
    token: ingestToken(),
  });
}

export function searchEvents(caller: Caller, params: Record<string, string | number> = {}) {
  const query = new URLSearchParams(Object.entries(params).map(([key, value]) => [key, String(value)]));
  return call("GET", `/v1/events?${query}`, { token: caller.token });
}

/** Every event the admin can list, following next_cursor. */
export async function allEvents(caller: Caller, params: Record<string, string | number> = {}) {
  const all: CatalogEvent[] = [];
  let cursor: string | null = null;
  do {
    const res: CallResult = await searchEvents(caller, { ...params, ...(cursor ? { cursor } : {}) });
    if (res.status !== 200) throw new Error(`list failed: ${res.status} ${res.text}`);
    all.push(...res.body.data);
    cursor = res.body.next_cursor;
  } while (cursor);
  return all;
}

export const namesOf = (events: CatalogEvent[]) => events.map((event) => event.name);
