/**
 * The vendor pages' example bodies and responses, copied verbatim from the vendor's API pages
 * (typos, casing and the pages' non-breaking-space indentation included, written as \u00a0):
 * the one place tests take them from. `exampleJson` parses one as a client would build it.
 */

/** Create Essentials Customer: Example Body (indented with non-breaking spaces on the page). */
export const createEssentialsCustomerExample = `{
\u00a0\u00a0"shortName": "BradSB1E1",
\u00a0\u00a0"fullName": "BradSB1E1",
\u00a0\u00a0"siteLocation": {
\u00a0\u00a0\u00a0\u00a0"sbcId": 5,
\u00a0\u00a0\u00a0\u00a0"sbcOnboardingScript": 7,
\u00a0\u00a0\u00a0\u00a0"sbcCleanupScript": 700
\u00a0\u00a0},
\u00a0\u00a0"ovocCustomerType": "IPGROUP_TYPE",
\u00a0\u00a0"msTenantId": "fcc608c4-095b-4d1a-90e3-2106fc7024de"
\u00a0\u00a0

}`;

/** Create Essentials Customer: Example Response. */
export const createEssentialsCustomerResponse = `{
\u00a0\u00a0\u00a0\u00a0"id": "182f496c-0aaa-4023-bdd4-03b9cf8f68b9",
\u00a0\u00a0\u00a0\u00a0"customerId": "BradSB1E1",
\u00a0\u00a0\u00a0\u00a0"siteLocationIds": [
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"e61d2f11-87ef-49f9-8771-730ec0b2507b"
\u00a0\u00a0\u00a0\u00a0],
\u00a0\u00a0\u00a0\u00a0"deploymentState": "Deployed",
\u00a0\u00a0\u00a0\u00a0"errorDetails": null,
\u00a0\u00a0\u00a0\u00a0"progressDetails": "(Information, MsTenantid is valid);(Information, Customer data created!);(Information, SBC sbc-onboarding done for site BradSB1E1.);(Information, Site created in Ovoc)"
}`;

/** Create Hosted Essentials Service: Example Body. */
export const createHostedEssentialsServiceExample = `{
"shortName": "SaraTest1",
"fullName": "SaraTest1",
"siteLocation": {
"sbcId": 5,
"sbcOnboardingScript": 10007,
"sbcCleanupScript": 10700
},
"ovocCustomerType": "IPGROUP_TYPE",
"msTenantId": "4bf50a33-a383-4d3f-9403-220c898bc1b2",
"scriptParameters": {
"CacProfile": "5 sessions",
"ProxySet": "SIPTrunk",
"OnlinePstnGateway": "BradDRService.sandbox2.audiocodes.be",
"additionalProp1": "Service Provider2 SBC"
}
}`;

/** Create Hosted Essentials Service: Example Response. */
export const createHostedEssentialsServiceResponse = `{
"id": "b38e5a04-6d32-4be8-95bb-53bf7d6fa95c",
"customerId": "SaraTest1",
"siteLocationIds": [
"2205294f-9111-4e9d-8343-bd24f8e7a90f"
],
"deploymentState": "Deployed",
"errorDetails": null,
"progressDetails": "(Information, MsTenantid is valid);(Information, Customer data created!);(Information, SBC sbc-onboarding done for site SaraTest1.);(Information, CreateSiteInOvoc started.);(Information, Site created in Ovoc)"
}`;

/** Create Hosted Essentials Service: Example Body (including 'lcCustomerId'), a number although the table says string. */
export const createHostedEssentialsServiceWithLcCustomerIdExample = `{
"shortName": "BradTest3",
"fullName": "BradTest3",
"siteLocation": {
"sbcId": 5,
"sbcOnboardingScript": 10007,
"sbcCleanupScript": 10700
},
"lcCustomerId": 1317027,
"ovocCustomerType": "IPGROUP_TYPE",
"msTenantId": "4bf50a33-a383-4d3f-9403-220c898bc1b2",
"scriptParameters": {
"CacProfile": "5 sessions",
"ProxySet": "SIPTrunk",
"OnlinePstnGateway": "sandbox1.audiocodes.be",
"additionalProp1": "Service Provider2 SBC"
}
}`;

/** Create OC Essentials Service from Lead: Example Request Body. */
export const createOcServiceFromLeadExample = `{
"configurationName": "OcEssential_IPGROUP_TYPE",
"msTenantId": "f9f53ee0-56e1-43f6-8fe3-5fb322986657",
"customerShortName": "Bradx35340067",
"customerFullName": "Bradx35340067",
"scriptParameters": {
"ProxySet": "SIPTrunk",
"OnlinePstnGateway":"oc1.sandbox2.audiocodes.be"}
}`;

/** Create OC Essentials Service from Lead: the initial response (the task id). */
export const createOcServiceFromLeadJobResponse = `{
"jobId": "wst_80b54f45-6643-4fdf-960a-638c18edb787"
}`;

/** Create OC Essentials Service from Lead: the task once it has completed. */
export const createOcServiceFromLeadTaskResponse = `{
"id": "wst_80b54f45-6643-4fdf-960a-638c18edb787",
"status": "CompletedSuccess",
"details": [
"Converted"
],
"executionMessages": [
{
"level": "Information",
"message": "SBC sbc-onboarding done for site Bradx35340067."
},
{
"level": "Information",
"message": "Site created in Ovoc"
}
],
"outputData": {}
}`;

/** The pages’ 405/500 problem JSON example. */
export const problemJsonExample = `{
"type": "https://httpstatuses.com/500",
"title": "Internal Server Error",
"status": 500,
"traceId": "00-5bcfb1f75627574e43998a4558b34f5e-85a4aabfabc87feb-00"
}`;

/** Add SIP Connection: Example Body (`OvocCustomerType` and the misspelt `CarierMailLine` as published). */
export const addSipConnectionExample = `{
"siteLocationName": "DR94Site2",
"OvocCustomerType":"IPGROUP_TYPE",
"sbcOnboardingScript": 7,
"sbcCleanupScript": 700,
"sbcId": 8,
"scriptParameters": {
"OnlinePstnGateway": "DR94Site2.sandbox2.audiocodes.be",
"ProxySet": "SIPTrunk",
"CarrierUserName": "Site2Carrier",
"CarrierUserPassword": "Site2#%00500",
"CarierMailLine": "Site2MainLine123",
"CarrierHostName": "Site2Hostname123",
"CacProfile": "10 sessions",
"CustomVar.Variable1": "variable4"
}
}`;

/** Add SIP Connection: Example Response. */
export const addSipConnectionResponse = `{
"customerGuid": "b11a3f8a-9220-457a-938f-cae531f79d67",
"siteGuid": "68d85372-f854-4dca-a466-47c876e30892",
"executionMessages": [
{
"level": "Information",
"message": "Checking SBC IP Group Programming."
},
{
"level": "Information",
"message": "SBC not programmed yet."
},
{
"level": "Information",
"message": "Starting SBC Programming."
},
{
"level": "Information",
"message": "Sbc is programmed"
},
{
"level": "Information",
"message": "Site location information saved."
}
]
}`;

/** Modify SIP Connection: Example Body (indented with non-breaking spaces on the page). */
export const modifySipConnectionExample = `{ "siteLocationName": "SaraSite4",
\u00a0\u00a0"ovocCustomerType": "IPGROUP_TYPE",\u00a0\u00a0
\u00a0\u00a0"sbcId": 5,
\u00a0\u00a0"sbcOnboardingScript": 10007,
\u00a0\u00a0"sbcCleanupScript": 10700,
\u00a0\u00a0"SbcConfigurationType": 1,
\u00a0\u00a0"scriptParameters":\u00a0
\u00a0\u00a0{\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"OnlinePstnGateway": "sandbox1.audiocodes.be",\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"ProxySet": "SIPTrunk",\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"CarrierUserName": "1000",\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"CarrierUserPassword": "12345678",\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"CarrierMainLine": "brad1",\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"CarrierHostName": "brad.com",\u00a0\u00a0\u00a0\u00a0
\u00a0\u00a0"CacProfile": "5 sessions"
\u00a0\u00a0\u00a0\u00a0}
}`;

/** Modify SIP Connection: Example Response. */
export const modifySipConnectionResponse = `{
\u00a0\u00a0\u00a0\u00a0"customerGuid": "b38e5a04-6d32-4be8-95bb-53bf7d6fa95c",
\u00a0\u00a0\u00a0\u00a0"siteGuid": "a344470f-e54e-4897-b28e-d1c2c0c404f0",
\u00a0\u00a0\u00a0\u00a0"executionMessages": [
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0{
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"level": "Information",
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"message": "Skipping SBC CheckIpGroupProgramming."
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0},
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0{
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"level": "Information",
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"message": "Starting SBC Programming."
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0},
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0{
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"level": "Information",
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"message": "Sbc is programmed"
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0},
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0{
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"level": "Information",
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0"message": "Site location information saved."
\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0}
\u00a0\u00a0\u00a0\u00a0]
}`;

/** Parses an example as a client would have built it (the pages' non-breaking spaces are only indentation). */
export function exampleJson<T = Record<string, unknown>>(text: string): T {
  return JSON.parse(text.replace(/\u00a0/g, ' ')) as T;
}

// ---------------------------------------------------------------- read answers described in the vendor's notes on the read endpoints

/** Get Services Brief Details (V3) as the vendor's notes on the read endpoints describes it (PascalCase, list names). */
export const vendorServiceList = [
  {
    UmpCustomerGuid: '806664bf-5380-44b6-b7ee-ab9c443cc284',
    CustomerShortName: 'BradTest3',
    CustomerFullName: 'BradTest3',
    LicenseType: 2,
    LicensedUsersCount: 0,
    MsTenantId: '4bf50a33-a383-4d3f-9403-220c898bc1b2',
    ActiveUserCount: 0,
    SiteLocation: [
      {
        id: '0ce9ce2f-04e2-4746-b436-f68b8ad82a9a',
        name: 'GSBGHDLVPZBSS',
        sbcId: 5,
        sbcDeploymentState: 'Deployed',
        sbcConfigurationType: 'SipTrunk',
      },
      {
        id: '548b7e8f-9a27-47f4-8c5b-382d4e4c5a3b',
        name: 'Brad1010',
        sbcId: 5,
        sbcDeploymentState: 'Deployed',
        SbcConfigurationType: 'BYOC',
      },
    ],
  },
];

/** The modify page's "Get Details for Specific Service" variant: Id, ShortName, FullName. */
export const modifyPageService = {
  Id: '806664bf-5380-44b6-b7ee-ab9c443cc284',
  ShortName: 'BradTest3',
  FullName: 'BradTest3',
  LicenseType: 2,
  SiteLocation: [
    {
      id: '0ce9ce2f-04e2-4746-b436-f68b8ad82a9a',
      name: 'GSBGHDLVPZBSS',
      sbcId: 5,
      sbcDeploymentState: 'Deployed',
    },
  ],
};

/**
 * Get SIP Connection for the site the Add SIP Connection example body creates, on the Create
 * Essentials Customer example's customer (the vendor's notes on the read endpoints; flags at the Modify page's defaults).
 */
export const vendorSiteReadBack = {
  tenantId: 'fcc608c4-095b-4d1a-90e3-2106fc7024de',
  m365DeploymentState: null,
  sbcDeploymentState: 3,
  siteName: 'DR94Site2',
  onlinePstnGateway: 'DR94Site2.sandbox2.audiocodes.be',
  sbcInfo: {
    sbcConfigurationType: 1,
    cacProfile: '10 sessions',
    carrierHostName: 'Site2Hostname123',
    carrierId: 'SIPTrunk',
    carrierMainLine: null,
    carrierUserName: 'Site2Carrier',
    flagConfigureSbc: true,
    sbcId: 8,
    sbcScripts: {
      onboardingScript: 7,
      cleanupScript: 700,
      customerVariables: {
        CarrierUserPassword: 'Site2#%00500',
        CarierMailLine: 'Site2MainLine123',
        'CustomVar.Variable1': 'variable4',
      },
    },
  },
  m365Info: {
    m365Scripts: {
      flagConfigureM365Routing: true,
      onboardingScript: null,
      cleanupScript: null,
      customerVariables: {},
    },
  },
  pendingTasks: [],
};

// ---------------------------------------------------------------- variants a real platform may answer

/**
 * The listing as a newer platform release might answer it: a field the pages do not document
 * (`PartnerId`, and `sbcVersion` on a site), a deployment state lpsync has not met, a LicenseType
 * other than 2 or 3 — recorded from `vendorServiceList` with those changes.
 */
export const vendorServiceListNewerRelease = [
  {
    ...vendorServiceList[0]!,
    PartnerId: 'p-4471',
    SiteLocation: [
      { ...vendorServiceList[0]!.SiteLocation[0]!, sbcDeploymentState: 'Provisioning', sbcVersion: '7.40A' },
      vendorServiceList[0]!.SiteLocation[1]!,
    ],
  },
  {
    ...vendorServiceList[0]!,
    UmpCustomerGuid: '1f4b1c55-6b1e-4a55-9a43-3d0a4f1e0c11',
    CustomerShortName: 'BradTeams9',
    CustomerFullName: 'BradTeams9',
    LicenseType: 5,
    PartnerId: 'p-4471',
    SiteLocation: [],
  },
];

/** The listing with a service that lacks its short name (`CustomerShortName` and `ShortName`). */
export const vendorServiceListWithoutShortName = [
  Object.fromEntries(Object.entries(vendorServiceList[0]!).filter(([key]) => key !== 'CustomerShortName')),
];

/** Get SIP Connection from a newer release: an undocumented `sbcInfo.sbcVersion` and `sbcDeploymentState` 7. */
export const vendorSiteReadBackNewerRelease = {
  ...vendorSiteReadBack,
  sbcDeploymentState: 7,
  lastModified: '2026-11-02T09:12:44Z',
  sbcInfo: { ...vendorSiteReadBack.sbcInfo, sbcVersion: '7.40A', sbcConfigurationType: 9 },
};

/** Get SIP Connection without `siteName` (and without `name`). */
export const vendorSiteReadBackWithoutSiteName = Object.fromEntries(
  Object.entries(vendorSiteReadBack).filter(([key]) => key !== 'siteName'),
);

/** Get Task with a status lpsync has not met. */
export const createOcServiceFromLeadTaskNewStatus = createOcServiceFromLeadTaskResponse.replace(
  '"status": "CompletedSuccess"',
  '"status": "CompletedWithWarnings"',
);
