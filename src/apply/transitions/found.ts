import type { ServiceSummary } from '../../api/types.js';
import type { ActionRecord } from '../../model/action-record.js';

/**
 * A customer found on the platform (after a lost answer, or from an interrupted run): its GUIDs onto the
 * record. The site's GUID only when its SIP connection is there by name: a customer's GUID is never taken
 * for a site's (a follow-up sent with it would change whatever site has that id, or nothing).
 */
export function useFoundCustomer(record: ActionRecord, found: ServiceSummary, siteName: string): void {
  record.customerGuid = found.customerGuid;
  const site = found.sites.find((s) => s.name.trim() === siteName.trim());
  record.siteGuid = site?.id ?? null;
  if (site && site.sbcDeploymentState !== null) record.deploymentState = String(site.sbcDeploymentState);
  record.messages.push(`found on the platform as ${found.customerGuid}`);
  if (!site)
    record.messages.push(
      `its SIP connection "${siteName}" is not on the platform under that name: its GUID is left empty`,
    );
}
