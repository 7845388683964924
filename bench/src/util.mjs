// Small helpers shared by the benchmark paths.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const PG_URL = process.env.FLOE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.FLOE_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** Seconds taken by `fn`. */
export async function seconds(fn) {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Runs `psql` against PG_URL with ON_ERROR_STOP; returns stdout or throws with stderr. */
export function psql(args) {
  const url = new URL(PG_URL);
  const result = spawnSync(
    'psql',
    [
      '-X',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      url.username || 'postgres',
      url.pathname.slice(1),
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  return result.stdout;
}

export const sql = (text) => psql(['-c', text]);
export const scalar = (text) => psql(['-t', '-A', '-c', text]).trim();

/** Writes through the plugin's public API: startup → createSink → write → shutdown. Throws unless every row landed. */
export async function deliver({ DltIngestionPlugin, SinkConfig }, init, data, expectedRows) {
  const plugin = new DltIngestionPlugin();
  await plugin.startup();
  try {
    const sink = await plugin.createSink(new SinkConfig(init));
    const receipt = await plugin.write(sink, data);
    if (!receipt.success || receipt.rowsDelivered !== expectedRows) {
      throw new Error(`${init.sinkType} delivery incomplete: ${JSON.stringify(receipt.toJSON()).slice(0, 600)}`);
    }
    return receipt;
  } finally {
    await plugin.shutdown();
  }
}
