import { resolve } from 'node:path';
import type { InputSource } from '../input/index.js';
import { shellQuote } from '../model/shell-quote.js';
import { DEFAULT_STATE_PATH } from '../state/paths.js';

export { shellQuote };

/** The input as it is written on the command line, for the printed resume command. */
export function inputArgs(source: InputSource): string {
  if (source.kind === 'xlsx') return shellQuote(source.path);
  if (source.combined) return shellQuote(source.combined);
  return [
    source.customers ? `--customers ${shellQuote(source.customers)}` : '',
    source.sites ? `--sites ${shellQuote(source.sites)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** `--state <path>` for the resume command when it is not the default: the run to resume is only in that store. */
export function stateOption(statePath: string): string {
  return resolve(statePath) === resolve(DEFAULT_STATE_PATH) ? '' : `--state ${shellQuote(statePath)}`;
}
