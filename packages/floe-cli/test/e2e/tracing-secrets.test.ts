import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPgSchema, startHttpTarget, type HttpTarget, type PgTestSchema } from '@floe/test-harness';
import { FIXTURES, floe, receipts, tempDir, writeProject } from './helpers.js';

interface ConsoleSpan {
  name: string;
  trace: string;
  span: string;
  parent: string;
  status: string;
  attributes: Record<string, unknown>;
}

/** Parses `--trace console` lines: `span <name> <ms>ms trace=… span=… parent=… status=… {attributes}`. */
function consoleSpans(stderr: string): ConsoleSpan[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('span '))
    .map((line) => {
      const match = /^span (\S+) [\d.]+ms trace=(\w+) span=(\w+) parent=(\S+) status=(\w+)(?: \(.*\))? (\{.*\})$/.exec(
        line,
      );
      if (!match) throw new Error(`not a span line: ${line}`);
      return {
        name: match[1]!,
        trace: match[2]!,
        span: match[3]!,
        parent: match[4]!,
        status: match[5]!,
        attributes: JSON.parse(match[6]!) as Record<string, unknown>,
      };
    });
}

describe('traces', () => {
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };

  beforeEach(async () => {
    target = await startHttpTarget();
    project = tempDir();
  });
  afterEach(async () => {
    await target.close();
    project.cleanup();
  });

  it('makes one run one trace: a root span, a span per destination, the plugin batch spans under it', async () => {
    const spec = writeProject(project.dir, [
      {
        name: 'a',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: join(FIXTURES, 'duckdb-iceberg/uuid'),
        batch_size: 4,
        config: { url: `${target.url}/a` },
      },
      {
        name: 'b',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { url: `${target.url}/b` },
      },
    ]);
    const run = await floe(['egress', 'run', '--spec', spec, '--trace', 'console'], {
      env: { FLOE_SECRET_CRM_TOKEN: 'tok-trace-1234' },
    });
    expect(run.code).toBe(0);
    const spans = consoleSpans(run.stderr);
    const root = spans.find((span) => span.name === 'floe.egress.run');
    expect(root).toMatchObject({ parent: '-', status: 'OK' });
    expect(new Set(spans.map((span) => span.trace))).toEqual(new Set([root!.trace]));
    const destinations = spans.filter((span) => span.name === 'floe.egress.destination');
    expect(destinations.map((span) => span.attributes['sink.destination']).sort()).toEqual(['a', 'b']);
    for (const span of destinations) expect(span.parent).toBe(root!.span);
    expect(destinations.find((span) => span.attributes['sink.destination'] === 'a')?.attributes).toMatchObject({
      'sink.type': 'rest_api',
      'sink.rows_written': 10,
      'sink.status': 'delivered',
    });
    const byId = new Map(spans.map((span) => [span.span, span]));
    const batches = spans.filter((span) => span.name === 'sink.batch');
    expect(batches.length).toBe(3 + 1);
    for (const batch of batches) {
      // every batch span descends from a destination span
      let ancestor = byId.get(batch.parent);
      while (ancestor && ancestor.name !== 'floe.egress.destination') ancestor = byId.get(ancestor.parent);
      expect(ancestor?.parent).toBe(root!.span);
    }
    expect(run.stderr).not.toContain('tok-trace-1234');
  });

  it('exports over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set, flushing before exit', async () => {
    const collector = await startHttpTarget(() => ({ status: 200, body: {} }));
    try {
      const spec = writeProject(project.dir, [
        {
          name: 'a',
          sink_type: 'rest_api',
          connection_secret_ref: 'crm',
          source_table: join(FIXTURES, 'icebird/athena/example'),
          config: { url: `${target.url}/a` },
        },
      ]);
      const run = await floe(['egress', 'run', '--spec', spec], {
        env: {
          FLOE_SECRET_CRM_TOKEN: 'tok-otlp-5678',
          OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
          OTEL_SERVICE_NAME: 'floe-e2e',
        },
      });
      expect(run.code).toBe(0);
      const exported = collector.requests.filter((request) => request.url === '/v1/traces');
      expect(exported.length).toBeGreaterThan(0);
      const text = exported.map((request) => request.rawBody.toString('utf8')).join('\n');
      expect(text).toContain('floe.egress.run');
      expect(text).toContain('floe.egress.destination');
      expect(text).toContain('floe-e2e');
      expect(text).not.toContain('tok-otlp-5678');
    } finally {
      await collector.close();
    }
  });
});

describe('secrets', () => {
  let pg: PgTestSchema;
  let target: HttpTarget;
  let project: { dir: string; cleanup: () => void };

  beforeAll(async () => {
    pg = await createPgSchema('floe_cli_secrets');
    target = await startHttpTarget();
    project = tempDir();
  });
  afterAll(async () => {
    await pg.drop();
    await target.close();
    project.cleanup();
  });

  it('never shows a secret value in stdout, stderr, receipts or spans — on success and on failure', async () => {
    const password = 'PgPassw0rd-Unique-4411';
    const token = 'ApiTok3n-Unique-9922';
    const apiKey = 'ApiKey-Unique-5533';
    const url = new URL(pg.url);
    url.password = password;
    const secrets = join(project.dir, 'secrets');
    mkdirSync(join(secrets, 'warehouse-db'), { recursive: true });
    writeFileSync(join(secrets, 'warehouse-db', 'url'), `${url.toString()}\n`);
    // An API that echoes the credential it received in its error message.
    target.handle((request) =>
      request.url === '/echo'
        ? { status: 401, body: { message: `invalid credentials: ${String(request.headers['x-api-key'])}` } }
        : { status: 200, body: { token } },
    );
    const spec = writeProject(project.dir, [
      {
        name: 'pg',
        sink_type: 'sql_database',
        connection_secret_ref: 'warehouse-db',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { table: `${pg.schema}.secret_test` },
      },
      {
        name: 'api',
        sink_type: 'rest_api',
        connection_secret_ref: 'crm',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { url: `${target.url}/ok` },
      },
      {
        name: 'echo',
        sink_type: 'rest_api',
        connection_secret_ref: 'echo',
        source_table: join(FIXTURES, 'icebird/athena/example'),
        config: { url: `${target.url}/echo`, retry: { max_attempts: 1 } },
      },
    ]);
    const env = { FLOE_SECRETS_DIR: secrets, FLOE_SECRET_CRM_TOKEN: token, FLOE_SECRET_ECHO_API_KEY: apiKey };
    const plan = await floe(['egress', 'plan', '--spec', spec], { env });
    const run = await floe(['egress', 'run', '--spec', spec, '--trace', 'console', '--preview', '2'], { env });
    const single = await floe(['egress', 'run', '--spec', spec, '--destination', 'pg', '--json'], { env });
    expect(plan.code).toBe(0);
    expect(run.code).toBe(1); // echo fails with 401 (PERMANENT)
    expect(target.requests.some((request) => request.headers['x-api-key'] === apiKey)).toBe(true);
    const saved = JSON.stringify(receipts(join(project.dir, '.floe')));
    const runDirs = readdirSync(join(project.dir, '.floe', 'runs'));
    const files = runDirs.flatMap((dir) =>
      readdirSync(join(project.dir, '.floe', 'runs', dir)).map((file) =>
        readFileSync(join(project.dir, '.floe', 'runs', dir, file), 'utf8'),
      ),
    );
    const everything = [
      plan.stdout,
      plan.stderr,
      run.stdout,
      run.stderr,
      single.stdout,
      single.stderr,
      saved,
      ...files,
    ].join('\n');
    expect(everything).toContain('"status": "failed"');
    expect(everything).toContain('invalid credentials');
    for (const secret of [password, token, apiKey, url.toString(), encodeURIComponent(password)])
      expect(everything).not.toContain(secret);
  });
});
