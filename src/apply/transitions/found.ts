import type { ServiceSummary } from '../../api/types.js';
import type { ActionRecord } from '../../model/action-record.js';

/** A customer found on the platform (after a lost answer, or from an interrupted run): its GUIDs onto the record. */
export function useFoundCustomer(record: ActionRecord, found: ServiceSummary, siteName: string): void {
  record.customerGuid = found.customerGuid;
  const site = found.sites.find((s) => s.name.trim() === siteName.trim());
  record.siteGuid = site?.id ?? found.customerGuid;
  if (site && site.sbcDeploymentState !== null) record.deploymentState = String(site.sbcDeploymentState);
  record.messages.push(`found on the platform as ${found.customerGuid}`);
}
