/** The SIP connection columns both sheets have (a Customers row carries its primary site). */
import type { FieldSpec } from './field-spec.js';

/** Site columns the two sheets share, in template order. */
export const siteCore = {
  sbcId: {
    path: 'site.sbcId',
    header: 'SBC Id',
    apiNames: ['sbcId', 'sbcid'],
    kind: 'integer',
    note: 'The SBC Id in the Live Platform SBC list (Get SBC Devices). Whole number.',
  },
  sbcOnboardingScript: {
    path: 'site.sbcOnboardingScript',
    header: 'SBC Onboarding Script',
    apiNames: ['sbcOnboardingScript'],
    aliases: ['Onboarding Script'],
    kind: 'integer',
    note: 'The SBC onboarding script number (Get Script Templates). Whole number.',
  },
  sbcCleanupScript: {
    path: 'site.sbcCleanupScript',
    header: 'SBC Cleanup Script',
    apiNames: ['sbcCleanupScript'],
    aliases: ['Cleanup Script'],
    kind: 'integer',
    note: 'The matching SBC cleanup script number (Get Script Templates). Whole number.',
  },
  ovocCustomerType: {
    path: 'site.ovocCustomerType',
    header: 'OVOC Customer Type',
    apiNames: ['ovocCustomerType'],
    kind: 'ovoc-customer-type',
    note: 'IPGROUP_TYPE (an IP Group per customer, needed for SIP registration) or TENANT_TYPE.',
  },
  sbcConfigurationType: {
    path: 'site.sbcConfigurationType',
    header: 'SBC Configuration Type',
    apiNames: ['SbcConfigurationType'],
    aliases: ['SBC Config Type', 'Configuration Type'],
    kind: 'sbc-configuration-type',
    note: '0 Unknown, 1 SIP Trunk, 2 IPPBX, 3 BYOC — the number or the name.',
  },
  cacProfile: {
    path: 'site.cacProfile',
    header: 'CAC Profile',
    apiNames: ['CacProfile', 'Cac Profile', 'CACProfile'],
    kind: 'text',
    note: 'Call Admission Control profile name, e.g. "10 sessions".',
  },
  proxySet: {
    path: 'site.proxySet',
    header: 'Proxy Set',
    apiNames: ['ProxySet'],
    kind: 'text',
    note: 'The SBC proxy set name, e.g. SIPTrunk.',
  },
  onlinePstnGateway: {
    path: 'site.onlinePstnGateway',
    header: 'Online PSTN Gateway',
    apiNames: ['OnlinePstnGateway'],
    kind: 'text',
    note: 'The Online PSTN gateway of the SBC attached to the calling profile.',
  },
  carrierUserName: {
    path: 'site.carrierUserName',
    header: 'Carrier User Name',
    apiNames: ['CarrierUserName'],
    kind: 'carrier-user-name',
    note: 'Digest authentication user name for carrier registration; up to 60 characters.',
  },
  carrierUserPassword: {
    path: 'site.carrierUserPassword',
    header: 'Carrier Password',
    apiNames: ['CarrierUserPassword'],
    kind: 'carrier-password',
    secret: true,
    note: 'Digest authentication password; up to 50 characters, no wide (non-ASCII) characters. Secret: masked in every report.',
  },
  carrierMainLine: {
    path: 'site.carrierMainLine',
    header: 'Carrier Main Line',
    apiNames: ['CarrierMainLine'],
    // How the Add SIP Connection page's parameter table spells it (not suggested for typos).
    aliases: ['CarrierMailLine'],
    kind: 'text',
    phoneLike: true,
    note: 'The AOR user name (REGISTER From/To ContactUser@HostName).',
  },
  carrierHostName: {
    path: 'site.carrierHostName',
    header: 'Carrier Host Name',
    apiNames: ['CarrierHostName'],
    kind: 'text',
    note: 'The AOR host name (REGISTER From/To ContactUser@HostName).',
  },
} satisfies Record<string, FieldSpec>;
