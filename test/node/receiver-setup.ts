// Vitest global setup: one receiver for the whole e2e run; tests find it via inject("receiverPort").
import type { TestProject } from "vitest/node";
import { startReceiver } from "./receiver";

export default async function setup(project: TestProject) {
  const { server, port } = await startReceiver();
  project.provide("receiverPort", port);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
