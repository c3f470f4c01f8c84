/** The example bodies of the five vendor pages, copied verbatim (typos included) from shared/api-docs/*.txt. */

export const createEssentialsCustomerExample = `{
  "shortName": "BradSB1E1",
  "fullName": "BradSB1E1",
  "siteLocation": {
    "sbcId": 5,
    "sbcOnboardingScript": 7,
    "sbcCleanupScript": 700
  },
  "ovocCustomerType": "IPGROUP_TYPE",
  "msTenantId": "fcc608c4-095b-4d1a-90e3-2106fc7024de"
  

}`;

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

export const createOcServiceFromLeadExample = `{
"configurationName": "OcEssential_IPGROUP_TYPE",
"msTenantId": "f9f53ee0-56e1-43f6-8fe3-5fb322986657",
"customerShortName": "Bradx35340067",
"customerFullName": "Bradx35340067",
"scriptParameters": {
"ProxySet": "SIPTrunk",
"OnlinePstnGateway":"oc1.sandbox2.audiocodes.be"}
}`;

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

export const modifySipConnectionExample = `{ "siteLocationName": "SaraSite4",
  "ovocCustomerType": "IPGROUP_TYPE",  
  "sbcId": 5,
  "sbcOnboardingScript": 10007,
  "sbcCleanupScript": 10700,
  "SbcConfigurationType": 1,
  "scriptParameters": 
  {    
  "OnlinePstnGateway": "sandbox1.audiocodes.be",    
  "ProxySet": "SIPTrunk",    
  "CarrierUserName": "1000",    
  "CarrierUserPassword": "12345678",    
  "CarrierMainLine": "brad1",    
  "CarrierHostName": "brad.com",    
  "CacProfile": "5 sessions"
    }
}`;
