// A webhook object's one alarm: set for the earliest moment something becomes due — a delivery's
// turn, the outbox's next try, the failing check, kept notices — and, when deliveries are due,
// ringing sends a wake-up (just the webhook's id) to the deliveries queue. A wake-up no claim
// answers within WAKE_RETRY_MS is sent again: a lost one costs that long, never a delivery.
import { logError } from "../log";
import type { WakeMessage } from "../messages/queue";

/** A wake-up not answered by a claim within this long is sent again (it may have been lost). */
const WAKE_RETRY_MS = 15_000;
/**
 * A claim from a consumer that read the webhook before its last change gets nothing; the wake-up
 * goes again this much later (not at once: while D1 is behind the object, as after a restore of
 * D1, a wake-up at once would come back stale again and again).
 */
const STALE_WAKE_MS = 1_000;

export class Alarm {
  #at: number | null = null;
  #wakeSentAt: number | null = null;

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
    private readonly webhookId: string,
  ) {}

  /** Reads the alarm the object's storage holds (at start). */
  async load(): Promise<void> {
    this.#at = await this.ctx.storage.getAlarm();
  }

  /** The storage was emptied: no alarm is set. */
  forget(): void {
    this.#at = null;
  }

  /** A claim answered the wake-up; a stale one gets the wake-up again a little later. */
  claimed(stale: boolean, now: number): void {
    this.#wakeSentAt = stale ? now - WAKE_RETRY_MS + STALE_WAKE_MS : null;
  }

  /** The alarm rang with deliveries due: wakes the deliveries consumer, unless a wake-up is on its way. */
  async wake(now: number): Promise<void> {
    if (this.#wakeSentAt !== null && now - this.#wakeSentAt < WAKE_RETRY_MS) return;
    try {
      const wake: WakeMessage = { type: "wake", webhook_id: this.webhookId };
      await this.env.DELIVERIES.send(wake, { contentType: "json" });
      this.#wakeSentAt = now;
    } catch (error) {
      logError("wake-up could not be queued", error, { webhook_id: this.webhookId });
    }
  }

  /**
   * Sets the alarm for the earliest of `times` and of `turn` (when a waiting delivery may go next),
   * if that changed; none at all when nothing is due ever.
   */
  async set(now: number, times: readonly (number | null)[], turn: number | null): Promise<void> {
    const candidates = times.filter((at): at is number => at !== null);
    if (turn !== null) {
      // Due now but a wake-up is on its way: look again only if no claim answers it.
      const waking = this.#wakeSentAt !== null && turn <= now;
      candidates.push(waking ? (this.#wakeSentAt as number) + WAKE_RETRY_MS : turn);
    }
    const at = candidates.length > 0 ? Math.min(...candidates) : null;
    if (at === this.#at) return;
    this.#at = at;
    if (at === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(at);
  }
}
