import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { TextStream } from '../output/terminal.js';
import type { Redactor } from '../secrets/redactor.js';
import { RedactingSpanExporter } from './redacting-span-exporter.js';
import { resourceAttributes, staticResource } from './resource.js';
import { StderrSpanExporter } from './stderr-span-exporter.js';

/** Where spans go, decided from the `OTEL_*` variables and `--trace`. */
export interface TracingPlan {
  readonly otlp: boolean;
  readonly console: boolean;
}

/** Options of {@link setupTracing}. */
export interface TracingOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--trace console`. */
  readonly console?: boolean;
  /** Where console spans are printed (stderr). */
  readonly stream: TextStream;
  readonly redactor: Redactor;
  readonly serviceVersion: string;
}

/** The registered SDK, or nothing when tracing is off. */
export interface Tracing {
  readonly enabled: boolean;
  /** Exports every pending span and unregisters the SDK. Safe to call more than once. */
  shutdown(): Promise<void>;
}

/**
 * Which exporters the standard variables ask for: OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set or `OTEL_TRACES_EXPORTER` names `otlp`; console when
 * `--trace console` or `OTEL_TRACES_EXPORTER` names `console`; nothing when `OTEL_SDK_DISABLED=true`
 * or `OTEL_TRACES_EXPORTER=none`.
 */
export function tracingPlan(env: Readonly<Record<string, string | undefined>>, consoleFlag = false): TracingPlan {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return { otlp: false, console: consoleFlag };
  const named = (env.OTEL_TRACES_EXPORTER ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  const endpoint = Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const none = named.includes('none');
  return {
    otlp: !none && (named.includes('otlp') || (named.length === 0 && endpoint)),
    console: consoleFlag || (!none && named.includes('console')),
  };
}

/**
 * Registers the OpenTelemetry SDK for this process — only the CLI does this; libraries use the API.
 * One run is one trace: the commands open a root span, a span per destination, and the plugin adds
 * a span per batch under the active one. Returns a no-op when no exporter is asked for.
 *
 * @example
 * ```ts
 * const tracing = setupTracing({ env: process.env, stream: process.stderr, redactor, serviceVersion: '0.1.0' });
 * try { await run(); } finally { await tracing.shutdown(); }
 * ```
 */
export function setupTracing(options: TracingOptions): Tracing {
  const plan = tracingPlan(options.env, options.console);
  const spanProcessors: SpanProcessor[] = [];
  if (plan.otlp)
    spanProcessors.push(new BatchSpanProcessor(new RedactingSpanExporter(new OTLPTraceExporter(), options.redactor)));
  if (plan.console) {
    spanProcessors.push(
      new SimpleSpanProcessor(new RedactingSpanExporter(new StderrSpanExporter(options.stream), options.redactor)),
    );
  }
  if (spanProcessors.length === 0) return { enabled: false, shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: staticResource(resourceAttributes(options.env, options.serviceVersion)),
    spanProcessors,
  });
  provider.register();
  let done: Promise<void> | undefined;
  return {
    enabled: true,
    shutdown: () => (done ??= provider.shutdown().catch(() => undefined)),
  };
}
