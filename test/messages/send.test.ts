import { describe, expect, it } from "vitest";
import {
  chunkForSendBatch,
  MAX_BATCH_BYTES,
  MAX_BATCH_MESSAGES,
  MAX_MESSAGE_BYTES,
  MessageTooLargeError,
} from "../../src/messages/send";

const message = (bytes: number) => ({ body: { pad: "x".repeat(bytes) } });

describe("chunkForSendBatch", () => {
  it("puts at most 100 messages in one sendBatch", () => {
    const chunks = chunkForSendBatch(Array.from({ length: 250 }, () => message(10)));
    expect(chunks.map((c) => c.length)).toEqual([100, 100, 50]);
    expect(MAX_BATCH_MESSAGES).toBe(100);
  });

  it("keeps every sendBatch under 256 KB", () => {
    const chunks = chunkForSendBatch(Array.from({ length: 10 }, () => message(100 * 1024)));
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, m) => sum + JSON.stringify(m.body).length, 0);
      expect(bytes).toBeLessThanOrEqual(MAX_BATCH_BYTES);
    }
    expect(chunks.flat()).toHaveLength(10);
  });

  it("refuses a single message over 128 KB", () => {
    expect(() => chunkForSendBatch([message(MAX_MESSAGE_BYTES + 1)])).toThrow(MessageTooLargeError);
  });

  it("keeps a delivery of the largest accepted change (100 KiB) under the message cap", () => {
    expect(() => chunkForSendBatch([message(100 * 1024 + 2048)])).not.toThrow();
  });
});
