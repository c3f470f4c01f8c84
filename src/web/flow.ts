/**
 * What the console keeps while it runs, in memory: the uploads (and their check), the plans made from them
 * (saved to files, by SHA-256), and the runs started here. In the token mode ending a session forgets its
 * uploads and plans (their files go with its folder); with accounts they are the team's (a plan waits for
 * its approval) until the server stops. Runs stay, as the state store keeps them.
 */
import type { LoadedWorkbook, PlannedChange } from '../run/index.js';
import type { LiveRun } from './live-run.js';
import type { Upload } from './uploads.js';

/** The check of an upload: what `lpsync validate --format json` prints, and the workbook as read. */
export interface Checked {
  loaded: LoadedWorkbook;
  ok: boolean;
  errors: number;
  warnings: number;
}

/** An input that could not be read at all (not a workbook, a zip bomb, too many rows): the reader's words. */
export interface Unreadable {
  fault: { message: string; hint?: string };
}

export interface UploadEntry extends Upload {
  /** The account that uploaded it (accounts mode); null in the token mode. */
  owner: string | null;
  /** The check, started at the first look and kept (a 10,000-row workbook is read once). */
  checked?: Promise<Checked | Unreadable>;
  /** The SHA-256 of the latest plan made from it. */
  latestPlan?: string;
}

/** A plan made in the console: saved as `plan --out` saves it, with its review workbook beside it. */
export interface StoredPlan {
  sha256: string;
  sessionId: string;
  /** The account that made it (accounts mode); null in the token mode. */
  owner: string | null;
  /** Who made it, as the state store records the plan's author (the account, or the OS user). */
  by: string;
  uploadId: string;
  change: PlannedChange;
  planFile: string;
  reviewFile: string;
  madeAt: Date;
}

export interface Flow {
  uploads: Map<string, UploadEntry>;
  plans: Map<string, StoredPlan>;
  runs: Map<string, LiveRun>;
}

export function createFlow(): Flow {
  return { uploads: new Map(), plans: new Map(), runs: new Map() };
}

/** A session of the token mode ended: its uploads and plans are forgotten (its folder is deleted). */
export function forgetSession(flow: Flow, sessionId: string): void {
  for (const [id, upload] of flow.uploads) if (upload.sessionId === sessionId) flow.uploads.delete(id);
  for (const [sha, plan] of flow.plans) if (plan.sessionId === sessionId) flow.plans.delete(sha);
}
