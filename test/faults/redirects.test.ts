// A real receiver answering a redirect: a failure, logged and retried like any other; the
// Location is never requested, and the signed request goes nowhere but the webhook's URL.
import { describe, expect, inject, it } from "vitest";
import { everywhere, expectWaits, faultMatrix, hookedTo, logsAt, push, requestsAt, W } from "./harness";

const faults = faultMatrix("fault matrix: redirects");
const port = () => inject("receiverPort");

/** Where the redirect points, and the receiver path that would see a request if it were followed. */
const locations: [string, () => { location: string; watched?: string }][] = [
  ["a public address", () => ({ location: "https://elsewhere.example.net/collect" })],
  ["the cloud metadata address", () => ({ location: "http://169.254.169.254/latest/meta-data/iam/" })],
  [
    "another host name of the receiver",
    () => {
      const watched = `/other/${crypto.randomUUID()}`;
      return { location: `http://localhost:${port()}${watched}`, watched };
    },
  ],
  [
    "another path of the receiver",
    () => {
      const watched = `/other/${crypto.randomUUID()}`;
      return { location: `http://127.0.0.1:${port()}${watched}`, watched };
    },
  ],
];
const cases = [301, 302, 307, 308].flatMap((status) =>
  locations.map(([to, where]) => [status, to, where] as const),
);

describe.concurrent("a receiver answering a redirect, then 200", () => {
  it.each(cases)(
    "%i to %s: never followed, retried with the same webhook-id, delivered",
    async (status, _, where) => {
      const { location, watched } = where();
      const { caller, endpoint, webhook } = await hookedTo(
        { status, headers: { location } },
        { status: 200 },
      );
      await push(caller);
      const requests = await requestsAt(endpoint, 2);
      expectWaits(requests, W);
      const [redirected, landed] = await logsAt(caller, webhook.id, 2);
      expect(redirected).toMatchObject({
        attempt: 1,
        success: false,
        error: "redirect not followed",
        response: { status, headers: { location } },
      });
      expect(landed).toMatchObject({ attempt: 2, success: true });
      const signedRequests = await everywhere(requests[0]?.headers["webhook-id"] as string);
      expect(signedRequests.map((r) => r.path)).toEqual([endpoint.path, endpoint.path]);
      if (watched)
        expect(await (await fetch(`http://127.0.0.1:${port()}/_requests${watched}`)).json()).toEqual([]);
      await faults.follow(caller, webhook.id);
    },
  );
});
