/** The first two checks: where each setting came from, and whether the base URL looks like one. */
import type { DoctorInput, DoctorSettings } from '../doctor.js';
import type { Check } from './check.js';

const SETTINGS = { id: 'settings', title: 'Settings' } as const;
const URL_CHECK = { id: 'url', title: 'Base URL' } as const;

/** A loopback host: plain http to it is a simulator, not a secret crossing the network. */
export const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/** The order settings are listed in (the rest after them). */
const SETTING_ORDER = [
  'baseUrl',
  'credentials',
  'proxy',
  'caFile',
  'insecure',
  'timeout',
  'maxResponse',
  'retries',
  'concurrency',
  'maxConcurrency',
  'rate',
];
const settingOrder = (name: string): number => {
  const i = SETTING_ORDER.indexOf(name);
  return i < 0 ? SETTING_ORDER.length : i;
};

/** Each setting with where it came from, or why the settings could not be resolved. */
export function settingsCheck(settings: DoctorInput['settings']): Check {
  if ('problem' in settings)
    return {
      ...SETTINGS,
      status: 'fail',
      detail: settings.problem,
      ...(settings.hint ? { hint: settings.hint } : {}),
    };
  return {
    ...SETTINGS,
    status: 'ok',
    detail: Object.entries(settings.sources)
      .sort(([a], [b]) => settingOrder(a) - settingOrder(b))
      .map(([name, source]) => `${name} ← ${source}`)
      .join('; '),
    data: { sources: settings.sources },
  };
}

/** Whether the base URL is a Live Platform API URL that is safe to send secrets to. */
export function urlCheck(s: DoctorSettings): Check {
  const url = new URL(s.baseUrl);
  const problems: string[] = [];
  const hints: string[] = [];
  if (url.protocol === 'http:' && !LOOPBACK.test(url.hostname)) {
    problems.push('plain http: the token and the passwords would cross the network unencrypted');
    hints.push('use https://');
  }
  if (!/\/tenantui$/i.test(url.pathname)) {
    problems.push('it does not end in /tenantui, as Live Platform API URLs do');
    hints.push('use the provider host followed by /tenantui, e.g. https://lp.example.com/tenantui');
  }
  if (url.password) {
    problems.push('it carries a password (masked here)');
    hints.push('put credentials in LPSYNC_TOKEN or LPSYNC_CLIENT_SECRET, not in the URL');
  }
  if (url.search || url.hash) {
    problems.push('it has a query or fragment, which lpsync would append paths after');
    hints.push('remove everything after /tenantui');
  }
  const shown = `${url.protocol}//${url.host}${url.pathname}`;
  if (problems.length === 0) {
    const note = url.protocol === 'http:' ? ' (plain http on loopback: a simulator)' : '';
    return { ...URL_CHECK, status: 'ok', detail: `${shown}${note}` };
  }
  return { ...URL_CHECK, status: 'warn', detail: `${shown}: ${problems.join('; ')}`, hint: hints.join('; ') };
}
