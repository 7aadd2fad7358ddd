// The service's HTTP API as its users call it, with the tokens npm start printed: for tests that
// start the service themselves (restarts, the loss window).
import type { StartedService } from "./started-service";

/** What npm start printed after "<label>:", e.g. "Admin token" or "Ingest token". */
export function printedBy(service: StartedService, label: string): string {
  return new RegExp(`${label}:\\s+(\\S+)`).exec(service.output())?.[1] ?? "";
}

/** One API call with a bearer token (the printed admin token unless another is given): its status and JSON body. */
export async function callApi(
  service: StartedService,
  method: string,
  path: string,
  body?: unknown,
  token = printedBy(service, "Admin token"),
) {
  const res = await fetch(`${service.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}
