/** The plan stage: what to do per row and why. */
export * from './types.js';
export { planActions, customerActionId, siteActionId, countKinds, type PlanOptions } from './plan-actions.js';
export { readObservedState } from './observe.js';
export { renderPlan, planToJson, countsLine, describeReason, type PlanViewOptions } from './plan-view.js';
export {
  addSiteBody,
  createCustomerBody,
  createOcServiceBody,
  modifySiteBody,
  scriptParameters,
  PATHS,
} from './requests.js';
export { canonicalJson, digestOf } from './digest.js';
