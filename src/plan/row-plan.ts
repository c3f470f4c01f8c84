/** What planning one row needs and starts from: the context built once per plan, a row's ids and head. */
import type { Origin } from '../model/types.js';
import type { ServiceIndex } from './service-index.js';
import type { AppliedState, ObservedState, Reason } from './types.js';

/** What planning one row needs to see; built once per plan. */
export interface Context {
  index: ServiceIndex;
  observed: ObservedState;
  applied: AppliedState;
  adopt: boolean;
  createdUnrecorded: ReadonlySet<string>;
}

/** What every action of a row starts with, in this key order (plan files and tests read it so). */
export interface Head {
  id: string;
  rows: Origin[];
  customerShortName: string;
  siteName: string;
  dependsOn: string[];
  customerGuid?: string;
}

export function customerActionId(shortName: string): string {
  return `customer:${shortName}`;
}

export function siteActionId(shortName: string, siteName: string): string {
  return `site:${shortName}/${siteName}`;
}

/** A row's head, built whole (not spread from another object): this runs for every row. */
export function headOf(id: string, origin: Origin, shortName: string, siteName: string): Head;
export function headOf(
  id: string,
  origin: Origin,
  shortName: string,
  siteName: string,
  customerGuid: string,
): Head & { customerGuid: string };
export function headOf(
  id: string,
  origin: Origin,
  shortName: string,
  siteName: string,
  customerGuid?: string,
): Head {
  return customerGuid === undefined
    ? { id, rows: [origin], customerShortName: shortName, siteName, dependsOn: [] }
    : { id, rows: [origin], customerShortName: shortName, siteName, dependsOn: [], customerGuid };
}

/** A name that matches only in another letter case: a conflict, never a guess. */
export function caseOnly(
  kind: 'service' | 'SIP connection',
  sheet: string,
  platform: string,
  where: string,
): Reason {
  return {
    field: kind === 'service' ? 'shortName' : 'siteName',
    before: platform,
    after: sheet,
    message: `${where} has ${kind} "${platform}" and the sheet "${sheet}": they differ only in letter case; lpsync does not guess`,
  };
}
