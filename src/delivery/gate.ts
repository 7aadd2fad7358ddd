// At most `size` HTTP exchanges of a batch at once. The runtime itself lets an invocation wait
// for the response headers of only six connections at a time and queues the rest; gating here
// means a job's exchange clock (what the slow lane times) starts when it really goes out.
//
// Exchanges wait by key (their webhook), and a freed slot goes to the keys in turn: a webhook
// with many deliveries in the batch does not hold back another webhook's first one. A key can be
// benched (its webhook is slow, see ./slow-lane.ts): its waiting exchanges and any it asks for
// later are refused with NotSent, so they leave the slots to the batch's other webhooks.

/**
 * An exchange that was not started, so nothing was sent: its webhook was benched while it waited
 * for a slot (./slow-lane.ts), or its grant's time to start had passed (./grants.ts).
 */
export class NotSent extends Error {
  constructor(readonly why: "benched" | "late") {
    super(why === "benched" ? "not sent: its webhook is slow in this batch" : "not sent: too late to start");
    this.name = "NotSent";
  }
}

export interface Gate {
  acquire(key?: string): Promise<void>;
  release(): void;
  /** Refuses the key's waiting exchanges and every later one with NotSent. */
  bench(key: string): void;
  isBenched(key: string): boolean;
}

interface Waiter {
  go: () => void;
  refuse: (error: NotSent) => void;
}

export function gate(size: number): Gate {
  let active = 0;
  // In the order the keys' turns come; a key that got a slot goes to the back.
  const waiting = new Map<string, Waiter[]>();
  const benched = new Set<string>();
  return {
    async acquire(key = "") {
      if (benched.has(key)) throw new NotSent("benched");
      if (active < size) {
        active++;
        return;
      }
      await new Promise<void>((go, refuse) => {
        const queue = waiting.get(key);
        if (queue) queue.push({ go, refuse });
        else waiting.set(key, [{ go, refuse }]);
      });
    },
    release() {
      const turn = waiting.entries().next();
      if (turn.done) {
        active--;
        return;
      }
      const [key, queue] = turn.value;
      const next = queue.shift() as Waiter;
      waiting.delete(key);
      if (queue.length > 0) waiting.set(key, queue);
      next.go(); // the slot passes straight on
    },
    isBenched: (key) => benched.has(key),
    bench(key) {
      benched.add(key);
      const queue = waiting.get(key) ?? [];
      waiting.delete(key);
      for (const waiter of queue) waiter.refuse(new NotSent("benched"));
    },
  };
}
