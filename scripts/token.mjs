// Mints a development admin JWT: npm run token -- --account acme --user u1 [--email e] [--name n] [--hours 12]
// Admin tokens live at most 24 hours: the API refuses any whose exp lies further ahead.
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { ensureDevVars } from "./dev-env.mjs";

export const MAX_HOURS = 24;

export async function mintToken({ account = "acme", user = "u1", email, name, hours = 12, secret }) {
  if (!(hours > 0 && hours <= MAX_HOURS)) {
    throw new RangeError(
      `--hours must be more than 0 and at most ${MAX_HOURS} (admin tokens are short-lived)`,
    );
  }
  const claims = {
    sub: user,
    account_id: account,
    exp: Math.floor(Date.now() / 1000 + hours * 3600),
  };
  if (email) claims.email = email;
  if (name) claims.name = name;
  return sign(claims, secret, "HS256");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      account: { type: "string", default: "acme" },
      user: { type: "string", default: "u1" },
      email: { type: "string" },
      name: { type: "string" },
      hours: { type: "string", default: "12" },
    },
  });
  const secret = process.env.ADMIN_JWT_SECRET ?? ensureDevVars().vars.ADMIN_JWT_SECRET;
  try {
    console.log(await mintToken({ ...values, hours: Number(values.hours), secret }));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
