// After SECRET_ENCRYPTION_KEY changes, the hourly cron re-encrypts every webhook's signing key (and
// previous key, sealed headers and client secret) not yet sealed with the current key, in bounded
// batches, so that the former key can be removed. See "Rotating the encryption key" in the README.
import { resealHeaders } from "./custom-headers";
import { resealClientSecret } from "./endpoint-auth";
import { currentSealPrefix, resealSecret, type SecretKeys } from "./secrets";

interface ResealLimits {
  batchSize: number;
  batches: number;
}

/** Per cron run: 10 batches of 100 rows, each one D1 read and one D1 batch write. */
const RESEAL_LIMITS: ResealLimits = { batchSize: 100, batches: 10 };

interface ResealReport {
  resealed: number;
  /** Rows no configured key decrypts (the key they need was removed too early); left as they are. */
  unreadable: number;
  /** Rows still not sealed with the current key after this run. */
  remaining: number;
}

interface SealedRow {
  id: string;
  secret: string;
  previous_secret: string | null;
  headers: string | null;
  auth_secret: string | null;
}

const NOT_CURRENT = `(substr(secret, 1, length(?1)) != ?1
  OR (previous_secret IS NOT NULL AND substr(previous_secret, 1, length(?1)) != ?1)
  OR (headers IS NOT NULL AND substr(headers, 1, length(?1)) != ?1)
  OR (auth_secret IS NOT NULL AND substr(auth_secret, 1, length(?1)) != ?1))`;

export async function resealSecrets(
  db: D1Database,
  keys: SecretKeys,
  limits: ResealLimits = RESEAL_LIMITS,
): Promise<ResealReport> {
  const prefix = await currentSealPrefix(keys);
  const report = { resealed: 0, unreadable: 0, remaining: 0 };
  let after = "";
  for (let batch = 0; batch < limits.batches; batch++) {
    const { results } = await db
      .prepare(
        `SELECT id, secret, previous_secret, headers, auth_secret FROM webhooks WHERE ${NOT_CURRENT} AND id > ?2 ORDER BY id LIMIT ?3`,
      )
      .bind(prefix, after, limits.batchSize)
      .all<SealedRow>();
    if (results.length === 0) break;
    after = (results.at(-1) as SealedRow).id;
    const updates = (await Promise.all(results.map((row) => resealed(row, keys)))).filter((u) => u !== null);
    report.unreadable += results.length - updates.length;
    if (updates.length > 0) await db.batch(updates.map((update) => updateStatement(db, update)));
    report.resealed += updates.length;
  }
  const left = await db
    .prepare(`SELECT COUNT(*) AS n FROM webhooks WHERE ${NOT_CURRENT}`)
    .bind(prefix)
    .first<{ n: number }>();
  report.remaining = left?.n ?? 0;
  return report;
}

async function resealed(row: SealedRow, keys: SecretKeys) {
  const reseal = (sealed: string) => resealSecret(sealed, row.id, keys);
  try {
    const secret = await reseal(row.secret);
    const previous = row.previous_secret === null ? null : await reseal(row.previous_secret);
    const headers = row.headers === null ? null : await resealHeaders(row.headers, row.id, keys);
    const authSecret =
      row.auth_secret === null ? null : await resealClientSecret(row.auth_secret, row.id, keys);
    return { row, secret, previous, headers, authSecret };
  } catch {
    return null;
  }
}

interface Resealed {
  row: SealedRow;
  secret: string;
  previous: string | null;
  headers: string | null;
  authSecret: string | null;
}

/** Writes only if the row is as it was read: a key rotated (or credentials changed) meanwhile is not overwritten. */
function updateStatement(db: D1Database, update: Resealed) {
  const { row } = update;
  return db
    .prepare(
      `UPDATE webhooks SET secret = ?2, previous_secret = ?3, headers = ?4, auth_secret = ?5
       WHERE id = ?1 AND secret = ?6 AND previous_secret IS ?7 AND headers IS ?8 AND auth_secret IS ?9`,
    )
    .bind(
      row.id,
      update.secret,
      update.previous,
      update.headers,
      update.authSecret,
      row.secret,
      row.previous_secret,
      row.headers,
      row.auth_secret,
    );
}
