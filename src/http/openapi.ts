// Building blocks every route declaration shares: JSON bodies, problem responses, the router.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { FIELD_ERROR_CODES, type FieldError, fieldErrors } from "./field-errors";
import { PROBLEMS, type ProblemCode, validationError } from "./problem";

const FieldErrorOut = z
  .object({
    path: z.string().openapi({ description: 'Where: "url", "events.3.name"; "" for the body as a whole' }),
    code: z.enum(FIELD_ERROR_CODES).openapi({
      description: "Stable: translate and branch on it. Codes from zod's issue codes plus the service's own",
    }),
    message: z.string().openapi({ description: "English, for people; may change" }),
    params: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "What a translation needs, e.g. minimum, maximum, origin, expected, allowed" }),
  })
  .openapi("FieldError");

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(FieldErrorOut).optional(),
  })
  .openapi("Problem");

export function jsonBody<T extends z.ZodType>(schema: T, description = "") {
  return { content: { "application/json": { schema } }, required: true, description };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description };
}

/** Problem responses for the given codes, keyed by status as OpenAPI wants them. */
export function problems(...codes: ProblemCode[]) {
  const responses: Record<
    number,
    { content: { "application/problem+json": { schema: typeof Problem } }; description: string }
  > = {};
  for (const code of codes) {
    const { status, title } = PROBLEMS[code];
    const previous = responses[status]?.description;
    responses[status] = {
      content: { "application/problem+json": { schema: Problem } },
      description: previous ? `${previous}; ${title}` : title,
    };
  }
  return responses;
}

/**
 * A request field that may be left out, and the value the service takes then. Not zod's
 * `.default()`: OpenAPI's `default` keyword makes generators such as openapi-typescript (with its
 * default options) type the field as required, so a minimal valid request would not type-check.
 * The default is stated in the field's description instead.
 */
export function defaulted<T extends z.ZodType>(schema: T, fallback: z.output<T>, description: string) {
  return schema
    .optional()
    .transform((value): z.output<T> => (value === undefined ? fallback : value))
    .openapi({ description: `${description} (default: ${JSON.stringify(fallback)})` });
}

/** `?limit=&cursor=` of a paged list. */
export function pageQuery(defaultLimit: number) {
  return z.object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(defaultLimit)
      .openapi({ param: { name: "limit", in: "query" } }),
    cursor: z
      .string()
      .max(200)
      .optional()
      .openapi({ param: { name: "cursor", in: "query" } }),
  });
}

/** A check of a JSON body that needs more than its schema, e.g. the environment's URL policy. */
type BodyCheck = (body: unknown, env: Env) => FieldError[] | Promise<FieldError[]>;

/**
 * A router whose validation failures become 400 problems listing every bad field. `bodyCheck`'s
 * errors come in the same answer as the schema's, except on a path the schema already faulted.
 */
export function createRouter(bodyCheck?: BodyCheck) {
  return new OpenAPIHono<AppEnv>({
    defaultHook: async (result, c) => {
      const errors = result.success ? [] : fieldErrors(result.error.issues);
      if (bodyCheck && result.target === "json") {
        // A refused body was parsed already (Hono caches it): check what was sent.
        const body = result.success ? result.data : await c.req.json().catch(() => ({}));
        const faulted = new Set(errors.map((error) => error.path));
        errors.push(...(await bodyCheck(body, c.env)).filter((error) => !faulted.has(error.path)));
      }
      if (errors.length > 0) throw validationError(errors);
    },
  });
}
