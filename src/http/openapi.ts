// Building blocks every route declaration shares: JSON bodies, problem responses, the router.
import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "./app-env";
import { fieldErrors, PROBLEMS, type ProblemCode, validationError } from "./problem";

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional(),
    request_id: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
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

/** A router whose validation failures become 400 problems listing every bad field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(fieldErrors(result.error.issues));
    },
  });
}
