// The e2e side of the fake receiver (test/node/receiver.ts): a fresh path per test.
import { inject } from "vitest";

export interface ReceivedRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export function receiverEndpoint(name = "hook") {
  const base = `http://127.0.0.1:${inject("receiverPort")}`;
  const path = `/${name}/${crypto.randomUUID()}`;
  return {
    url: `${base}${path}`,
    async script(
      ...answers: { status: number; body?: string; headers?: Record<string, string>; delay_ms?: number }[]
    ) {
      await fetch(`${base}/_script${path}`, { method: "POST", body: JSON.stringify(answers) });
    },
    async requests(): Promise<ReceivedRequest[]> {
      return (await fetch(`${base}/_requests${path}`)).json();
    },
  };
}
