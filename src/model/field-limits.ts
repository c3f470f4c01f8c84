/**
 * What the five vendor pages say a field cannot do, quoted, in one place: the request builders,
 * the planner and the README follow this list. A field a create or add request does not carry is
 * set by the Modify SIP Connection that follows it in the same action.
 */

export type WriteEndpoint = 'createCustomer' | 'createOcService' | 'addSite' | 'modifySite';

export interface FieldLimit {
  /** As the page spells it. */
  field: string;
  endpoint: WriteEndpoint;
  /** The page, as titled. */
  page: string;
  /** What the page says, quoted (or that it does not list the field). */
  says: string;
  /**
   * `follow-up`: not in the first body, sent by the Modify that follows it; `digest`: sent, but compared
   * with what lpsync last applied because it cannot be read back; `never`: no column, never sent.
   */
  treatment: 'follow-up' | 'digest' | 'never';
  /** What lpsync does about it, for people. */
  lpsync: string;
}

export const FIELD_LIMITS: readonly FieldLimit[] = [
  {
    field: 'SbcConfigurationType',
    endpoint: 'createCustomer',
    page: 'Create Hosted Essentials Service (POST /api/v2/customer)',
    says: '"This value is currently not supported."',
    treatment: 'follow-up',
    lpsync: 'left out of the create body; set by the Modify SIP Connection that follows the create',
  },
  {
    field: 'SbcConfigurationType',
    endpoint: 'addSite',
    page: 'Add SIP Connection (POST /api/v2/customer/{customerGuid}/sitelocation/)',
    says: 'not a parameter of the page (only Modify SIP Connection lists sbcConfigurationType)',
    treatment: 'follow-up',
    lpsync: 'left out of the add body; set by the Modify SIP Connection that follows the add',
  },
  {
    field: 'SbcConfigurationType',
    endpoint: 'createOcService',
    page: 'Create OC Essentials Service from Lead (POST /api/v3/customer)',
    says: 'not a parameter of the page',
    treatment: 'follow-up',
    lpsync: 'left out of the create body; set by the Modify SIP Connection that follows the task',
  },
  {
    field: 'lcCustomerId',
    endpoint: 'createCustomer',
    page: 'Create Hosted Essentials Service (POST /api/v2/customer)',
    says: '"This value is currently not retrievable using the REST API."',
    treatment: 'digest',
    lpsync:
      'sent with the create; later compared with what lpsync last applied (state store), never read back',
  },
  {
    field: 'lcCustomerId',
    endpoint: 'createOcService',
    page: 'Create OC Essentials Service from Lead (POST /api/v3/customer)',
    says: '"This value is currently not retrievable using the REST API."',
    treatment: 'digest',
    lpsync:
      'sent with the create; later compared with what lpsync last applied (state store), never read back',
  },
  {
    field: 'webhooks',
    endpoint: 'createOcService',
    page: 'Create OC Essentials Service from Lead (POST /api/v3/customer)',
    says: '"The API requests for this feature are currently not supported."',
    treatment: 'never',
    lpsync: 'never sent: the sheet has no such column',
  },
];

/** Whether `endpoint`'s body carries `field` (case-insensitive): false when a page says it does not. */
export function carries(endpoint: WriteEndpoint, field: string): boolean {
  const wanted = field.toLowerCase();
  return !FIELD_LIMITS.some(
    (limit) =>
      limit.endpoint === endpoint && limit.field.toLowerCase() === wanted && limit.treatment !== 'digest',
  );
}

/** The message of a follow-up Modify: which fields it set, and for a page-limited one what the page says. */
export function followUpMessage(first: WriteEndpoint, fields: readonly string[]): string {
  const named = fields.map((field) => {
    const limit = FIELD_LIMITS.find(
      (l) =>
        l.endpoint === first && l.treatment === 'follow-up' && l.field.toLowerCase() === field.toLowerCase(),
    );
    return limit ? `${field} (${limit.page}: ${limit.says})` : field;
  });
  return `set with Modify SIP Connection: ${named.join(', ')}`;
}
