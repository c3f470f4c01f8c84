/**
 * Account passwords as scrypt hashes (node:crypto): a random salt per password, the cost (N, r, p) and
 * key length kept beside the hash so the default can be raised later and old hashes still verify, and a
 * constant-time comparison. A password is hashed as the person typed it (its UTF-8 bytes), never
 * trimmed or normalised.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt's cost: CPU/memory cost N (a power of 2), block size r, parallelisation p; the derived key's length. */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/**
 * OWASP's password storage cheat sheet: N = 2^17, r = 8, p = 1 (128 MiB, a fraction of a second per
 * login). A test may hash with less: the cost is recorded with each hash.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1, keyLength: 32 };

/** What the users file keeps of a password: never the password. */
export interface PasswordHash {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  keyLength: number;
  /** Base64, 16 random bytes. */
  salt: string;
  /** Base64. */
  hash: string;
}

/** The bounds a stored cost must keep (a file edited to ask for 2^30 would stall every login). */
export function costProblem(cost: ScryptCost): string | null {
  const { N, r, p, keyLength } = cost;
  if (!Number.isInteger(N) || N < 2 ** 10 || N > 2 ** 22 || (N & (N - 1)) !== 0)
    return `N must be a power of 2 from 2^10 to 2^22, not ${N}`;
  if (!Number.isInteger(r) || r < 1 || r > 32) return `r must be a whole number from 1 to 32, not ${r}`;
  if (!Number.isInteger(p) || p < 1 || p > 16) return `p must be a whole number from 1 to 16, not ${p}`;
  if (!Number.isInteger(keyLength) || keyLength < 16 || keyLength > 128)
    return `keyLength must be from 16 to 128 bytes, not ${keyLength}`;
  return null;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // Node refuses a cost above its 32 MiB default memory bound: the bound follows the cost asked for.
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) =>
    scrypt(Buffer.from(password, 'utf8'), salt, cost.keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A new hash of `password` with a fresh random salt. Asynchronous: a server answers others meanwhile. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<PasswordHash> {
  const problem = costProblem(cost);
  if (problem) throw new Error(`scrypt cost: ${problem}`);
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return { algorithm: 'scrypt', ...cost, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Whether `password` is the one `stored` was made from; the keys are compared in constant time. */
export async function passwordMatches(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await derive(password, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash was made with less work than `cost` asks for now (`users passwd` makes it again). */
export function weakerThan(stored: ScryptCost, cost: ScryptCost = DEFAULT_SCRYPT_COST): boolean {
  return stored.N * stored.r * stored.p < cost.N * cost.r * cost.p || stored.keyLength < cost.keyLength;
}
