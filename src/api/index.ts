/**
 * The Live Platform client. `createLivePlatformClient` implements `LivePlatform`;
 * the parsers are exported for the simulator's and planner's tests.
 */
export {
  createLivePlatformClient,
  taskFailure,
  type ClientStats,
  type LivePlatformClient,
} from './client.js';
export type { ClientOptions } from './options.js';
export type { AuthSettings } from './auth.js';
export { ApiError, type ApiErrorCode, type ApiErrorDetails } from './errors.js';
export {
  isTaskInProgress,
  lowerKeys,
  parseCreateCustomer,
  parseJobId,
  parseService,
  parseServiceList,
  parseSiteDetails,
  parseSiteWrite,
  parseTask,
  sbcConfigurationTypeCode,
  type Parsed,
} from './schemas.js';
export { backoffDelay, parseRetryAfter } from './retry.js';
export * from './types.js';
