/**
 * The paper reports print on, from the locale as POSIX orders it (LC_ALL, then LC_PAPER, then LANG):
 * Letter where it is the standard (the United States, Canada, Mexico, the Philippines, Chile,
 * Colombia, Venezuela, Puerto Rico), A4 everywhere else and when no locale says.
 */
import type { Paper } from '../run/index.js';

const LETTER_TERRITORIES = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'PR']);

/** `en_US.UTF-8` → Letter, `de_DE.UTF-8` → A4, `C` or unset → A4. */
export function paperFromLocale(env: NodeJS.ProcessEnv): Paper {
  const locale = [env.LC_ALL, env.LC_PAPER, env.LANG].find((v) => v !== undefined && v !== '');
  const territory = /^[a-z]{2,3}[_-]([A-Za-z]{2})\b/.exec(locale ?? '')?.[1]?.toUpperCase();
  return territory !== undefined && LETTER_TERRITORIES.has(territory) ? 'Letter' : 'A4';
}
