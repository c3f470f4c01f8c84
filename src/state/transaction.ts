import type Database from 'better-sqlite3';
import type { AuditChain } from './audit.js';

/**
 * `db.transaction(fn)` with the audit chain's head kept between its appends (`AuditChain.within`), and
 * called as it is when a transaction is already open (a group commit's batch, a run's start):
 * better-sqlite3 would make it a savepoint, two statements more for each write of every action, which
 * undo nothing alone: no caller catches a store error inside a transaction, so a throw rolls the whole
 * transaction back.
 */
export function transaction<A extends unknown[], R>(
  db: Database.Database,
  chain: AuditChain,
  fn: (...args: A) => R,
): (...args: A) => R {
  const own = db.transaction(fn);
  return (...args) => (db.inTransaction ? fn(...args) : chain.within(() => own(...args)));
}
