// One consumer invocation's deliveries, for any number of webhooks. Per webhook: its object says
// what may go (begin for new changes, claim for waiting ones), the attempts run concurrently
// (at most CONCURRENT_SENDS exchanges at once, the webhooks taking turns for slots, slow ones
// handed off), the outcomes go back to the object (finish), and whatever that releases — the next
// change of an entity — goes out in the same invocation, within its budget of attempts. A webhook
// the slow lane took an attempt of is benched for the rest of the invocation: its deliveries
// that have no slot yet go back to its object, so that they leave the slots to the others.
import { configOf } from "../config";
import { logError } from "../log";
import { webhookObject } from "../webhooks/object";
import type { WebhookRecord } from "../webhooks/storage";
import { attemptDelivery } from "./attempt";
import { gate, NotSent } from "./gate";
import { handOffSlow } from "./hand-off";
import { type HealthSample, writeHealth } from "./health";
import type { DeliveryJob } from "./job";
import { sendNotices } from "./notices";
import { type Finished, stateOf } from "./object-api";
import { outcomeOf, sampleOf, triedJob } from "./outcome";
import type { ExchangeClock } from "./send";
import { type Watched, watch } from "./slow-lane";
import { batchTargets } from "./targets";

/**
 * Attempts one consumer invocation makes; more wait in the webhooks' objects, which wake the
 * deliveries consumer for them. Each attempt costs a fetch (plus, at most, two cached DNS
 * lookups), each webhook a few object calls: well inside an invocation's 10,000 subrequests.
 */
export const ATTEMPTS_PER_INVOCATION = 1000;

/** A job that failed on our side (D1, a secret that does not decrypt) is tried again after this long. */
export const SYSTEM_RETRY_MS = 60_000;

/** One attempt of the invocation, as the slow lane sees it too. */
export interface Run extends Watched {
  webhook: WebhookRecord;
  job: DeliveryJob;
  promise: Promise<Finished | null>;
  sample?: HealthSample;
  /** It failed on our side and its object could not take it back: the source message must come again. */
  lost: boolean;
  /** Its webhook was benched before it got a slot: nothing was sent, its object must keep it. */
  benched: boolean;
  /** Resolves when the batch is done with the run: its outcome, or null once the slow lane has it. */
  settled: Promise<Finished | null>;
  settle: (finished: Finished | null) => void;
}

export class DeliveryRun {
  readonly samples: HealthSample[] = [];
  readonly recovered: { webhookId: string; messageId: string; at: string }[] = [];
  /** The webhooks this run delivered to, by id. */
  readonly webhooks = new Map<string, WebhookRecord>();
  #runs: Run[] = [];
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
   * Sends `first` (what the webhook's object let go) and everything their outcomes release, until
   * nothing is left or the budget is spent. Rejects if the object could not be told an outcome.
   */
  async deliver(webhook: WebhookRecord, first: DeliveryJob[]): Promise<void> {
    this.webhooks.set(webhook.id, webhook);
    const object = webhookObject(this.env, webhook.id);
    for (let go = first; go.length > 0; ) {
      const runs = go.map((job) => this.#start(webhook, job));
      const settled = await Promise.all(runs.map((run) => run.settled));
      if (runs.some((run) => run.lost)) throw new Error(`a delivery to ${webhook.id} could not be kept`);
      const benched = runs.filter((run) => run.benched).map((run) => run.job);
      // Due at once: the object wakes the deliveries consumer for them (and keeps the webhook slow).
      if (benched.length > 0) await object.handOff(benched, Date.now(), true);
      const finished = runs.flatMap((run, i) => {
        const result = settled[i];
        return result ? [this.#keep(run, result)] : [];
      });
      if (finished.length === 0) return;
      // What a benched webhook's outcomes release waits for the deliveries consumer too.
      const budget = this.#slots.isBenched(webhook.id) ? 0 : this.budget;
      go = await object.finish(stateOf(webhook), finished, budget);
    }
  }

  /** Health of what this run saw, in one D1 batch, and the operational notices that raised. */
  async writeHealth(): Promise<void> {
    const raised = await writeHealth(this.env.DB, this.samples, this.recovered, Date.now());
    await sendNotices(this.env, raised, this.webhooks);
  }

  /** Notes what a finished run tells about its webhook's health and about recovered failures. */
  #keep(run: Run, finished: Finished): Finished {
    const { job, entry, outcome } = finished;
    if (run.sample) this.samples.push(run.sample);
    if (outcome.kind === "delivered" && job.failed_id) {
      this.recovered.push({ webhookId: run.webhook.id, messageId: job.message_id, at: entry.created_at });
    }
    return finished;
  }

  #start(webhook: WebhookRecord, job: DeliveryJob): Run {
    this.#attemptsLeft--;
    const clock: ExchangeClock = { gate: this.#slots, key: webhook.id };
    let settle: (finished: Finished | null) => void = () => {};
    const settled = new Promise<Finished | null>((resolve) => (settle = resolve));
    const run: Run = {
      webhook,
      job,
      clock,
      done: false,
      handedOff: false,
      mustWait: false,
      lost: false,
      benched: false,
      settled,
      settle,
      promise: Promise.resolve(null),
    };
    run.promise = this.#attempt(run).then((finished) => {
      run.done = true;
      if (!run.handedOff) run.settle(finished);
      return finished;
    });
    this.#runs.push(run);
    this.#watch();
    return run;
  }

  /** Keeps one slow-lane watcher going while any run waits for its receiver. */
  #watch(): void {
    if (this.#watching) return;
    // Benches the webhooks of the runs it hands off (their keys in the gate).
    const handOff = (overdue: Watched[]) => handOffSlow(this.env, this.ctx, overdue as Run[]);
    this.#watching = watch(this.#runs, configOf(this.env).slowLaneAfterMs, handOff).finally(() => {
      this.#watching = null;
      if (this.#runs.some((run) => !run.done && !run.handedOff)) this.#watch();
    });
  }

  /** One attempt and its outcome; a failure on our side hands the job back to its object for later. */
  async #attempt(run: Run): Promise<Finished | null> {
    const { webhook, job } = run;
    try {
      const target = await this.#target(webhook);
      const what = {
        kind: "delivery" as const,
        messageId: job.message_id,
        payload: job.payload,
        attempt: job.attempt,
      };
      const { result, verdict, entry } = await attemptDelivery(this.env, target, what, run.clock);
      run.sample = sampleOf(webhook.id, result, verdict);
      const tried = triedJob(job, result);
      const outcome = outcomeOf(tried, { result, verdict }, configOf(this.env), Math.random, Date.now());
      // A delivered job goes back without its record: the object has no use for it, and it would
      // only be copied once more (the log entry holds the body sent).
      const { entity_id, entity_type, action_type } = tried.payload;
      const sent =
        outcome.kind === "delivered" ? { ...tried, payload: { entity_id, entity_type, action_type } } : tried;
      return { job: sent, entry, outcome };
    } catch (error) {
      if (error instanceof NotSent) {
        run.benched = true;
        return null;
      }
      logError("delivery failed on our side; its webhook's object makes it again later", error, {
        webhook_id: job.webhook_id,
        message_id: job.message_id,
      });
      try {
        await webhookObject(this.env, webhook.id).handOff([job], Date.now() + SYSTEM_RETRY_MS, false);
      } catch {
        run.lost = true;
      }
      return null;
    }
  }
}
