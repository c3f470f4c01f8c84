/** The TLS check: whether the platform's certificate is trusted, for the right host, and not about to expire. */
import type { Probe, TlsFacts } from '../../api/probe.js';
import type { DoctorSettings } from '../doctor.js';
import type { Check, CheckName } from './check.js';

/** A certificate that expires sooner than this is worth a warning. */
const CERT_WARN_DAYS = 30;

/** What the handshake with `url` showed; `proxy` is the proxy as shown when the handshake went through one. */
export function tlsCheck(
  name: CheckName,
  url: URL,
  probe: Probe<TlsFacts>,
  s: DoctorSettings,
  proxy: string | null,
  now: () => number,
): Check {
  const through = proxy ? `; through ${proxy}` : '';
  if (!probe.ok)
    return {
      ...name,
      status: 'fail',
      detail: `no TLS handshake with ${url.host}: ${probe.problem}${through}`,
      hint: proxy
        ? 'Check that the proxy allows CONNECT to this host and port.'
        : 'Check that the port speaks TLS (https).',
    };
  const facts: TlsFacts = probe;
  const leaf = facts.chain[0];
  const chain = facts.chain.map((c) => c.subject).join(' ← ');
  const ca = s.caFile ? `; --ca-file ${s.caFile} trusted` : '';
  const daysLeft = leaf ? Math.floor((Date.parse(leaf.validTo) - now()) / 86_400_000) : null;
  const base = `${facts.protocol ?? 'TLS'}, chain ${chain || '(none)'}${leaf ? `, valid until ${leaf.validTo.slice(0, 10)} (${daysLeft} days)` : ''}${ca}${through}`;
  const data = {
    protocol: facts.protocol,
    chain: facts.chain,
    authorized: facts.authorized,
    caFile: s.caFile ?? null,
    proxy,
  };
  if (!facts.authorized || facts.identityError) return untrusted(name, url, facts, s.insecure, base, data);
  if (daysLeft !== null && daysLeft < 0)
    return {
      ...name,
      status: 'fail',
      detail: `the certificate expired: ${base}`,
      hint: 'The platform operator must renew the certificate.',
      data,
    };
  if (daysLeft !== null && daysLeft < CERT_WARN_DAYS)
    return {
      ...name,
      status: 'warn',
      detail: `the certificate expires soon: ${base}`,
      hint: 'Tell the platform operator; lpsync will refuse it once it has expired.',
      data,
    };
  return { ...name, status: 'ok', detail: `verified: ${base}`, data };
}

/** A certificate not verified: a failure, or a warning when --insecure accepts it. */
function untrusted(
  name: CheckName,
  url: URL,
  facts: TlsFacts,
  insecure: boolean,
  base: string,
  data: Record<string, unknown>,
): Check {
  const why = facts.identityError ?? facts.authorizationError ?? 'not verified';
  if (insecure)
    return {
      ...name,
      status: 'warn',
      detail: `not verified (${why}), accepted because of --insecure: ${base}`,
      hint: 'Pass --ca-file with the CA that signed it instead of --insecure.',
      data,
    };
  return {
    ...name,
    status: 'fail',
    detail: `the certificate is not trusted (${why}): ${base}`,
    hint: facts.identityError
      ? `Use the host name the certificate is issued for in the URL (${url.hostname} is not on it).`
      : 'Pass --ca-file (or "caFile" in the config) with the PEM of the CA that signed it; a proxy that inspects TLS needs its own CA there.',
    data,
  };
}
