// The one way tests wait: poll `probe` until it answers something truthy, and return that.
import { vi } from "vitest";

export const waitFor = <T>(
  probe: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  timeout = 30_000,
  interval = 100,
) => vi.waitUntil(probe, { timeout, interval }) as Promise<T>;
