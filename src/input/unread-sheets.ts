/**
 * A sheet lpsync does not read because of its name, though it has the headers of one it does
 * ("SIP Trunks" holding SIP connections): validate warns; apply and reconcile stop, because
 * applying without its rows is rarely what the person meant.
 */
import { RunError } from '../model/errors.js';
import type { InputIssue } from '../model/issues.js';

/** The flag that applies anyway, without those sheets' rows. */
export const IGNORE_UNREAD_SHEETS = '--ignore-unread-sheets';

/** A RunError (exit 2) when the input has such a sheet; undefined otherwise. */
export function refuseUnreadSheets(issues: readonly InputIssue[]): RunError | undefined {
  const unread = issues.filter((i) => i.rule === 'sheet-not-read');
  if (unread.length === 0) return undefined;
  const sheets = unread.map((i) => `"${i.sheet}" (${i.file}, header on row ${i.row})`).join(', ');
  return new RunError(
    'invalid-input',
    `${unread.length === 1 ? 'The sheet' : 'The sheets'} ${sheets} ${unread.length === 1 ? 'has' : 'have'} the headers of a Customers or SipConnections sheet but ${unread.length === 1 ? 'is' : 'are'} not read, because lpsync reads only sheets named Customers and SipConnections; ${unread.length === 1 ? 'its' : 'their'} rows would not be applied. Nothing was sent.`,
    {
      hint: `Rename the sheet (${unread.map((i) => i.looksLike ?? 'Customers or SipConnections').join(', ')}), or pass ${IGNORE_UNREAD_SHEETS} to apply without its rows.`,
    },
  );
}
