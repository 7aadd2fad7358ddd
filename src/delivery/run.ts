// One consumer invocation's deliveries, for any number of webhooks. Per webhook, round after
// round: its object says what may go (begin for new changes, claim for waiting ones, then the
// answer to each report), the attempts run concurrently (at most CONCURRENT_SENDS exchanges at
// once, the webhooks taking turns for slots, slow ones handed off), and the round's report tells
// the object every outcome. The consumer asks, sends and reports; the object decides the rest.
import { configOf } from "../config";
import { logError } from "../log";
import type { WebhookRecord } from "../webhooks/storage";
import { attemptDelivery } from "./attempt";
import { gate, NotSent } from "./gate";
import { START_WITHIN_MS } from "./grants";
import { handOffSlow, type Overdue } from "./hand-off";
import type { DeliveryJob } from "./job";
import { type Answer, type Holder, holderOf } from "./object-api";
import { roundReport, StageError, tell } from "./reports";
import { watch } from "./slow-lane";
import { batchTargets } from "./targets";
import type { TokenGrant } from "./tokens";

/**
 * Attempts one consumer invocation makes; more wait in the webhooks' objects, which wake the
 * deliveries consumer for them. Each attempt costs a fetch (plus, at most, two cached DNS
 * lookups), each webhook a few object calls: well inside an invocation's 10,000 subrequests.
 */
export const ATTEMPTS_PER_INVOCATION = 1000;

/** One attempt of the invocation. */
interface Attempt extends Overdue {
  /** Resolves when the round is done with it: ended, handed off, not sent, or failed on our side. */
  settled: Promise<void>;
  /** What the object gave for the webhook's endpoint credentials: the token, or why there is none. */
  auth?: TokenGrant;
}

export class DeliveryRun {
  #attempts: Attempt[] = [];
  #watching: Promise<void> | null = null;
  #attemptsLeft: number;
  #slots;
  #target;

  constructor(
    private readonly env: Env,
    private readonly ctx: ExecutionContext,
    budget: number,
  ) {
    this.#attemptsLeft = budget;
    this.#slots = gate(configOf(env).concurrentSends);
    this.#target = batchTargets(env, Date.now());
  }

  /** How many more attempts this invocation may make. */
  get budget(): number {
    return Math.max(0, this.#attemptsLeft);
  }

  /**
   * Sends what the webhook's object lets go when asked (`ask`: begin or claim) and whatever the
   * outcomes release, until nothing is left, the budget is spent, or the object answers that the
   * webhook changed since it was read (it then keeps the rest for the deliveries consumer, which
   * reads it afresh). A failure to ask or to report is a StageError.
   */
  async deliver(webhook: WebhookRecord, ask: (holder: Holder) => Promise<Answer>): Promise<void> {
    const holder = holderOf(webhook);
    let askedAt = Date.now();
    let answer: Answer;
    try {
      answer = await ask(holder);
    } catch (error) {
      throw new StageError("ask", error);
    }
    while (answer.kind === "go" && answer.jobs.length > 0) {
      // Each exchange starts within START_WITHIN_MS of the asking, or goes back unsent.
      const startBy = askedAt + START_WITHIN_MS;
      const { auth } = answer;
      const round = answer.jobs.map((job) => this.#start(webhook, holder, job, startBy, auth));
      await Promise.all(round.map((a) => a.settled));
      // What a benched webhook's outcomes release waits for the deliveries consumer.
      const budget = this.#slots.isBenched(webhook.id) ? 0 : this.budget;
      askedAt = Date.now();
      answer = await tell(this.env, webhook.id, holder, roundReport(round, answer.lease, askedAt), budget);
    }
  }

  #start(
    webhook: WebhookRecord,
    holder: Holder,
    job: DeliveryJob,
    startBy: number,
    auth?: TokenGrant,
  ): Attempt {
    this.#attemptsLeft--;
    let settle: () => void = () => {};
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const attempt: Attempt = {
      webhook,
      holder,
      job,
      state: "sending",
      clock: { gate: this.#slots, key: webhook.id, startBy },
      settle,
      settled,
      done: Promise.resolve(),
      auth,
    };
    attempt.done = this.#attempt(attempt).then(() => {
      if (attempt.state !== "handed-off") attempt.settle();
    });
    this.#attempts.push(attempt);
    this.#watch();
    return attempt;
  }

  /** Keeps one slow-lane watcher going while any attempt waits for its receiver. */
  #watch(): void {
    if (this.#watching) return;
    const handOff = (overdue: Attempt[]) => handOffSlow(this.env, this.ctx, overdue);
    this.#watching = watch(this.#attempts, configOf(this.env).slowLaneAfterMs, handOff).finally(() => {
      this.#watching = null;
      if (this.#attempts.some((a) => a.state === "sending")) this.#watch();
    });
  }

  /** One attempt; its state says how it went (its outcome is the object's to decide). */
  async #attempt(attempt: Attempt): Promise<void> {
    const { webhook, job } = attempt;
    try {
      const target = await this.#target(webhook);
      const what = {
        kind: "delivery" as const,
        messageId: job.message_id,
        payload: job.payload,
        attempt: job.attempt,
      };
      attempt.entry = (await attemptDelivery(this.env, target, what, attempt.clock, attempt.auth)).entry;
      if (attempt.state !== "handed-off") attempt.state = "ended";
    } catch (error) {
      if (error instanceof NotSent) {
        attempt.state = "not-sent";
        return;
      }
      logError("delivery failed on our side; its webhook's object makes it again later", error, {
        webhook_id: job.webhook_id,
        message_id: job.message_id,
      });
      if (attempt.state !== "handed-off") attempt.state = "failed";
    }
  }
}
