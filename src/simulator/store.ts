import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isSecretColumn, MASK } from '../model/redact.js';
import { SimulatorOptionsError } from './options.js';
import { emptyCounters, emptyFaultCounters, emptyState, type SimState } from './state.js';

/** What the state file holds: the state plus where the GUID stream stands, so ids never repeat after a restart. */
export interface PersistedState {
  version: 1;
  state: SimState;
  idStreamState: number;
}

/** Reads a state file; undefined when it does not exist yet. Throws when it is not ours. */
export function loadState(file: string): PersistedState | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<PersistedState>;
  if (parsed.version !== 1 || typeof parsed.state !== 'object' || parsed.state === null) {
    throw new SimulatorOptionsError(`${file} is not a simulator state file (version 1)`);
  }
  const state = { ...emptyState(), ...parsed.state };
  // A file written before a counter existed still counts from zero for it.
  const counters = { ...emptyCounters(), ...state.counters };
  state.counters = { ...counters, faults: { ...emptyFaultCounters(), ...counters.faults } };
  return { version: 1, state, idStreamState: Number(parsed.idStreamState ?? 0) >>> 0 };
}

/**
 * Secrets (carrier passwords, the Teams application secret) are written masked: the Live
 * Platform never returns them, so a restarted simulator has no use for them, and a state file
 * left on a disk must not hold them in clear. After a restart they read back as ***.
 */
function masked(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = typeof v === 'string' && v !== '' && isSecretColumn(k) ? MASK : v;
  return out;
}

/** Writes the state atomically (a temp file in the same folder, then a rename over the old one), secrets masked. */
export function saveState(file: string, persisted: PersistedState): void {
  const folder = dirname(file);
  mkdirSync(folder, { recursive: true });
  const temp = join(folder, `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, JSON.stringify(persisted, masked));
  renameSync(temp, file);
}
