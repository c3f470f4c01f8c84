/** What lpsync last applied, per customer and per site: the digests the planner compares with. */
import type Database from 'better-sqlite3';
import { appliedSiteKey, type AppliedRecord } from '../plan/types.js';
import type { AuditChain } from './audit.js';
import { toApplied, type AppliedRow } from './rows.js';
import type { StateStore } from './store.js';
import { transaction } from './transaction.js';

export function appliedStore(
  db: Database.Database,
  chain: AuditChain,
): Pick<StateStore, 'loadApplied' | 'recordApplied'> {
  const q = {
    upsertCustomer: db.prepare(`
      INSERT INTO applied_customers (short_name, customer_guid, digest, fields, record_digest, run_id, applied_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (short_name) DO UPDATE SET
        customer_guid = COALESCE(excluded.customer_guid, applied_customers.customer_guid),
        digest = excluded.digest, fields = excluded.fields, record_digest = excluded.record_digest,
        run_id = excluded.run_id, applied_at = excluded.applied_at
      RETURNING *`),
    upsertSite: db.prepare(`
      INSERT INTO applied_sites (short_name, site_name, customer_guid, site_guid, digest, fields, record_digest, run_id, applied_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (short_name, site_name) DO UPDATE SET
        customer_guid = COALESCE(excluded.customer_guid, applied_sites.customer_guid),
        site_guid = COALESCE(excluded.site_guid, applied_sites.site_guid),
        digest = excluded.digest, fields = excluded.fields, record_digest = excluded.record_digest,
        run_id = excluded.run_id, applied_at = excluded.applied_at
      RETURNING *`),
    customers: db.prepare('SELECT * FROM applied_customers'),
    sites: db.prepare('SELECT * FROM applied_sites'),
  };

  const recordApplied: StateStore['recordApplied'] = transaction(
    db,
    chain,
    (runId: string, records: Parameters<StateStore['recordApplied']>[1]) => {
      const appliedAt = new Date().toISOString();
      for (const r of records) {
        const customerGuid = r.customerGuid ?? null;
        const fields = r.fields ? JSON.stringify(r.fields) : null;
        const recordDigest = r.recordDigest ?? null;
        // The row as it now stands (GUIDs kept from before when not given) is what the chain vouches for.
        // Parameters by place, in the order of the columns: cheaper than by name.
        const row = (
          r.siteName === undefined
            ? q.upsertCustomer.get(
                r.shortName,
                customerGuid,
                r.digest,
                fields,
                recordDigest,
                runId,
                appliedAt,
              )
            : q.upsertSite.get(
                r.shortName,
                r.siteName,
                customerGuid,
                r.siteGuid ?? null,
                r.digest,
                fields,
                recordDigest,
                runId,
                appliedAt,
              )
        ) as AppliedRow;
        const table = r.siteName === undefined ? 'customers' : 'sites';
        chain.append({ kind: 'applied', runId, at: appliedAt, data: { table, ...toApplied(row) } });
      }
    },
  );

  return {
    loadApplied: () => {
      const customers = new Map<string, AppliedRecord>();
      const sites = new Map<string, AppliedRecord>();
      for (const row of q.customers.iterate() as Iterable<AppliedRow>)
        customers.set(row.short_name, toApplied(row));
      for (const row of q.sites.iterate() as Iterable<AppliedRow>) {
        sites.set(appliedSiteKey(row.short_name, row.site_name as string), toApplied(row));
      }
      return { customers, sites };
    },
    recordApplied: (runId, records) => recordApplied(runId, records),
  };
}
