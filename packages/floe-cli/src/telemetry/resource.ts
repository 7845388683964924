import type { Attributes } from '@opentelemetry/api';
import type { TracerConfig } from '@opentelemetry/sdk-trace-base';

/** The SDK's resource type (from `@opentelemetry/resources`, reached through the tracer config). */
export type Resource = NonNullable<TracerConfig['resource']>;

/** `service.name` when `OTEL_SERVICE_NAME` is not set. */
export const DEFAULT_SERVICE_NAME = 'floe-cli';

/**
 * The resource attributes the standard variables ask for: `OTEL_RESOURCE_ATTRIBUTES`
 * (`k=v,k2=v2`, percent-decoded), then `OTEL_SERVICE_NAME`, over floe's defaults.
 */
export function resourceAttributes(
  env: Readonly<Record<string, string | undefined>>,
  serviceVersion: string,
): Attributes {
  const attributes: Attributes = {
    'service.name': DEFAULT_SERVICE_NAME,
    'service.version': serviceVersion,
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.name': 'opentelemetry',
  };
  for (const pair of (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    attributes[decode(pair.slice(0, eq).trim())] = decode(pair.slice(eq + 1).trim());
  }
  const serviceName = env.OTEL_SERVICE_NAME?.trim();
  if (serviceName) attributes['service.name'] = serviceName;
  return attributes;
}

/** A settled resource holding `attributes` (what the SDK's `resourceFromAttributes` makes). */
export function staticResource(attributes: Attributes, schemaUrl?: string): Resource {
  const frozen = Object.freeze({ ...attributes });
  const resource: Resource = {
    asyncAttributesPending: false,
    attributes: frozen,
    ...(schemaUrl !== undefined && { schemaUrl }),
    waitForAsyncAttributes: async () => {},
    getRawAttributes: () => Object.entries(frozen),
    merge: (other) =>
      other ? staticResource({ ...frozen, ...other.attributes }, other.schemaUrl ?? schemaUrl) : resource,
  };
  return resource;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
