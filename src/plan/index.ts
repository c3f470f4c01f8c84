/** The plan stage: what to do per row and why. */
export * from './types.js';
export { planActions, customerActionId, siteActionId, countKinds, type PlanOptions } from './plan-actions.js';
export {
  planShape,
  shapePlan,
  parseSelector,
  PLAN_MODES,
  WHOLE_PLAN,
  type PlanMode,
  type PlanShape,
  type Selector,
} from './shape.js';
export { readObservedState } from './observe.js';
export { renderPlan, countsLine, describeReason, hiddenRowsLine, type PlanViewOptions } from './plan-view.js';
export {
  addSiteBody,
  createCustomerBody,
  createOcServiceBody,
  modifySiteBody,
  scriptParameters,
  PATHS,
} from './requests.js';
export { canonicalJson, digestOf } from './digest.js';
