import {
  CUSTOMER_HEADERS,
  SITE_HEADERS,
  writeWorkbook,
  type SampleRow,
  type SampleSheet,
} from '../fixtures/build-samples.js';

/** Every secret field of the sheet, each with its own value that appears nowhere else. */
export const SECRETS = {
  essentials1Carrier: 'CarPw-Ess1-q7X2vR9k',
  essentials2Carrier: 'CarPw-Ess2-h3M8zT4w',
  ocCarrier: 'CarPw-Oc1-b6N1yU5e',
  ocTeams: 'TeamsSec-Oc1-k9P4sD2j',
  conflictCarrier: 'CarPw-Cfl-r2F7gH3n',
  conflictTeams: 'TeamsSec-Cfl-w8L5cV1m',
  siteA: 'SitePw-A-t4Q9jK6x',
  siteADpi: 'SiteDpi-A-n5W2pZ8c',
  siteB: 'SitePw-B-y1E6uI3o',
  siteBDpi: 'SiteDpi-B-a7S4dF9g',
  siteOc: 'SitePw-Oc-m3B8vC2l',
  siteOcDpi: 'SiteDpi-Oc-z6X1qW7r',
  siteEss2: 'SitePw-E2-j9H3kL5p',
  siteEss2Dpi: 'SiteDpi-E2-f2G8hJ4s',
} as const;

/** Secrets only the invalid workbook holds, in the very cells whose rule they break. */
export const INVALID_SECRETS = {
  // 51 characters: one over the Carrier Password limit.
  tooLong: 'LongPw-Inv1-c4V7bN2m-0123456789-abcdefghij-KLMNOPQ',
  // A wide (non-ASCII) character.
  wide: 'WidePw-Inv2-\u00dcml\u00e4ut-e5R8tY1u',
} as const;

/** The customer that exists on the platform as Essentials while the sheet says OC Essentials: a conflict. */
export const CONFLICT_SHORT_NAME = 'GuardCfl01';

export const SITE_HEADERS_WITH_DPI = [...SITE_HEADERS, 'Carrier Password DPI'];

export function essentials(shortName: string, tenant: string, password: string): SampleRow {
  return {
    License: 'Essentials',
    'Short Name': shortName,
    'Full Name': `${shortName} Ltd`,
    'MS Tenant Id': tenant,
    'SBC Id': 5,
    'SBC Onboarding Script': 10007,
    'SBC Cleanup Script': 10700,
    'OVOC Customer Type': 'IPGROUP_TYPE',
    'CAC Profile': '10 sessions',
    'Proxy Set': 'SIPTrunk',
    'Online PSTN Gateway': 'guard.sandbox2.audiocodes.be',
    'Carrier User Name': `${shortName}-reg`,
    'Carrier Password': password,
    'Carrier Main Line': '+3222001000',
    'Carrier Host Name': 'sip.carrier.example',
  };
}

export function oc(shortName: string, tenant: string, password: string, teamsSecret: string): SampleRow {
  return {
    License: 'OC Essentials',
    'Short Name': shortName,
    'Full Name': `${shortName} Traders`,
    'MS Tenant Id': tenant,
    'SBC Id': 5,
    'SBC Onboarding Script': 20007,
    'SBC Cleanup Script': 20700,
    'OVOC Customer Type': 'IPGROUP_TYPE',
    'Proxy Set': 'SIPTrunk',
    'Online PSTN Gateway': 'oc1.sandbox2.audiocodes.be',
    'Carrier User Name': `${shortName}-reg`,
    'Carrier Password': password,
    'Configuration Name': 'OcEssential_IPGROUP_TYPE',
    'Lead Id': '5f6e7d8c-9b0a-4f1e-8d2c-3b4a5f6e7d8c',
    'Invitation Email': 'admin@guard.example',
    'Licensed Users': 25,
    'Teams QoS Application Id': '7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b',
    'Teams QoS Application Secret': teamsSecret,
    'Calling Profile Template Id': 2,
  };
}

export function site(
  customer: string,
  name: string,
  password: string,
  dpi: string,
  phone: string,
): SampleRow {
  return {
    'Customer Short Name': customer,
    'Site Name': name,
    'SBC Id': 5,
    'SBC Onboarding Script': 10007,
    'SBC Cleanup Script': 10700,
    'OVOC Customer Type': 'IPGROUP_TYPE',
    'SBC Configuration Type': 'SIP Trunk',
    'CAC Profile': '5 sessions',
    'Enable CAC': true,
    'Configure SBC': true,
    'Carrier Registration': true,
    'Carrier User Name': `${name}-reg`,
    'Carrier Password': password,
    'Carrier Password DPI': dpi,
    'Carrier Main Line': phone,
    'Carrier Host Name': 'sip.carrier.example',
    Phones: phone,
    'Dial Plan Name': `${name}-DP`,
    'Dial Plan Prefixes': `${phone.slice(0, 8)}:1:TRUE`,
    'Online PSTN Gateway': 'guard.sandbox2.audiocodes.be',
    'Proxy Set': 'SIPTrunk',
  };
}

const S = SECRETS;

export function secretsSheets(): SampleSheet[] {
  return [
    {
      name: 'Customers',
      headers: CUSTOMER_HEADERS,
      rows: [
        essentials('GuardEss01', '11111111-2222-4333-8444-555555555501', S.essentials1Carrier),
        essentials('GuardEss02', '11111111-2222-4333-8444-555555555502', S.essentials2Carrier),
        oc('GuardOc01', '11111111-2222-4333-8444-555555555503', S.ocCarrier, S.ocTeams),
        oc(CONFLICT_SHORT_NAME, '11111111-2222-4333-8444-555555555504', S.conflictCarrier, S.conflictTeams),
      ],
    },
    {
      name: 'SipConnections',
      headers: SITE_HEADERS_WITH_DPI,
      rows: [
        site('GuardEss01', 'GuardSiteA', S.siteA, S.siteADpi, '+3227001010'),
        site('GuardEss01', 'GuardSiteB', S.siteB, S.siteBDpi, '+3227001020'),
        site('GuardOc01', 'GuardSiteOc', S.siteOc, S.siteOcDpi, '+3227001030'),
        site('GuardEss02', 'GuardSiteE2', S.siteEss2, S.siteEss2Dpi, '+3227001040'),
      ],
    },
  ];
}

/** The same workbook plus a customer and a SIP connection whose passwords break the sheet's rules. */
export function invalidSecretsSheets(): SampleSheet[] {
  const [customers, sites] = secretsSheets() as [SampleSheet, SampleSheet];
  return [
    {
      ...customers,
      rows: [
        ...customers.rows,
        essentials('GuardInv01', '11111111-2222-4333-8444-555555555505', INVALID_SECRETS.tooLong),
      ],
    },
    {
      ...sites,
      rows: [
        ...sites.rows,
        site('GuardEss02', 'GuardSiteInv', INVALID_SECRETS.wide, 'SiteDpi-Inv-u3I9oP6a', '+3227001050'),
      ],
    },
  ];
}

export const INVALID_ONLY_DPI = 'SiteDpi-Inv-u3I9oP6a';

export async function writeSecretsWorkbooks(good: string, invalid: string): Promise<void> {
  await writeWorkbook(good, secretsSheets());
  await writeWorkbook(invalid, invalidSecretsSheets());
}

/**
 * A workbook of `essentials` Essentials and `ocs` OC Essentials customers named `${prefix}01`…, and `sites` further SIP
 * connections spread over them (the j-th to customer ((j * spread) % customers) + 1); every secret distinct.
 */
export function manyCustomersSheets(o: {
  prefix: string;
  essentials: number;
  ocs: number;
  sites: number;
  spread: number;
  /** The tenant ids' first 24 characters; the customer's number fills the rest. */
  tenantPrefix: string;
  /** The first SIP connection's main line is +32270 followed by this plus 10. */
  phoneBase: number;
}): SampleSheet[] {
  const count = o.essentials + o.ocs;
  const name = (i: number): string => `${o.prefix}${String(i).padStart(2, '0')}`;
  const customers: SampleRow[] = [];
  for (let i = 1; i <= count; i++) {
    const tenant = `${o.tenantPrefix}${String(i).padStart(12, '0')}`;
    const password = `${o.prefix}Pw-${i}-x`;
    customers.push(
      i > o.essentials
        ? oc(name(i), tenant, password, `${o.prefix}Teams-${i}`)
        : essentials(name(i), tenant, password),
    );
  }
  const sites: SampleRow[] = [];
  for (let j = 1; j <= o.sites; j++) {
    const owner = name(((j * o.spread) % count) + 1);
    const phone = `+32270${String(o.phoneBase + j * 10)}`;
    sites.push(site(owner, `${owner}-S${j}`, `${o.prefix}SitePw-${j}`, `${o.prefix}Dpi-${j}`, phone));
  }
  return [
    { name: 'Customers', headers: CUSTOMER_HEADERS, rows: customers },
    { name: 'SipConnections', headers: SITE_HEADERS_WITH_DPI, rows: sites },
  ];
}
