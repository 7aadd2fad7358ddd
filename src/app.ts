// The HTTP side of the Worker: one Hono app, one error handler, one sub-app per resource.
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { adminUi } from "./admin-ui/routes";
import { adminAuth } from "./auth/admin-jwt";
import { ingestAuth } from "./auth/ingest-token";
import { changes } from "./changes/routes";
import { MAX_CHANGE_BYTES, MAX_CHANGES_PER_REQUEST } from "./changes/schemas";
import { pendingRoutes } from "./delivery/pending-routes";
import { deliveryRoutes } from "./delivery/routes";
import { events } from "./events/routes";
import { MAX_EVENTS_BODY_BYTES } from "./events/schemas";
import { failedRoutes } from "./failed/routes";
import type { AppEnv } from "./http/app-env";
import { health } from "./http/health";
import { noSniff } from "./http/no-sniff";
import { ApiError, onError } from "./http/problem";
import { adminWriteLimit } from "./http/rate-limit";
import { utf8Json } from "./http/utf8-json";
import { requestLogRoutes } from "./request-log/routes";
import { VERSION } from "./version";
import { authRoutes } from "./webhooks/auth-routes";
import { registerDeliveredRequests } from "./webhooks/delivered-request";
import { headerRoutes } from "./webhooks/header-routes";
import { webhooks } from "./webhooks/routes";
import { secretRoutes } from "./webhooks/secret-routes";

/** Admin request bodies are small; the ingest route sets its own, larger limit. */
const ADMIN_BODY_LIMIT = 64 * 1024;

function tooLarge(limit: number) {
  return bodyLimit({
    maxSize: limit,
    onError: () => {
      throw new ApiError("payload_too_large", `The body must be at most ${limit} bytes.`);
    },
  });
}

export function createApp() {
  const app = new OpenAPIHono<AppEnv>();
  app.use("*", requestId());
  app.use("*", noSniff());
  app.onError(onError);
  // Answered, not thrown: a throw here would pass by the middleware (noSniff) around it.
  app.notFound((c) => onError(new ApiError("not_found", "There is nothing at this path."), c));

  app.get("/healthz", (c) => {
    const state = health(c.env);
    return state.status === "ok" ? c.json({ ...state, version: VERSION }) : c.json(state, 503);
  });

  // Dashboards on other origins call the admin API. Bearer tokens are never sent by the browser
  // on its own, so allowing every origin lets no page act on anyone's behalf.
  const adminCors = cors({
    origin: "*",
    exposeHeaders: ["location", "retry-after", "x-request-id"],
    maxAge: 600,
  });
  app.use("/v1/webhooks/*", adminCors);
  app.use("/v1/events/*", adminCors);
  app.use("/v1/openapi.json", cors({ origin: "*" }));
  app.use("/v1/webhooks/*", adminAuth(), adminWriteLimit(), tooLarge(ADMIN_BODY_LIMIT), utf8Json());
  app.route("/v1/webhooks", webhooks);
  app.route("/v1/webhooks", secretRoutes);
  app.route("/v1/webhooks", headerRoutes);
  app.route("/v1/webhooks", authRoutes);
  app.route("/v1/webhooks", requestLogRoutes);
  app.route("/v1/webhooks", failedRoutes);
  app.route("/v1/webhooks", deliveryRoutes);
  app.route("/v1/webhooks", pendingRoutes);

  // A batch may hold 100 changes of up to 100 KiB each; each change's own limit is checked after parsing.
  // Credentials first: nobody unauthenticated gets a body of up to 10 MB read.
  app.use(
    "/v1/changes",
    ingestAuth(),
    tooLarge(MAX_CHANGES_PER_REQUEST * MAX_CHANGE_BYTES + 64 * 1024),
    utf8Json(),
  );
  app.route("/v1/changes", changes);

  // The events catalog: origin services write it with an ingest token, admins search it.
  app.on("GET", "/v1/events/*", adminAuth());
  app.on(["PUT", "DELETE"], "/v1/events/*", ingestAuth(), tooLarge(MAX_EVENTS_BODY_BYTES), utf8Json());
  app.route("/v1/events", events);
  app.route("/admin", adminUi);

  app.openAPIRegistry.registerComponent("securitySchemes", "AdminToken", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "HS256 JWT signed with ADMIN_JWT_SECRET; claims sub, account_id, exp",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "IngestToken", {
    type: "http",
    scheme: "bearer",
    description: "One of the comma-separated INGEST_TOKEN values",
  });
  registerDeliveredRequests(app.openAPIRegistry);
  app.doc31("/v1/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "EventInsight Webhooks",
      version: VERSION,
      description: "Signed, retried notifications of user and company changes.",
    },
    servers: [{ url: new URL(c.req.url).origin, description: "This service" }],
  }));
  return app;
}
