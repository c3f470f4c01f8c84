/**
 * The hand readers of the usual answers (src/api/usual-answers.ts) against the zod schemas they stand in for:
 * for random answers, usual and not (wrong types, missing ids, extra fields, any key casing), a hand reader
 * gives either undefined (zod then reads the answer) or exactly what zod gives. Usual answers must not need zod.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerSchemas } from '../../src/api/schemas.js';
import {
  usualCreateCustomer,
  usualJobId,
  usualServiceList,
  usualSiteDetails,
  usualSiteWrite,
  usualTask,
} from '../../src/api/usual-answers.js';

type Arb = fc.Arbitrary<unknown>;
type Schemas = ReturnType<typeof answerSchemas>;

/** A usual value now and then replaced by anything (wrong types, NaN, nested objects, …). */
const sometimesOdd = (usual: Arb, odd: boolean): Arb =>
  odd ? fc.oneof({ arbitrary: usual, weight: 4 }, { arbitrary: fc.anything(), weight: 1 }) : usual;

const text = fc.oneof(fc.string(), fc.integer(), fc.constant(null));
const integer = fc.oneof(
  fc.integer(),
  fc.integer().map((n) => ` ${n}`),
  fc.constant(null),
);
const flag = fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'True', 'False'), fc.constant(null));
const configurationType = fc.oneof(
  fc.integer({ min: -1, max: 5 }),
  fc.constantFrom('SipTrunk', 'SIP Trunk', 'Teams', 'direct_routing', '2', 'other'),
  fc.constant(null),
);
/** A key of a map the platform sends (`__proto__` is unusual: the hand readers leave it to zod). */
const key = fc.string().filter((k) => k !== '__proto__');
const variables = fc.dictionary(key, fc.oneof(fc.string(), fc.integer(), fc.constant(null)));

/** An object with some of the fields, its keys in one casing, and sometimes extra fields. */
function answer(fields: Record<string, Arb>, odd: boolean, required: string[] = []): Arb {
  const shape = Object.fromEntries(Object.entries(fields).map(([k, a]) => [k, sometimesOdd(a, odd)]));
  return fc
    .tuple(
      fc.record(shape, { requiredKeys: required }),
      fc.constantFrom<(k: string) => string>(
        (k) => k,
        (k) => k.toUpperCase(),
        (k) => k[0]!.toUpperCase() + k.slice(1),
      ),
      odd ? fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }) : fc.constant({}),
    )
    .map(([record, cased, extra]) => ({
      ...extra,
      ...Object.fromEntries(Object.entries(record).map(([k, v]) => [cased(k), v])),
    }));
}

const messages = (odd: boolean) => fc.array(answer({ level: text, message: text }, odd), { maxLength: 3 });
const site = (odd: boolean) =>
  answer(
    {
      id: fc.string(),
      name: text,
      siteLocationName: text,
      sbcId: integer,
      sbcDeploymentState: text,
      sbcConfigurationType: configurationType,
    },
    odd,
    odd ? [] : ['id'],
  );
const service = (odd: boolean) =>
  answer(
    {
      UmpCustomerGuid: fc.string(),
      customerGuid: text,
      CustomerShortName: fc.string(),
      shortName: text,
      customerFullName: text,
      licenseType: integer,
      msTenantId: text,
      licensedUsersCount: integer,
      siteLocation: fc.array(site(odd), { maxLength: 3 }),
    },
    odd,
    odd ? [] : ['UmpCustomerGuid', 'CustomerShortName'],
  );
const scripts = (odd: boolean) =>
  answer({ onboardingScript: integer, cleanupScript: integer, customerVariables: variables }, odd);
const siteDetails = (odd: boolean) =>
  answer(
    {
      id: text,
      siteLocationId: text,
      siteName: fc.string(),
      tenantId: text,
      sbcDeploymentState: text,
      m365DeploymentState: text,
      onlinePstnGateway: text,
      sbcInfo: answer(
        {
          sbcConfigurationType: configurationType,
          cacProfile: text,
          carrierHostName: text,
          carrierId: text,
          carrierMainLine: text,
          carrierUserName: text,
          flagConfigureSbc: flag,
          sbcId: integer,
          sbcScripts: scripts(odd),
        },
        odd,
      ),
      m365Info: answer({ m365Scripts: scripts(odd) }, odd),
      pendingTasks: fc.array(fc.jsonValue(), { maxLength: 2 }),
    },
    odd,
    odd ? [] : ['siteName'],
  );
const task = (odd: boolean) =>
  answer(
    {
      id: text,
      taskId: text,
      status: fc.constantFrom('InProgress', 'Completed Success', 'Failed', ''),
      details: fc.array(fc.oneof(fc.string(), fc.jsonValue()), { maxLength: 3 }),
      executionMessages: messages(odd),
      outputData: fc.dictionary(key, fc.jsonValue(), { maxKeys: 3 }),
    },
    odd,
    odd ? [] : ['status'],
  );
const siteWrite = (odd: boolean) =>
  answer(
    {
      customerGuid: text,
      siteGuid: fc.string(),
      siteLocationId: text,
      id: text,
      executionMessages: messages(odd),
    },
    odd,
    odd ? [] : ['siteGuid'],
  );
const jobId = (odd: boolean) =>
  fc.oneof(
    fc.string({ minLength: odd ? 0 : 1 }),
    answer({ jobId: fc.string(), taskId: text, id: text }, odd, odd ? [] : ['jobId']),
  );
const createCustomer = (odd: boolean) =>
  answer(
    {
      id: fc.string(),
      customerId: text,
      siteLocationIds: fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 3 }),
      deploymentState: text,
      errorDetails: text,
      progressDetails: text,
    },
    odd,
    odd ? [] : ['id'],
  );
const serviceList = (odd: boolean) =>
  fc.oneof(
    fc.array(service(odd), { maxLength: 3 }),
    fc.array(service(odd), { maxLength: 3 }).map((value) => ({ Value: value })),
  );

const readers: Array<{
  name: string;
  arbitrary: (odd: boolean) => Arb;
  usual: (json: unknown) => unknown;
  schema: (all: Schemas) => { safeParse: (v: unknown) => { success: boolean; data?: unknown } };
}> = [
  { name: 'service list', arbitrary: serviceList, usual: usualServiceList, schema: (s) => s.serviceList },
  { name: 'site details', arbitrary: siteDetails, usual: usualSiteDetails, schema: (s) => s.siteDetails },
  { name: 'task', arbitrary: task, usual: usualTask, schema: (s) => s.task },
  { name: 'site write', arbitrary: siteWrite, usual: usualSiteWrite, schema: (s) => s.siteWrite },
  { name: 'job id', arbitrary: jobId, usual: usualJobId, schema: (s) => s.jobId },
  {
    name: 'create customer',
    arbitrary: createCustomer,
    usual: usualCreateCustomer,
    schema: (s) => s.createCustomer,
  },
];

describe('hand readers of the usual answers', () => {
  for (const { name, arbitrary, usual, schema } of readers) {
    it(`${name}: a usual answer is read by hand, exactly as zod reads it`, () => {
      fc.assert(
        fc.property(arbitrary(false), (json) => {
          const parsed = schema(answerSchemas()).safeParse(json);
          expect(parsed.success).toBe(true);
          const read = usual(json);
          expect(read).toBeDefined();
          // toEqual: zod leaves out an absent optional key the hand reader sets to undefined; both read the same.
          expect(read).toEqual(parsed.data);
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: any answer is either left to zod or read as zod reads it`, () => {
      let byHand = 0;
      fc.assert(
        fc.property(arbitrary(true), (json) => {
          const read = usual(json);
          if (read === undefined) return;
          byHand += 1;
          const parsed = schema(answerSchemas()).safeParse(json);
          expect(parsed.success).toBe(true);
          expect(read).toEqual(parsed.data);
        }),
        { numRuns: 500 },
      );
      expect(byHand).toBeGreaterThan(0);
    });
  }
});
