// Where a delivery may go, judged from the host's DNS answers right before the send: every A and
// AAAA record must be a public address, or nothing is sent. The URL policy has judged the URL
// itself (and IP literals) already. Names are resolved over DNS-over-HTTPS (the JSON API of
// DOH_URL) and the verdict is kept per isolate for the answer's TTL, at most a minute.
import { ipLiteral, isPublicAddress } from "./url-policy";

const MAX_CACHE_TTL_S = 60;
const MAX_CACHED_HOSTS = 1000;
export const DNS_TIMEOUT_MS = 5000;

const RECORD_TYPES = { A: 1, AAAA: 28 } as const;
type RecordType = keyof typeof RECORD_TYPES;

/**
 * May we send there? A refusal reads "destination_blocked: …" or "destination_unresolved: …"; a
 * blocked one also says why in `blocked` (what follows the prefix), for saving a webhook to refuse.
 */
type Destination = { ok: true } | { ok: false; error: string; blocked?: string };

type DnsAnswer = { ok: true; addresses: string[]; ttlS: number } | { ok: false; reason: string };

interface DnsRecord {
  type?: unknown;
  data?: unknown;
  TTL?: unknown;
}

/** Reads one DoH JSON answer: the addresses of `type` and the shortest TTL, or why it is unusable. */
export function readDohAnswer(json: unknown, type: RecordType): DnsAnswer {
  const { Status, Answer } = (typeof json === "object" && json !== null ? json : {}) as {
    Status?: unknown;
    Answer?: unknown;
  };
  if (Status === 3) return { ok: true, addresses: [], ttlS: MAX_CACHE_TTL_S }; // NXDOMAIN
  if (Status !== 0) return { ok: false, reason: `DNS status ${JSON.stringify(Status ?? null)}` };
  const records = (Array.isArray(Answer) ? Answer : []) as DnsRecord[];
  const matching = records.filter((record) => record?.type === RECORD_TYPES[type]);
  const ttls = matching.map((record) => Number(record.TTL)).filter((ttl) => Number.isFinite(ttl) && ttl >= 0);
  return {
    ok: true,
    addresses: matching.map((record) => String(record.data)),
    ttlS: Math.min(MAX_CACHE_TTL_S, ...ttls),
  };
}

/** The verdict on everything a host resolves to: one non-public address blocks it. */
export function judgeAddresses(host: string, addresses: readonly string[]): Destination {
  if (addresses.length === 0) {
    return { ok: false, error: `destination_unresolved: ${host} has no A or AAAA record` };
  }
  const address = addresses.find((a) => !isPublicAddress(a));
  if (address === undefined) return { ok: true };
  const blocked = `${host} resolves to ${address}, not a public address`;
  return { ok: false, error: `destination_blocked: ${blocked}`, blocked };
}

interface DestinationCheck {
  dohUrl: string;
  timeoutMs: number;
  nowMs: number;
}

const verdicts = new Map<string, { destination: Destination; expiresAt: number }>();

export async function checkDestination(hostname: string, check: DestinationCheck): Promise<Destination> {
  if (ipLiteral(hostname)) return { ok: true };
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  const cached = verdicts.get(host);
  if (cached && cached.expiresAt > check.nowMs) return cached.destination;

  const answers = await Promise.all([lookup(host, "A", check), lookup(host, "AAAA", check)]);
  const addresses: string[] = [];
  let ttlS = MAX_CACHE_TTL_S;
  for (const answer of answers) {
    // Without every answer nobody can vouch for the host: not sent, retried on the normal schedule.
    if (!answer.ok) return { ok: false, error: `destination_unresolved: ${host}: ${answer.reason}` };
    addresses.push(...answer.addresses);
    ttlS = Math.min(ttlS, answer.ttlS);
  }
  const destination = judgeAddresses(host, addresses);
  remember(host, destination, check.nowMs + ttlS * 1000);
  return destination;
}

function remember(host: string, destination: Destination, expiresAt: number): void {
  verdicts.delete(host);
  verdicts.set(host, { destination, expiresAt });
  if (verdicts.size > MAX_CACHED_HOSTS) verdicts.delete(verdicts.keys().next().value as string);
}

async function lookup(host: string, type: RecordType, check: DestinationCheck): Promise<DnsAnswer> {
  const url = new URL(check.dohUrl);
  url.searchParams.set("name", host);
  url.searchParams.set("type", type);
  try {
    const res = await fetch(url, {
      headers: { accept: "application/dns-json" },
      signal: AbortSignal.timeout(check.timeoutMs),
    });
    if (!res.ok) return { ok: false, reason: `DNS over HTTPS answered ${res.status}` };
    return readDohAnswer(await res.json(), type);
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return { ok: false, reason: timedOut ? "DNS lookup timed out" : "DNS lookup failed" };
  }
}
