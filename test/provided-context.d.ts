// What the global setups provide to tests (see vitest.config.ts).
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Port of the fake receiver on 127.0.0.1 (test/node/receiver.ts), for e2e tests. */
    receiverPort: number;
  }
}
