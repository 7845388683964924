// The rest_api sink.
export { createRestApiDestination } from './create-rest-api-destination.js';
export type { RestApiDeps } from './create-rest-api-destination.js';
export { restApiSink } from './rest-api-sink.js';
export {
  restApiConfigSchema,
  restApiConnectionSchema,
  restApiSecretFields,
  restRetrySchema,
  restCircuitBreakerSchema,
  restOperationSchema,
  REST_OPERATIONS,
} from './rest-config-schema.js';
export type { RestApiConfig, RestApiConnection, RestOperationConfig, RestOperationName } from './rest-config-schema.js';
export { readResponse, valueAtPath } from './rest-response.js';
export type { ResponseOutcome } from './rest-response.js';
