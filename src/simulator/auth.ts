import { randomBytes } from 'node:crypto';

/** Bearer tokens: the static ones never expire; issued ones expire after their lifetime or on `expireAll`. */
export interface Auth {
  /** Issues a token for a known client; `unknown-client` / `wrong-secret` otherwise. */
  issue(
    clientId: string,
    clientSecret: string,
    now: number,
    lifetimeSeconds: number,
  ): { token: string; expiresIn: number } | 'unknown-client' | 'wrong-secret';
  /** True when the Authorization header carries a token that is valid at `now`. */
  accepts(authorization: string | undefined, now: number): boolean;
  /** Every issued token expires now; returns how many were still valid. */
  expireAll(now: number): number;
  /** Every token issued so far, expired or not (tests check that none leaks into lpsync's output). */
  issuedTokens(): string[];
}

export function createAuth(
  clients: Array<{ clientId: string; clientSecret: string }>,
  staticTokens: string[],
): Auth {
  // Token → expiry (epoch ms). Kept in memory only: after a restart clients fetch a new token, as after any outage.
  const issued = new Map<string, number>();
  const forever = new Set(staticTokens);

  return {
    issue(clientId, clientSecret, now, lifetimeSeconds) {
      const client = clients.find((c) => c.clientId === clientId);
      if (!client) return 'unknown-client';
      if (client.clientSecret !== clientSecret) return 'wrong-secret';
      const token = jwtShaped(clientId, now, lifetimeSeconds);
      issued.set(token, now + lifetimeSeconds * 1000);
      return { token, expiresIn: lifetimeSeconds };
    },
    accepts(authorization, now) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      if (!match?.[1]) return false;
      const token = match[1];
      if (forever.has(token)) return true;
      const expiry = issued.get(token);
      return expiry !== undefined && now < expiry;
    },
    expireAll(now) {
      let count = 0;
      for (const [token, expiry] of issued) {
        if (now < expiry) count += 1;
        issued.set(token, now);
      }
      return count;
    },
    issuedTokens: () => [...issued.keys()],
  };
}

// Shaped like the Azure AD JWT the vendor documents (unsigned), so a client that reads `exp` can.
function jwtShaped(clientId: string, now: number, lifetimeSeconds: number): string {
  const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const iat = Math.floor(now / 1000);
  const payload = {
    aud: 'lpsync-simulator',
    appid: clientId,
    iat,
    exp: iat + lifetimeSeconds,
    jti: randomBytes(8).toString('hex'),
  };
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.${randomBytes(16).toString('base64url')}`;
}
