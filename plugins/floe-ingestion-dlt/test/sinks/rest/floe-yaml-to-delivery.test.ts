import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { compileEgress, parseFloeSpec, toSinkConfig } from '@floe/core';
import { startHttpTarget, type HttpTarget } from '@floe/test-harness';
import { Int32, Utf8, vectorFromArray } from 'apache-arrow';
import { DltIngestionPlugin, SINK_TYPE_DESCRIPTORS, restApiConfigSchema } from '../../../src/index.js';
import { tableOf } from '../../helpers/arrow.js';

const floeYaml = (url: string): string => `
apiVersion: floe.dev/v1
kind: FloeSpec
metadata:
  name: customer-360
  version: 1.0.0
  owner: analytics-team@acme.com
transforms:
  - name: customers_gold
    tier: gold
destinations:
  - name: crm-contacts
    sink_type: rest_api
    connection_secret_ref: crm-api
    source_table: gold.customers
    field_mapping: {customer_id: id, email_address: email}
    batch_size: 2
    config:
      url: ${url}/v1/contacts
      method: POST
      body: array
      record_id_path: id
      requests_per_second: 1000
      max_concurrency: 4
      timeout_ms: 30000
      retry: {max_attempts: 5, initial_delay_ms: 1, max_delay_ms: 5}
`;

describe('floe.yaml → compileEgress → SinkConfig → write', () => {
  let target: HttpTarget;
  const plugin = new DltIngestionPlugin();
  beforeEach(async () => {
    target = await startHttpTarget((request) => ({
      status: 200,
      body: (request.body as { id: number }[]).map((r) => ({ id: `c-${r.id}` })),
    }));
    await plugin.startup();
  });
  afterEach(async () => {
    await plugin.shutdown();
    await target.close();
  });

  it('delivers the Gold rows the way floe.yaml declares, with the secret merged by the CLI', async () => {
    const spec = parseFloeSpec(floeYaml(target.url));
    if (!spec.ok) throw new Error(JSON.stringify(spec.issues));
    const compiled = compileEgress({ spec: spec.value, availableSinks: SINK_TYPE_DESCRIPTORS });
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
    const [planned] = compiled.plan.destinations;
    const sink = await plugin.createSink(toSinkConfig(planned!, { connection: { token: 'yaml-SECRET-token' } }));
    const gold = tableOf({
      customer_id: vectorFromArray([7, 8, 9], new Int32()),
      email_address: vectorFromArray(['a@x.io', 'b@x.io', 'c@x.io'], new Utf8()),
    });
    const receipt = await plugin.write(sink, gold);
    expect(target.requests.map((r) => r.body)).toEqual([
      [
        { id: 7, email: 'a@x.io' },
        { id: 8, email: 'b@x.io' },
      ],
      [{ id: 9, email: 'c@x.io' }],
    ]);
    expect(target.requests[0]?.headers.authorization).toBe('Bearer yaml-SECRET-token');
    expect(receipt.destinationRecordIds).toEqual(['c-7', 'c-8', 'c-9']);
    expect(receipt.success).toBe(true);
  });

  it('is refused by compileEgress when config holds credentials, unknown keys or replace', () => {
    const bad = floeYaml(target.url).replace(
      'method: POST',
      'method: POST\n      write_disposition: replace\n      max_concurency: 3',
    );
    const spec = parseFloeSpec(bad);
    if (!spec.ok) throw new Error(JSON.stringify(spec.issues));
    const compiled = compileEgress({ spec: spec.value, availableSinks: SINK_TYPE_DESCRIPTORS });
    expect(compiled.ok).toBe(false);
    const text = compiled.ok ? '' : compiled.issues.map((issue) => JSON.stringify(issue)).join('\n');
    expect(text).toMatch(/write_disposition/);
    expect(text).toMatch(/max_concurency/);
    expect(restApiConfigSchema.safeParse({ url: 'https://x.io', token: 't' }).success).toBe(false);
  });
});
