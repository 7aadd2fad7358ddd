// Vitest global setup: one receiver for the whole run; tests find it via inject("receiverPort").
// Fault tests report their counts to it; the run's total is printed (and must lose nothing).
import type { TestProject } from "vitest/node";
import { startReceiver } from "./receiver";

export default async function setup(project: TestProject) {
  const { server, port, tally } = await startReceiver();
  project.provide("receiverPort", port);
  return async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (tally.injected === 0) return;
    const { injected, recovered, recorded, lost } = tally;
    console.log(
      `\nFault matrix: ${injected} faults injected, ${recovered + recorded} recovered or recorded (${recovered} recovered, ${recorded} recorded), ${lost} lost\n`,
    );
    if (lost > 0 || recovered + recorded !== injected) throw new Error(`${lost} faults lost`);
  };
}
