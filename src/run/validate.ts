/** `validate`: the input read and checked, every issue by row; nothing connects, nothing is written. */
import { loadWorkbook, type InputSource, type LoadedWorkbook } from '../input/index.js';
import { issuesDocument } from '../model/issue-table.js';
import { blankSecretNotes } from '../plan/blank-kept.js';
import type { Redactor } from '../model/redact.js';
import { eventLog, type RunEvent } from './events.js';

export interface ValidateOptions {
  source: InputSource;
  /** The face's redactor: the secrets read are added to it, so that whatever it shows is masked. */
  redactor: Redactor;
  onEvent?: (event: RunEvent) => void;
}

export interface ValidateResult {
  loaded: LoadedWorkbook;
  /** `{ ok, errors, warnings, issues }`: ok when no issue is an error. */
  document: ReturnType<typeof issuesDocument>;
  /** Once per secret column with blank cells: what a blank secret means (blank means keep). */
  notes: string[];
  events: RunEvent[];
}

/** Reads the input; an input that cannot be read at all is RunError (`unreadable-input`, `invalid-options`). */
export async function validate(options: ValidateOptions): Promise<ValidateResult> {
  const log = eventLog(options.onEvent);
  log.emit({ type: 'stage', stage: 'load', message: 'reading the input' });
  const loaded = await loadWorkbook(options.source);
  options.redactor.addSecrets(loaded.secrets);
  return {
    loaded,
    document: issuesDocument(loaded.issues),
    notes: blankSecretNotes(loaded.sheets),
    events: log.events,
  };
}
