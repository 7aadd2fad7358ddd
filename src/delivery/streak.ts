// A webhook's health as its attempts tell it, in its Durable Object: the samples of the attempts
// reported since the last write to D1, and the timer of the next look whether its account must
// hear that it is failing. A failure streak's hour may fall between two attempts (retries come
// after 5 s, 5 min, 30 min, then 2 h), so the timer runs from the streak's first failure: an hour
// in (and each day after a notice) the alarm asks D1 whether the webhook is still failing and
// untold (checkFailing), raising webhook.failing if so. A success ends the timer; the same D1
// columns decide both ways, so the account hears it once.
import { logError } from "../log";
import type { LogEntry } from "../request-log/schemas";
import { checkFailing, FAILING_NOTICE_AFTER_MS, type HealthSample, summarizeHealth } from "./health";
import { type Outbox, RETRY_MS } from "./outbox";
import { sampleOf } from "./outcome";
import type { WaitingStore } from "./waiting-store";

/** The timer of the next look whether the account must hear that this webhook is failing. */
const FAILING_CHECK = "failing_check";

export class Streak {
  #samples: HealthSample[] = [];
  /** When to look next whether the account must hear that this webhook is failing (null: not failing). */
  #checkAt: number | null;

  constructor(
    private readonly env: Env,
    private readonly store: WaitingStore,
    private readonly outbox: Outbox,
    private readonly webhookId: string,
  ) {
    this.#checkAt = store.timer(FAILING_CHECK);
  }

  /**
   * Notes the attempts of a report (in the order they started): a streak that begins is looked at
   * an hour in, whether or not an attempt happens then; a success ends it. Only a hint of when to
   * look: the health in D1 decides, so a streak this misjudges costs at most a look.
   */
  note(entries: readonly LogEntry[]): void {
    const samples = entries.map(sampleOf);
    this.#samples.push(...samples);
    const streak = summarizeHealth(samples);
    if (!streak) return;
    if (streak.gone) {
      this.#setCheck(null); // its account hears that it was disabled instead
      return;
    }
    if (streak.firstFailureAt === null) {
      if (streak.reset) this.#setCheck(null);
      return;
    }
    if (streak.reset || this.#checkAt === null)
      this.#setCheck(Date.parse(streak.firstFailureAt) + FAILING_NOTICE_AFTER_MS);
  }

  /** The samples to write to D1 now. */
  take(): HealthSample[] {
    const samples = this.#samples;
    this.#samples = [];
    return samples;
  }

  /** The webhook was switched off or disabled: no failing notice for it. */
  stop(): void {
    this.#setCheck(null);
  }

  nextAt(now: number): number | null {
    return this.#checkAt === null ? null : Math.max(now, this.#checkAt);
  }

  /** When the look is due: tells the account if D1's health says so, and sets the next look. */
  async check(now: number): Promise<void> {
    if (this.#checkAt === null || this.#checkAt > now) return;
    try {
      const { raised, nextAt } = await checkFailing(this.env.DB, this.webhookId, now);
      if (raised)
        await this.outbox.raise([{ webhookId: this.webhookId, action: "failing" }], raised.accountId, now);
      this.#setCheck(nextAt);
    } catch (error) {
      logError("could not look whether the webhook is failing; trying again", error, {
        webhook_id: this.webhookId,
      });
      this.#setCheck(now + RETRY_MS);
    }
  }

  #setCheck(at: number | null): void {
    if (at === this.#checkAt) return;
    this.#checkAt = at;
    this.store.setTimer(FAILING_CHECK, at);
  }
}
