/**
 * Rules across rows: a short name twice (letter case ignored), the same (customer, site) twice
 * (a SipConnections row repeating a customer's primary site included), and a SIP connection
 * whose customer is not in the sheet (a warning: the planner checks the Live Platform).
 */
import { issueAt, type InputIssue } from './issues.js';
import type { Origin } from './types.js';

/** A cell's text and the header it was written under. */
export interface KeyCell {
  text: string;
  column: string;
}

/** The identifying cells of one row, valid or not, as typed. */
export interface RowKey {
  origin: Origin;
  /** Customers: Short Name. SipConnections: Customer Short Name. */
  customer?: KeyCell;
  /** Customers: Site Name, else the short name. SipConnections: Site Name. */
  site?: KeyCell;
}

function place(origin: Origin): string {
  return `${origin.sheet} row ${origin.row}`;
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

/** How many rows a duplicate's message names; past them it gives the count (20,000 rows of one name stay linear). */
const NAMED_ROWS = 5;

/** `Customers rows 2, 4, 7, 9, 12 and 19,995 more` */
function rowList(rows: RowKey[]): string {
  const shown = rows.slice(0, NAMED_ROWS);
  const sheets = new Set(shown.map((r) => r.origin.sheet));
  const list =
    sheets.size === 1
      ? `${shown[0]!.origin.sheet} row${shown.length > 1 ? 's' : ''} ${shown.map((r) => r.origin.row).join(', ')}`
      : shown.map((r) => place(r.origin)).join(', ');
  const more = rows.length - shown.length;
  return more > 0 ? `${list} and ${more.toLocaleString('en-US')} more` : list;
}

/** Every cross-row issue of a workbook, in sheet order. One message per duplicated key, shared by its rows. */
export function crossRowIssues(customers: RowKey[], sites: RowKey[]): InputIssue[] {
  const issues: InputIssue[] = [];

  const byShortName = groupBy(customers, (r) => r.customer?.text.toLowerCase());
  for (const group of byShortName.values()) {
    if (group.length < 2) continue;
    const first = group[0]!.customer!.text;
    const message = `short name ${first} is on ${group.length.toLocaleString('en-US')} rows (letter case ignored): ${rowList(group)}; each customer needs one row`;
    for (const row of group)
      issues.push(
        issueAt(
          { ...row.origin, column: row.customer!.column },
          'error',
          'duplicate-short-name',
          message,
          row.customer!.text,
        ),
      );
  }

  const pairKey = (r: RowKey) =>
    r.customer && r.site ? `${r.customer.text.toLowerCase()}\u0000${r.site.text.toLowerCase()}` : undefined;
  const primaries = groupBy(customers, pairKey);
  const pairs = groupBy(sites, pairKey);
  for (const [key, group] of pairs) {
    const primary = primaries.get(key)?.[0];
    if (group.length < 2 && !primary) continue;
    const reasons = [
      ...(primary
        ? [
            `it is the primary SIP connection of customer ${primary.customer!.text} (${place(primary.origin)})`,
          ]
        : []),
      ...(group.length > 1
        ? [
            `the same customer and site are on ${group.length.toLocaleString('en-US')} rows: ${rowList(group)}`,
          ]
        : []),
    ];
    const message = `site ${group[0]!.site!.text} of ${group[0]!.customer!.text} is listed twice: ${reasons.join('; ')}`;
    for (const row of group)
      issues.push(
        issueAt(
          { ...row.origin, column: row.site!.column },
          'error',
          'duplicate-site',
          message,
          row.site!.text,
        ),
      );
  }

  for (const row of sites) {
    if (!row.customer || byShortName.has(row.customer.text.toLowerCase())) continue;
    issues.push(
      issueAt(
        { ...row.origin, column: row.customer.column },
        'warning',
        'customer-not-in-sheet',
        `customer ${row.customer.text} is not in the Customers sheet; it must already exist on the Live Platform`,
        row.customer.text,
      ),
    );
  }
  return issues;
}
