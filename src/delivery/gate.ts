// At most `size` HTTP exchanges of a batch at once. The runtime itself lets an invocation wait
// for the response headers of only six connections at a time and queues the rest; gating here
// means a job's exchange clock (what the slow lane times) starts when it really goes out.
export interface Gate {
  acquire(): Promise<void>;
  release(): void;
}

export function gate(size: number): Gate {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async acquire() {
      if (active < size) {
        active++;
        return;
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      const next = waiting.shift();
      if (next)
        next(); // the slot passes straight on
      else active--;
    },
  };
}
