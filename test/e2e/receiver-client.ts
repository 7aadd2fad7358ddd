// The workerd side of the fake receiver (test/node/receiver.ts): a fresh path per test.
import { inject } from "vitest";
import type { ReceivedRequest, ScriptedAnswer } from "../receiver-script";

export type { ReceivedRequest, ScriptedAnswer };

export const receiverBase = () => `http://127.0.0.1:${inject("receiverPort")}`;

export function receiverEndpoint(name = "hook") {
  const base = receiverBase();
  const path = `/${name}/${crypto.randomUUID()}`;
  return {
    path,
    url: `${base}${path}`,
    async script(...answers: ScriptedAnswer[]) {
      await fetch(`${base}/_script${path}`, { method: "POST", body: JSON.stringify(answers) });
    },
    async requests(): Promise<ReceivedRequest[]> {
      return (await fetch(`${base}/_requests${path}`)).json();
    },
  };
}
