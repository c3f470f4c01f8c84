/**
 * Before-images: what the targets of a run's modifies held before the run changed them, as read back
 * (no secret: the caller keeps none), one per session of the run (its start, each resume), gzip of
 * canonical JSON the store does not read. Each is vouched for by a `before-image` entry of the audit
 * chain in the same transaction, as a report snapshot is; `report --run` writes the before-image workbook
 * again from them.
 */
import type Database from 'better-sqlite3';
import type { AuditChain, ChainHead } from './audit.js';
import type { StateStore } from './store.js';

/** Schema migration: the before-images of the runs. */
export const BEFORE_IMAGE_MIGRATION = `
  CREATE TABLE run_before_images (
    run_id TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (run_id, seq)
  );
`;

/** A kept before-image: the chain entry that vouches for it, and its bytes. */
export interface StoredBeforeImage {
  seq: number;
  sha256: string;
  gzip: Buffer;
}

export function beforeImageStore(
  db: Database.Database,
  chain: AuditChain,
): Pick<StateStore, 'saveBeforeImage' | 'beforeImages'> {
  const q = {
    save: db.prepare('INSERT INTO run_before_images (run_id, seq, sha256, data) VALUES (?, ?, ?, ?)'),
    of: db.prepare('SELECT seq, sha256, data AS gzip FROM run_before_images WHERE run_id = ? ORDER BY seq'),
  };
  return {
    saveBeforeImage: db.transaction(
      (runId: string, image: { gzip: Buffer; sha256: string }, data: Record<string, unknown>): ChainHead => {
        const { seq, hash } = chain.append({
          kind: 'before-image',
          runId,
          data: { ...data, runId, sha256: image.sha256 },
        });
        q.save.run(runId, seq, image.sha256, image.gzip);
        return { seq, hash };
      },
    ),
    beforeImages: (runId) => q.of.all(runId) as StoredBeforeImage[],
  };
}
