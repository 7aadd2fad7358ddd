// Which configuration of its webhook the object holds current, and the leases under which it let
// deliveries go. Changes to a webhook apply at once: a PATCH, a secret rotation or a delete tells
// the object before it answers (configure), and from then on the object lets nothing go to a
// consumer that read an older configuration. A consumer starts each exchange it was let go within
// START_WITHIN_MS of asking, or hands it back unsent; configure resolves only once no lease of an
// older configuration can still start one (every such lease reported back, or past its window).
// So once the change has answered, no attempt starts with what the webhook was before. (Leases
// live in memory: an object restarted meanwhile, e.g. by a deploy, forgets those it granted in
// the seconds before, and a change's answer then does not wait for them.)
import type { TokenSource } from "./tokens";

/** What the object needs to know of its webhook's configuration. */
export interface WebhookState {
  active: boolean;
  disabled_reason: "gone" | "failing" | null;
  max_per_second: number | null;
}

/**
 * The configuration a caller holds: its version (D1's config_version) and what the object needs
 * of it; `auth` (its endpoint credentials, the secret sealed) only for fetching tokens, never stored.
 */
export interface Holder {
  version: number;
  state: WebhookState;
  auth?: TokenSource | null;
}

/** What the object keeps of its webhook's configuration (in its SQLite, see ./waiting-store.ts). */
export interface Configuration extends Omit<Holder, "auth"> {
  /** The webhook was deleted: nothing of it goes out again. */
  deleted: boolean;
}

/** A consumer starts an exchange within this long of asking for it, or hands the delivery back unsent. */
export const START_WITHIN_MS = 10_000;
/** What the object adds to a lease's window for clocks read a little late (workerd reads the clock at I/O). */
const START_MARGIN_MS = 1_000;

/** Whether a caller's configuration is the current one ("ok"), older ("stale"), or the webhook is gone. */
type Standing = "ok" | "stale" | "gone";

export class Grants {
  #config: Configuration | null;
  /** Open leases: the version each was granted under and when its window ends (object clock). */
  #open = new Map<number, { version: number; endsAt: number }>();
  #nextLease: number;
  /** Called whenever a lease closes: configure calls waiting for older leases to be over. */
  #waiters = new Set<() => void>();

  constructor(
    stored: Configuration | null,
    now: number,
    private readonly persist: (config: Configuration) => void,
  ) {
    this.#config = stored;
    // Lease ids grow across restarts, so that a report from before one is never taken for a new lease's.
    this.#nextLease = now * 1000;
  }

  /** The webhook's state as the object knows it (null before anyone told it). */
  get state(): WebhookState | null {
    return this.#config?.state ?? null;
  }

  get deleted(): boolean {
    return this.#config?.deleted ?? false;
  }

  get version(): number {
    return this.#config?.version ?? 0;
  }

  /** Checks a caller's configuration; a newer one than the object knew becomes current (it missed a change). */
  standing(holder: Holder): Standing {
    if (this.#config?.deleted) return "gone";
    if (this.#config && holder.version < this.#config.version) return "stale";
    if (!this.#config || holder.version > this.#config.version)
      this.#set({ version: holder.version, state: holder.state, deleted: false });
    return "ok";
  }

  /** A lease for deliveries let go now: its exchanges must start within START_WITHIN_MS. */
  grant(now: number): number {
    this.#prune(now);
    const lease = this.#nextLease++;
    this.#open.set(lease, { version: this.version, endsAt: now + START_WITHIN_MS + START_MARGIN_MS });
    return lease;
  }

  /** The lease's round reported back: none of its deliveries can start any more. */
  close(lease: number): void {
    if (this.#open.delete(lease)) for (const waiter of this.#waiters) waiter();
  }

  /** The service disabled the webhook itself (410, or failing for days), as D1 now says. */
  disabled(version: number, reason: "gone" | "failing"): void {
    const state = { ...(this.state ?? { max_per_second: null }), active: false, disabled_reason: reason };
    if (version >= this.version) this.#set({ version, state, deleted: false });
  }

  /**
   * A new configuration (or the webhook's deletion): from now on only holders of it get leases.
   * Resolves once no lease of an older configuration can still start an exchange.
   */
  async configure(config: Configuration, now: number): Promise<void> {
    if (!this.#config || config.version >= this.#config.version || config.deleted) this.#set(config);
    await this.#olderLeasesOver(config.version, now);
  }

  async #olderLeasesOver(version: number, now: number): Promise<void> {
    this.#prune(now);
    const older = () => [...this.#open.values()].filter((lease) => lease.version < version);
    const endsAt = Math.max(0, ...older().map((lease) => lease.endsAt));
    if (endsAt <= now) return;
    // Timers run in real time whatever the clock says: wait for the older leases to close, or their windows.
    await new Promise<void>((resolve) => {
      const waiter = () => {
        if (older().length === 0) done();
      };
      const timer = setTimeout(done, endsAt - now);
      const waiters = this.#waiters;
      function done() {
        clearTimeout(timer);
        waiters.delete(waiter);
        resolve();
      }
      waiters.add(waiter);
    });
  }

  #prune(now: number): void {
    for (const [lease, { endsAt }] of this.#open) if (endsAt <= now) this.#open.delete(lease);
  }

  #set(config: Configuration): void {
    this.#config = config;
    this.persist(config);
  }
}
