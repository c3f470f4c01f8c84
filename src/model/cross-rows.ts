/**
 * Rules across rows: a short name twice (letter case ignored, and names that look the same
 * counted as one: NFC/NFD, fullwidth, Cyrillic or Greek look-alikes), the same (customer, site)
 * twice (a SipConnections row repeating a customer's primary site included), and a SIP connection
 * whose customer is not in the sheet (a warning: the planner checks the Live Platform) or only
 * looks like one that is (an error).
 */
import { issueAt, type InputIssue } from './issues.js';
import { lookAlikeKey, lookAlikeReason } from './look-alike.js';
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
  customer?: KeyCell | undefined;
  /** Customers: Site Name, else the short name. SipConnections: Site Name. */
  site?: KeyCell | undefined;
}

function place(origin: Origin): string {
  return `${origin.sheet} row ${origin.row}`;
}

function groupBy<T>(items: T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
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

/** `Customers row 4's "Acme"`: how a message points at the row a look-alike repeats. */
function rowsName(row: RowKey, text: string): string {
  return `${place(row.origin)}'s "${text}"`;
}

/** Every cross-row issue of a workbook, in sheet order. One message per duplicated key, shared by its rows. */
export function crossRowIssues(customers: RowKey[], sites: RowKey[]): InputIssue[] {
  const byShortName = groupBy(customers, (r) => (r.customer ? lookAlikeKey(r.customer.text) : undefined));
  const issues = [...shortNameIssues(byShortName), ...siteIssues(customers, sites)];
  for (const row of sites) {
    if (!row.customer) continue;
    const text = row.customer.text;
    const same = byShortName.get(lookAlikeKey(text));
    if (same?.some((c) => lookAlikeReason(text, c.customer!.text) === '')) continue;
    issues.push(same ? lookAlikeCustomer(row, same[0]!) : notInSheet(row));
  }
  return issues;
}

/** A short name on several rows: one message per spelling (20,000 rows of one name make one string). */
function shortNameIssues(byShortName: Map<string, RowKey[]>): InputIssue[] {
  const issues: InputIssue[] = [];
  for (const group of byShortName.values()) {
    if (group.length < 2) continue;
    const head = group[0]!;
    const first = head.customer!.text;
    const rows = rowList(group);
    const alike = group.some((r) => lookAlikeReason(r.customer!.text, first) !== '');
    const shared = `short name ${first} is on ${group.length.toLocaleString('en-US')} rows (letter case ignored${alike ? ', and names that look the same counted as one' : ''}): ${rows}; each customer needs one row`;
    const bySpelling = new Map<string, string>();
    for (const row of group) {
      const text = row.customer!.text;
      let message = bySpelling.get(text);
      if (message === undefined) {
        const why = lookAlikeReason(text, first);
        message =
          why === ''
            ? shared
            : `short name ${text} looks the same as ${rowsName(head, first)} (${why}): ${rows}; each customer needs one row`;
        bySpelling.set(text, message);
      }
      const where = { ...row.origin, column: row.customer!.column };
      issues.push(issueAt(where, 'error', 'duplicate-short-name', message, text));
    }
  }
  return issues;
}

/** The same (customer, site) twice, a SipConnections row repeating a customer's primary site included. */
function siteIssues(customers: RowKey[], sites: RowKey[]): InputIssue[] {
  const issues: InputIssue[] = [];
  const pairKey = (r: RowKey) =>
    r.customer && r.site ? `${lookAlikeKey(r.customer.text)}\u0000${lookAlikeKey(r.site.text)}` : undefined;
  const primaries = groupBy(customers, pairKey);
  for (const [key, group] of groupBy(sites, pairKey)) {
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
    const head = primary ?? group[0]!;
    const message = `site ${group[0]!.site!.text} of ${group[0]!.customer!.text} is listed twice: ${reasons.join('; ')}`;
    for (const row of group) {
      const why = sitePairReason(row, head);
      const where = { ...row.origin, column: row.site!.column };
      const text = why === '' ? message : `${message} (names that look the same: ${why})`;
      issues.push(issueAt(where, 'error', 'duplicate-site', text, row.site!.text));
    }
  }
  return issues;
}

/** Why a site row's (customer, site) looks the same as another's: '' when equal but for letter case. */
function sitePairReason(row: RowKey, head: RowKey): string {
  return (
    lookAlikeReason(row.site!.text, head.site!.text) ||
    lookAlikeReason(row.customer!.text, head.customer!.text)
  );
}

function notInSheet(row: RowKey): InputIssue {
  const text = row.customer!.text;
  return issueAt(
    { ...row.origin, column: row.customer!.column },
    'warning',
    'customer-not-in-sheet',
    `customer ${text} is not in the Customers sheet; it must already exist on the Live Platform`,
    text,
  );
}

/** A SIP connection naming its customer with look-alike letters: the planner would look for another name. */
function lookAlikeCustomer(row: RowKey, customer: RowKey): InputIssue {
  const text = row.customer!.text;
  const theirs = customer.customer!.text;
  const why = lookAlikeReason(text, theirs);
  return issueAt(
    { ...row.origin, column: row.customer!.column },
    'error',
    'look-alike-customer',
    `customer ${text} is not in the Customers sheet but looks the same as ${rowsName(customer, theirs)} (${why}); type the short name as the Customers sheet has it`,
    text,
  );
}
