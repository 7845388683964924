// @floe/contract-tests: reusable suites any SinkConnector must pass. Named exports only.
export { describeSinkConnector } from './describe-sink-connector.js';
export type { DescribeSinkConnectorOptions, SinkCapabilities, SinkFactory, SinkUnderTest } from './sink-under-test.js';
export { sampleTable, tableRows, comparableRows, normaliseValue } from './sample-data.js';
