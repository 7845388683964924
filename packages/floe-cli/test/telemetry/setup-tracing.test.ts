import { describe, expect, it } from '@jest/globals';
import { resourceAttributes, staticResource } from '../../src/telemetry/resource.js';
import { tracingPlan } from '../../src/telemetry/setup-tracing.js';

describe('tracingPlan', () => {
  it('exports OTLP when an endpoint is set', () => {
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })).toEqual({
      otlp: true,
      console: false,
    });
    expect(tracingPlan({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/v1/traces' }).otlp).toBe(true);
  });

  it('is off without an endpoint, and honours OTEL_TRACES_EXPORTER and OTEL_SDK_DISABLED', () => {
    expect(tracingPlan({})).toEqual({ otlp: false, console: false });
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: 'console' })).toEqual({ otlp: false, console: true });
    expect(tracingPlan({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' })).toEqual({
      otlp: false,
      console: false,
    });
    expect(tracingPlan({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://x' }).otlp).toBe(false);
    expect(tracingPlan({}, true).console).toBe(true);
  });
});

describe('resourceAttributes', () => {
  it('takes OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES over the default', () => {
    const attributes = resourceAttributes(
      { OTEL_RESOURCE_ATTRIBUTES: 'service.name=a,deployment.environment=prod%20eu', OTEL_SERVICE_NAME: 'b' },
      '1.2.3',
    );
    expect(attributes['service.name']).toBe('b');
    expect(attributes['deployment.environment']).toBe('prod eu');
    expect(attributes['service.version']).toBe('1.2.3');
    expect(resourceAttributes({}, '1')['service.name']).toBe('floe-cli');
  });

  it('merges resources like the SDK does', () => {
    const merged = staticResource({ a: 1, b: 1 }).merge(staticResource({ b: 2 }));
    expect(merged.attributes).toEqual({ a: 1, b: 2 });
    expect(merged.getRawAttributes()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });
});
