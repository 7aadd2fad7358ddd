// A webhook's OAuth2 token, kept by its Durable Object in memory only (never at rest), where every
// consumer invocation finds it: steady traffic costs one token request per token lifetime,
// however many invocations and isolates deliver. One request at a time: whoever needs a token
// while it is being requested waits for that request (single-flight), or — when it takes long —
// is told "pending" and comes back once it has ended. A token is tied to the credentials that
// fetched it: other credentials (a PATCH) never get it. Clock and request are passed in.
import type { WebhookRecord } from "../webhooks/record";
import { TOKEN_REUSE_MARGIN_S, type TokenOutcome } from "./token-request";

/** What a caller knows of the webhook's endpoint credentials: all but the client secret, which stays sealed. */
export interface TokenSource {
  auth: Pick<NonNullable<WebhookRecord["auth"]>, "type" | "token_url" | "client_id" | "scope">;
  sealed: string;
}

/** What the deliveries let go now are sent with: a token, or why there is none (`auth: …`: each attempt fails). */
export type TokenGrant = { token: string } | { error: string };

/**
 * What the deliveries let go now are sent with: `auth` (none: the webhook needs no token);
 * "pending": none may go now, they wait for the token request to end; `dueBy`: only those due by
 * then go (those that waited on the failed request whose error they take; or, with no `auth`,
 * none: nothing was due, so no token was asked for).
 */
export interface Sending {
  auth?: TokenGrant | "pending";
  dueBy?: number;
}

/** A failed token request answers for the deliveries that waited on it for this long at most. */
export const FAILURE_KEPT_MS = 60_000;

export function tokenSourceOf(
  webhook: Pick<WebhookRecord, "auth" | "auth_secret_sealed">,
): TokenSource | null {
  if (!webhook.auth || webhook.auth_secret_sealed === null) return null;
  const { type, token_url, client_id, scope } = webhook.auth;
  return { auth: { type, token_url, client_id, scope }, sealed: webhook.auth_secret_sealed };
}

/** Which credentials a token belongs to: another token URL, client id, scope or sealed secret is another key. */
const keyOf = ({ auth, sealed }: TokenSource) =>
  JSON.stringify([auth.token_url, auth.client_id, auth.scope, sealed]);

interface Held {
  key: string;
  token: string;
  /** When it arrived: an attempt that started before cannot have used it. */
  arrivedAt: number;
  reuseUntil: number;
}

interface Flight {
  key: string;
  startedAt: number;
  /** When it has ended at the latest (its DNS check and timeout). */
  endsBy: number;
  grant: Promise<TokenGrant>;
}

export class Tokens {
  #held: Held | null = null;
  #flight: Flight | null = null;
  #failure: { key: string; error: string; at: number } | null = null;

  constructor(
    private readonly request: (source: TokenSource) => Promise<TokenOutcome>,
    /** Called when a request has ended (deliveries that waited for it are due). */
    private readonly ended: () => void,
    /** How long a request may take at most. */
    private readonly requestMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The token of these credentials while it may be reused, or null. */
  fresh(source: TokenSource): TokenGrant | null {
    const held = this.#held;
    return held && held.key === keyOf(source) && this.clock() < held.reuseUntil
      ? { token: held.token }
      : null;
  }

  /**
   * The latest request's failure, while recent: deliveries that were due by `at` waited on it
   * (or could have), and take it; later ones ask again.
   */
  failure(source: TokenSource): { error: string; at: number } | null {
    const failure = this.#failure;
    if (!failure || failure.key !== keyOf(source) || this.clock() - failure.at >= FAILURE_KEPT_MS)
      return null;
    return { error: failure.error, at: failure.at };
  }

  /**
   * What deliveries let go now are sent with. New ones wait for a token request up to `waitMs`.
   * Waiting ones (`due`: whether any is due by a time) that were due by the end of a failed
   * request take its failure: they waited on it. Later ones, as new ones.
   */
  async sending(source: TokenSource, waitMs: number, due?: (by: number) => boolean): Promise<Sending> {
    const fresh = this.fresh(source);
    if (fresh) return { auth: fresh };
    if (due) {
      const failure = this.failure(source);
      if (failure && due(failure.at)) return { auth: { error: failure.error }, dueBy: failure.at };
      // Nothing due, no request: nor may anything that falls due meanwhile go without a token.
      const now = this.clock();
      if (!due(now)) return { dueBy: now };
    }
    return { auth: await this.within(source, waitMs) };
  }

  /** While a request is under way: when it has ended at the latest. */
  get pendingUntil(): number | null {
    const flight = this.#flight;
    return flight && this.clock() < flight.endsBy ? flight.endsBy : null;
  }

  /** A token, or why there is none: the fresh one, or the outcome of the request under way (started if none is). */
  obtain(source: TokenSource): Promise<TokenGrant> {
    return Promise.resolve(this.fresh(source) ?? this.#flightFor(source).grant);
  }

  /**
   * Like obtain, but waits for a request only until it has run `waitMs`: then "pending" (the
   * caller keeps its deliveries for later; `ended` says when).
   */
  async within(source: TokenSource, waitMs: number): Promise<TokenGrant | "pending"> {
    const fresh = this.fresh(source);
    if (fresh) return fresh;
    const flight = this.#flightFor(source);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const late = new Promise<"pending">((resolve) => {
      timer = setTimeout(() => resolve("pending"), Math.max(0, flight.startedAt + waitMs - this.clock()));
    });
    try {
      return await Promise.race([flight.grant, late]);
    } finally {
      if (timer !== null) clearTimeout(timer);
    }
  }

  /** The receiver answered 401 to an attempt that started at `startedAt`: the token it carried is dropped. */
  discard(startedAt: number): void {
    if (this.#held && this.#held.arrivedAt <= startedAt) this.#held = null;
  }

  #flightFor(source: TokenSource): Flight {
    const key = keyOf(source);
    const under = this.#flight;
    if (under?.key === key && this.clock() < under.endsBy) return under;
    // None under way, or one for other credentials (changed since), or one that should have
    // ended long ago: its outcome will be ignored.
    const startedAt = this.clock();
    const flight: Flight = {
      key,
      startedAt,
      endsBy: startedAt + this.requestMs,
      grant: this.request(source)
        .catch((): TokenOutcome => ({ ok: false, error: "auth: the token request failed" }))
        .then((outcome) => this.#land(flight, outcome)),
    };
    this.#flight = flight;
    return flight;
  }

  #land(flight: Flight, outcome: TokenOutcome): TokenGrant {
    const current = this.#flight === flight;
    if (current) this.#flight = null;
    const now = this.clock();
    if (outcome.ok) {
      if (current) {
        const reuseUntil = flight.startedAt + (outcome.lifetimeS - TOKEN_REUSE_MARGIN_S) * 1000;
        this.#held = { key: flight.key, token: outcome.token, arrivedAt: now, reuseUntil };
        this.#failure = null;
      }
    } else if (current) {
      this.#held = null;
      this.#failure = { key: flight.key, error: outcome.error, at: now };
    }
    if (current) this.ended();
    return outcome.ok ? { token: outcome.token } : { error: outcome.error };
  }
}
