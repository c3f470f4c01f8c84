import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkbook } from '../../src/input/index.js';
import { tempDir, writeText } from './helpers.js';

/** Loads CSV text for each sheet (comma separated, first line the header). */
async function load(sheets: { customers?: string[]; sites?: string[] }) {
  const dir = await tempDir();
  const customers =
    sheets.customers && (await writeText(join(dir, 'customers.csv'), `${sheets.customers.join('\n')}\n`));
  const sites = sheets.sites && (await writeText(join(dir, 'sites.csv'), `${sheets.sites.join('\n')}\n`));
  return loadWorkbook({ kind: 'csv', ...(customers ? { customers } : {}), ...(sites ? { sites } : {}) });
}

const brief = (loaded: Awaited<ReturnType<typeof load>>) =>
  loaded.issues.map((i) => [i.sheet, i.row, i.column, i.rule, i.severity]);

describe('headers', () => {
  it('friendly headers and the API names both work, without case or spaces', async () => {
    const loaded = await load({
      customers: [
        'licenseType,CustomerShortName,CustomerFulName,MSTENANTID,sbcid, SBC  onboarding script ,sbcCleanupScript,Cac Profile,carrieruserpassword,OvocCustomerType,SbcConfigurationType',
        'OC,Alias1,Alias One,fcc608c4-095b-4d1a-90e3-2106fc7024de,5,7,700,10 sessions,Pw-123456,tenant_type,IP-PBX',
      ],
      sites: [
        'shortName,siteLocationName,CACProfile,flagCarrierRegistration,enableCAC',
        'Alias1,Branch,5 sessions,y,n',
      ],
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({
      license: 'OC Essentials',
      shortName: 'Alias1',
      fullName: 'Alias One',
      msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
      site: {
        sbcId: 5,
        sbcOnboardingScript: 7,
        sbcCleanupScript: 700,
        cacProfile: '10 sessions',
        carrierUserPassword: 'Pw-123456',
        ovocCustomerType: 'TENANT_TYPE',
        sbcConfigurationType: 2,
      },
    });
    expect(loaded.rows.sites[0]).toMatchObject({
      customerShortName: 'Alias1',
      siteName: 'Branch',
      site: { cacProfile: '5 sessions', flagCarrierRegistration: true, enableCAC: false },
    });
  });

  it('the headers people write instead of ours: Licence, Tenant ID, Onboarding Script, Customer, Site, E-mail', async () => {
    const loaded = await load({
      customers: [
        'Licence,Short_Name,Tenant ID,Onboarding Script,Cleanup Script,SBC Id,SBC Config Type,Invitation E-mail,Teams Application Secret',
        'OC Essentials,Human1,fcc608c4-095b-4d1a-90e3-2106fc7024de,7,700,5,SIP Trunk,admin@example.com,app-secret-99',
      ],
      sites: ['Customer,Site,Phone Numbers', 'Human1,Branch 2,+31 20 555 0101'],
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]).toMatchObject({
      license: 'OC Essentials',
      shortName: 'Human1',
      msTenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
      site: { sbcId: 5, sbcOnboardingScript: 7, sbcCleanupScript: 700, sbcConfigurationType: 1 },
      oc: { invitationEmail: 'admin@example.com', teamsQosApplicationPassword: 'app-secret-99' },
    });
    expect(loaded.rows.sites[0]).toMatchObject({
      customerShortName: 'Human1',
      siteName: 'Branch 2',
      site: { phones: ['+31205550101'] },
    });
  });

  it('custom variables: CustomVar.Variable<N>, additionalProp<N>, Var:<name> sent as written', async () => {
    const loaded = await load({
      customers: [
        'License,Short Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script,customvar.variable3,AdditionalProp2,Var:CarierMailLine,var: My Key',
        'Essentials,Vars1,5,7,700,IPPBX-ProxyAddress,Region1,Main123,x y',
      ],
    });
    expect(loaded.issues).toEqual([]);
    expect(loaded.rows.customers[0]!.site.customVariables).toEqual({
      'CustomVar.Variable3': 'IPPBX-ProxyAddress',
      additionalProp2: 'Region1',
      CarierMailLine: 'Main123',
      'My Key': 'x y',
    });
  });

  it('an unknown header is an error naming the column, suggesting the known name or Var:', async () => {
    const loaded = await load({
      sites: ['Customer Short Name,Site Name,CarierMailLine,Colour', 'Cust1,Site1,Main123,', 'Cust1,Site2,,'],
    });
    expect(brief(loaded)).toEqual([
      ['SipConnections', 1, 'CarierMailLine', 'unknown-header', 'error'],
      ['SipConnections', 1, 'Colour', 'unknown-header', 'error'],
      ['SipConnections', 2, 'CarierMailLine', 'value-in-rejected-column', 'error'],
      ['SipConnections', 2, 'Customer Short Name', 'customer-not-in-sheet', 'warning'],
      ['SipConnections', 3, 'Customer Short Name', 'customer-not-in-sheet', 'warning'],
    ]);
    expect(loaded.issues[0]!.message).toContain('CarrierMainLine');
    expect(loaded.issues[0]!.message).toContain('Var:CarierMailLine');
    expect(loaded.issues[1]!.message).not.toContain('did you mean');
    // A row with nothing under the unknown column is still usable.
    expect(loaded.rows.sites.map((s) => s.siteName)).toEqual(['Site2']);
  });

  it('a duplicated header (also through an alias) is an error naming the column', async () => {
    const loaded = await load({
      customers: [
        'License,Short Name,shortName,SBC Id,SBC Onboarding Script,SBC Cleanup Script',
        'Essentials,Dup1,,5,7,700',
      ],
    });
    expect(brief(loaded)).toEqual([['Customers', 1, 'shortName', 'duplicate-header', 'error']]);
    expect(loaded.issues[0]!.message).toBe(
      'column "shortName" repeats column "Short Name"; keep one of them',
    );
  });
});

describe('cells without a header', () => {
  it('are errors, and the raw rows keep them under the column letter for the report', async () => {
    const loaded = await load({
      customers: [
        'License,Short Name,,SBC Id,SBC Onboarding Script,SBC Cleanup Script',
        'Essentials,Gap1,stray,5,7,700',
        'Essentials,Gap2,,5,7,700,,beyond',
      ],
    });
    expect(brief(loaded)).toEqual([
      ['Customers', 2, '(column C)', 'value-without-header', 'error'],
      ['Customers', 3, '(column H)', 'value-without-header', 'error'],
    ]);
    const raw = loaded.sheets[0]!;
    expect(raw.headers).toEqual([
      'License',
      'Short Name',
      '(column C)',
      'SBC Id',
      'SBC Onboarding Script',
      'SBC Cleanup Script',
      '(column G)',
      '(column H)',
    ]);
    expect(raw.rows[1]!.values['(column H)']).toBe('beyond');
  });
});

describe('row rules', () => {
  const ESS = 'License,Short Name,Site Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script';

  it('License, Short Name, and for Essentials the SBC id and scripts are required', async () => {
    const loaded = await load({
      customers: [
        ESS,
        ',NoLicense,,5,7,700',
        'Essentials,,,5,7,700',
        'Essentials,NoSbc1,,,,',
        'OC Essentials,OcNoSbc,,,,',
      ],
    });
    expect(brief(loaded)).toEqual([
      ['Customers', 2, 'License', 'required', 'error'],
      ['Customers', 3, 'Short Name', 'required', 'error'],
      ['Customers', 4, 'SBC Id', 'required', 'error'],
      ['Customers', 4, 'SBC Onboarding Script', 'required', 'error'],
      ['Customers', 4, 'SBC Cleanup Script', 'required', 'error'],
    ]);
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['OcNoSbc']);
    expect(loaded.invalidRows.map((o) => o.row)).toEqual([2, 3, 4]);
  });

  it('the primary site defaults to the short name; an Essentials row cannot name it otherwise', async () => {
    const loaded = await load({
      customers: [
        ESS,
        'Essentials,Default1,,5,7,700',
        'Essentials,Same1,Same1,5,7,700',
        'Essentials,Other1,Branch,5,7,700',
        'OC Essentials,OcSite1,OcSite1-Main,,,',
      ],
    });
    expect(brief(loaded)).toEqual([['Customers', 4, 'Site Name', 'essentials-site-name', 'error']]);
    expect(loaded.rows.customers.map((c) => [c.shortName, c.siteName])).toEqual([
      ['Default1', 'Default1'],
      ['Same1', 'Same1'],
      ['OcSite1', 'OcSite1-Main'],
    ]);
  });

  it('an OC-only column filled on an Essentials row is an error naming the column', async () => {
    const headers = `${ESS},Configuration Name,Invitation Email,Licensed Users,Teams QoS Application Secret`;
    const loaded = await load({
      customers: [
        headers,
        'Essentials,EssOc1,,5,7,700,OcEssential_IPGROUP_TYPE,,,',
        'Essentials,EssOc2,,5,7,700,,,,S3cret-value',
        'OC Essentials,Oc1,,,,,OcEssential_IPGROUP_TYPE,a@b.example,10,S3cret-value',
      ],
    });
    expect(brief(loaded)).toEqual([
      ['Customers', 2, 'Configuration Name', 'oc-only-column', 'error'],
      ['Customers', 3, 'Teams QoS Application Secret', 'oc-only-column', 'error'],
    ]);
    expect(loaded.issues[1]!.value).toBe('***');
    expect(loaded.issues[0]!.message).toContain('Configuration Name applies to OC Essentials only');
    expect(loaded.rows.customers[0]!.oc).toEqual({
      configurationName: 'OcEssential_IPGROUP_TYPE',
      invitationEmail: 'a@b.example',
      licensedUsersCount: 10,
      teamsQosApplicationPassword: 'S3cret-value',
    });
  });

  it('a SIP connection needs its customer short name and site name; M365 and DPI fields are read', async () => {
    const loaded = await load({
      customers: [ESS, 'Essentials,Cust1,,5,7,700'],
      sites: [
        'Customer Short Name,Site Name,Configure M365 Routing,M365 Onboarding Script,M365 Cleanup Script,Carrier Password DPI',
        'Cust1,Branch1,yes,40007,40700,Dpi-Secret-1',
        ',Branch2,,,,',
        'Cust1,,,,,',
      ],
    });
    expect(brief(loaded)).toEqual([
      ['SipConnections', 3, 'Customer Short Name', 'required', 'error'],
      ['SipConnections', 4, 'Site Name', 'required', 'error'],
    ]);
    expect(loaded.rows.sites[0]!.site).toEqual({
      customVariables: {},
      m365: { flagConfigureM365Routing: true, onboardingScript: 40007, cleanupScript: 40700 },
      carrierPasswordDPI: 'Dpi-Secret-1',
    });
  });

  it('secrets: masked in every issue, listed for the run redactor', async () => {
    const loaded = await load({
      customers: [
        `${ESS},Carrier Password,Var:password,Teams QoS Application Secret`,
        'Essentials,Sec1,,x,7,700,Pw-1234567,Var-Secret-1,',
        `Essentials,Sec2,,5,7,700,${'L'.repeat(51)},,`,
      ],
    });
    expect(brief(loaded)).toEqual([
      ['Customers', 2, 'SBC Id', 'integer', 'error'],
      ['Customers', 3, 'Carrier Password', 'carrier-password-length', 'error'],
    ]);
    expect(loaded.issues[1]!.value).toBe('***');
    expect(JSON.stringify(loaded.issues)).not.toContain('LLLL');
    expect(loaded.secrets.sort()).toEqual(['L'.repeat(51), 'Pw-1234567', 'Var-Secret-1'].sort());
  });
});

describe('cross-row rules', () => {
  const ESS = 'License,Short Name,Site Name,SBC Id,SBC Onboarding Script,SBC Cleanup Script';

  it('a short name twice, also when only the letter case differs: every such row is an error', async () => {
    const loaded = await load({
      customers: [ESS, 'Essentials,Twice1,,5,7,700', 'Essentials,Once1,,5,7,700', 'OC Essentials,TWICE1,,,,'],
    });
    expect(brief(loaded)).toEqual([
      ['Customers', 2, 'Short Name', 'duplicate-short-name', 'error'],
      ['Customers', 4, 'Short Name', 'duplicate-short-name', 'error'],
    ]);
    expect(loaded.issues[0]!.message).toContain('is on 2 rows (letter case ignored): Customers rows 2, 4');
    expect(loaded.rows.customers.map((c) => c.shortName)).toEqual(['Once1']);
  });

  it('the same (customer, site) twice, and a SIP connection repeating a primary site', async () => {
    const loaded = await load({
      customers: [ESS, 'Essentials,Cust1,,5,7,700', 'OC Essentials,OcCust1,OcMain,,,'],
      sites: [
        'Customer Short Name,Site Name',
        'Cust1,Branch1',
        'cust1,BRANCH1',
        'Cust1,cust1',
        'OcCust1,OcMain',
        'OcCust1,OcCust1',
        'Cust1,Branch2',
      ],
    });
    expect(brief(loaded)).toEqual([
      ['SipConnections', 2, 'Site Name', 'duplicate-site', 'error'],
      ['SipConnections', 3, 'Site Name', 'duplicate-site', 'error'],
      ['SipConnections', 4, 'Site Name', 'duplicate-site', 'error'],
      ['SipConnections', 5, 'Site Name', 'duplicate-site', 'error'],
    ]);
    expect(loaded.issues[2]!.message).toContain('primary SIP connection of customer Cust1 (Customers row 2)');
    expect(loaded.rows.sites.map((s) => s.siteName)).toEqual(['OcCust1', 'Branch2']);
    expect(loaded.rows.customers).toHaveLength(2);
  });

  it('a SIP connection whose customer is not in the sheet is a warning, and the row stays valid', async () => {
    const loaded = await load({ sites: ['Customer Short Name,Site Name', 'Elsewhere1,Branch1'] });
    expect(brief(loaded)).toEqual([
      ['SipConnections', 2, 'Customer Short Name', 'customer-not-in-sheet', 'warning'],
    ]);
    expect(loaded.rows.sites).toHaveLength(1);
    expect(loaded.invalidRows).toEqual([]);
  });
});
