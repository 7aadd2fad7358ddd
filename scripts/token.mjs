// Mints a development admin JWT: npm run token [-- --account a --user u --email e --name n --hours 12]
// Without arguments it mints the claims of the admin link npm start prints (DEV_ADMIN). Admin
// tokens live at most 24 hours: the API refuses any whose exp lies further ahead.
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import { ensureDevVars } from "./dev-env.mjs";

export const MAX_HOURS = 24;

/** The admin of the printed link: with an email and a name, so that Test sends a real user record. */
export const DEV_ADMIN = { account: "acme", user: "u1", email: "admin@example.com", name: "Dev Admin" };

export async function mintToken({
  account = DEV_ADMIN.account,
  user = DEV_ADMIN.user,
  email,
  name,
  hours = 12,
  secret,
}) {
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
      account: { type: "string" },
      user: { type: "string" },
      email: { type: "string" },
      name: { type: "string" },
      hours: { type: "string", default: "12" },
    },
  });
  // The dev admin's email and name belong to its user; another --user gets only what is given.
  const identity =
    (values.user ?? DEV_ADMIN.user) === DEV_ADMIN.user ? DEV_ADMIN : { account: DEV_ADMIN.account };
  const secret = process.env.ADMIN_JWT_SECRET || ensureDevVars().vars.ADMIN_JWT_SECRET;
  if (!secret) {
    console.error("ADMIN_JWT_SECRET is not set in .dev.vars (see .dev.vars.example).");
    process.exit(1);
  }
  try {
    console.log(await mintToken({ ...identity, ...values, hours: Number(values.hours), secret }));
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
