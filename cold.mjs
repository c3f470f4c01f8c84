import { join } from 'node:path';
import { request } from 'node:http';
const D = '/work/wt/s29/dist';
const { createLivePlatformClient } = await import(`${D}/src/api/index.js`);
const { applyPlan } = await import(`${D}/src/apply/scheduler.js`);
const { normaliseApplySettings } = await import(`${D}/src/apply/settings.js`);
const { silentLog } = await import(`${D}/src/model/log.js`);
const { createRedactor } = await import(`${D}/src/model/redact.js`);
const { planActions } = await import(`${D}/src/plan/index.js`);
const { openStateStore } = await import(`${D}/src/state/index.js`);
const { workbookRows } = await import(`${D}/bench/data.js`);
const url = process.argv[2]; const n = Number(process.argv[3] ?? 1000);
const reset = () => new Promise((ok) => { const r = request(`${url}/_sim/reset`, { method: 'POST', agent: false }, (a) => { a.resume(); a.on('end', ok); }); r.end(); });
const customers = workbookRows(n).customers.map(({ site, ...c }) => { const { sbcConfigurationType: _m, ...rest } = site; return { ...c, site: rest }; });
const plan = planActions({ customers, sites: [] }, { services: [], sites: new Map() }, { customers: new Map(), sites: new Map() });
const redactor = createRedactor(customers.map((c) => c.site.carrierUserPassword));
const client = createLivePlatformClient({ baseUrl: url, auth: { kind: 'token', token: 'demo-token' }, logger: silentLog, redactor, concurrency: 64, timeoutMs: 30000 });
for (let k = 0; k < 3; k++) {
  await reset();
  const store = openStateStore(`/tmp/prof/cold-${process.pid}-${k}.db`);
  const t = process.cpuUsage();
  await applyPlan({ plan, client, store, runId: `r${k}`, settings: normaliseApplySettings({ concurrency: 64 }), redactor });
  const u = process.cpuUsage(t); store.close();
  console.log(`run ${k}: ${((u.user + u.system) / 1000).toFixed(0)} ms`);
}
client.close();
