/**
 * What lpsync knows of each answer's shape: the fields the vendor pages (and their notes on the read endpoints)
 * document, and the values of the fields that are enumerations. An answer with a field or a value
 * beyond that is still read — the parsers take what they need — but the person is told, once per
 * run, which endpoint answered what, instead of lpsync crashing or guessing in silence.
 */
import { sbcConfigurationTypeCode } from './schemas.js';

export type Spec =
  | { t: 'any' }
  | { t: 'object'; fields: Record<string, Spec> }
  | { t: 'array'; of: Spec }
  | { t: 'enum'; known: (value: unknown) => boolean; knownText: string; effect: string };

/** Something in an answer that lpsync does not know. */
export interface ShapeNotice {
  kind: 'unknown-field' | 'unknown-value';
  /** `GET /api/v3/customer`: the method and the documented path, ids as placeholders. */
  endpoint: string;
  /** `SiteLocation[].sbcDeploymentState`, spelt as the platform spelt it. */
  field: string;
  /** The value, for an unknown enumeration value. */
  value?: string;
  /** One sentence for a person. */
  message: string;
}

const any: Spec = { t: 'any' };
/** Keys are matched without case, as the parsers read them. */
const object = (fields: Record<string, Spec>): Spec => ({
  t: 'object',
  fields: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k.toLowerCase(), v])),
});
const array = (of: Spec): Spec => ({ t: 'array', of });
const squash = (v: unknown): string =>
  String(v)
    .replace(/[\s_-]/g, '')
    .toLowerCase();
const oneOf = (values: Array<string | number>, effect: string): Spec => {
  const known = new Set(values.map(squash));
  return {
    t: 'enum',
    known: (v) => (typeof v === 'string' || typeof v === 'number') && known.has(squash(v)),
    knownText: values.join(', '),
    effect,
  };
};

const siteSummary = object({
  id: any,
  name: any,
  siteLocationName: any,
  sbcId: any,
  sbcDeploymentState: oneOf(['Deployed', 'Unknown'], 'it is shown in the report as it is'),
  sbcConfigurationType: {
    t: 'enum',
    known: (v) => sbcConfigurationTypeCode(v) !== null,
    knownText: 'Unknown, SipTrunk, IPPBX, BYOC (or 0–3)',
    effect: 'lpsync reads it as not set, so a configuration type in the sheet shows as a difference',
  },
});

const service = object({
  UmpCustomerGuid: any,
  customerGuid: any,
  Id: any,
  CustomerShortName: any,
  ShortName: any,
  CustomerFullName: any,
  FullName: any,
  LicenseType: oneOf(
    [2, 3],
    'the service is neither Essentials (2) nor OC Essentials (3) to lpsync, so its rows plan as a conflict',
  ),
  LicensedUsersCount: any,
  MsTenantId: any,
  ActiveUserCount: any,
  SiteLocation: array(siteSummary),
  SiteLocations: array(siteSummary),
});

const executionMessages = array(
  object({ level: oneOf(['Information', 'Warning', 'Error'], 'the message is kept as it is'), message: any }),
);

const site = object({
  id: any,
  siteLocationId: any,
  siteName: any,
  name: any,
  tenantId: any,
  sbcDeploymentState: oneOf([3, 'Deployed'], 'it is shown in the report as it is'),
  m365DeploymentState: any,
  onlinePstnGateway: any,
  sbcInfo: object({
    sbcConfigurationType: {
      t: 'enum',
      known: (v) => sbcConfigurationTypeCode(v) !== null,
      knownText: '0–3 (Unknown, SipTrunk, IPPBX, BYOC)',
      effect: 'lpsync reads it as not set, so a configuration type in the sheet shows as a difference',
    },
    cacProfile: any,
    carrierHostName: any,
    carrierId: any,
    carrierMainLine: any,
    carrierUserName: any,
    flagConfigureSbc: any,
    sbcId: any,
    sbcScripts: object({ onboardingScript: any, cleanupScript: any, customerVariables: any }),
  }),
  m365Info: object({
    m365Scripts: object({
      flagConfigureM365Routing: any,
      onboardingScript: any,
      cleanupScript: any,
      customerVariables: any,
    }),
  }),
  pendingTasks: any,
});

const task = object({
  id: any,
  taskId: any,
  status: oneOf(
    [
      'InProgress',
      'Pending',
      'Queued',
      'NotStarted',
      'Running',
      'Created',
      'CompletedSuccess',
      'CompletedFailure',
      'Failed',
    ],
    'lpsync takes it for a task that ended without success',
  ),
  details: any,
  executionMessages,
  outputData: any,
});

const createCustomer = object({
  id: any,
  customerGuid: any,
  UmpCustomerGuid: any,
  customerId: any,
  shortName: any,
  siteLocationIds: any,
  deploymentState: oneOf(['Deployed', 'Unknown'], 'it is shown in the report as it is'),
  errorDetails: any,
  progressDetails: any,
});

const siteWrite = object({
  customerGuid: any,
  siteGuid: any,
  siteLocationId: any,
  id: any,
  executionMessages,
});

const job = object({ jobId: any, taskId: any, id: any });

/** The documented shape of each endpoint's answer, by `METHOD /documented/path`. */
export const ENDPOINT_SHAPES: Record<string, Spec> = {
  'GET /api/v3/customer': array(service),
  'GET /api/v3/customer/{customerGuid}': service,
  'GET /api/v2/sitelocation/{siteLocationId}': site,
  'GET /api/v2/task/{taskId}': task,
  'POST /api/v2/customer': createCustomer,
  'POST /api/v3/customer': job,
  'POST /api/v2/customer/{customerGuid}/sitelocation/': siteWrite,
  'PATCH /api/v2/customer/{customerGuid}/sitelocation/': siteWrite,
};

/** Every field and value of `json` that `spec` does not know; each field named once. */
export function inspectShape(endpoint: string, spec: Spec, json: unknown): ShapeNotice[] {
  const found = new Map<string, ShapeNotice>();
  walk(spec, json, '', (kind, field, value) => {
    const key = `${kind} ${field.toLowerCase()}`;
    if (found.has(key)) return;
    found.set(key, notice(endpoint, kind, field, spec, value));
  });
  return [...found.values()];
}

type Visit = (kind: ShapeNotice['kind'], field: string, value?: unknown) => void;

function walk(spec: Spec, value: unknown, path: string, visit: Visit): void {
  if (value === null || value === undefined) return;
  switch (spec.t) {
    case 'any':
      return;
    case 'enum':
      if (!spec.known(value)) visit('unknown-value', path, value);
      return;
    case 'array':
      // A single object where a list was documented is read as a list of one.
      for (const item of Array.isArray(value) ? value : [value]) walk(spec.of, item, `${path}[]`, visit);
      return;
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return;
      for (const [key, v] of Object.entries(value)) {
        const inner = spec.fields[key.toLowerCase()];
        const field = path ? `${path}.${key}` : key;
        if (inner) walk(inner, v, field, visit);
        else visit('unknown-field', field);
      }
    }
  }
}

function notice(
  endpoint: string,
  kind: ShapeNotice['kind'],
  field: string,
  root: Spec,
  value: unknown,
): ShapeNotice {
  const shownField = field.replace(/^\[\]\.?/, '') || '(answer)';
  if (kind === 'unknown-field') {
    return {
      kind,
      endpoint,
      field: shownField,
      message: `${endpoint} answered a field lpsync does not know: ${shownField} (ignored; lpsync reads only the documented fields).`,
    };
  }
  const spec = specAt(root, field);
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  const known = spec?.t === 'enum' ? ` (it knows ${spec.knownText})` : '';
  const effect = spec?.t === 'enum' ? `: ${spec.effect}` : '';
  return {
    kind,
    endpoint,
    field: shownField,
    value: typeof value === 'string' ? value : JSON.stringify(value),
    message: `${endpoint} answered ${shownField} ${shown}, a value lpsync does not know${known}${effect}.`,
  };
}

function specAt(root: Spec, field: string): Spec | undefined {
  let spec: Spec | undefined = root;
  for (const part of field.split('.')) {
    const name = part.replace(/\[\]$/g, '');
    if (spec?.t === 'array') spec = spec.of;
    if (name !== '' && spec?.t === 'object') spec = spec.fields[name.toLowerCase()];
    while (spec?.t === 'array' && part.endsWith('[]')) spec = spec.of;
  }
  return spec;
}
