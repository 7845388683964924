// Peak memory of an egress run: streams N generated rows (record batches made on the fly, never the whole
// table) through the sql_database sink into PostgreSQL in a child process, and reports its peak RSS.
//   node src/rss.mjs --rows 10000000
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchBatches } from './data.mjs';
import { deliver, PG_URL, sql } from './util.mjs';

/** Runs one streaming egress of `rows` rows in a fresh process; resolves `{ rows, rssMb, seconds }`. */
export function measureRss(rows) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--rows', String(rows)], {
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    child.once('message', resolve);
    child.once('exit', (code) =>
      code === 0 ? undefined : reject(new Error(`rss run of ${rows} rows exited ${code}`)),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
  const rows = Number(values.rows);
  const [{ SinkConfig }, { DltIngestionPlugin }] = await Promise.all([
    import('@floe/core'),
    import('@floe/ingestion-dlt'),
  ]);
  sql('CREATE SCHEMA IF NOT EXISTS floe_bench_rss; DROP TABLE IF EXISTS floe_bench_rss.t');
  const started = performance.now();
  await deliver(
    { SinkConfig, DltIngestionPlugin },
    {
      sinkType: 'sql_database',
      name: 'bench-rss',
      batchSize: 50_000,
      connectionConfig: {
        url: PG_URL,
        table: 'floe_bench_rss.t',
        write_disposition: 'append',
        primary_key: ['id'],
        max_concurrency: 2,
      },
    },
    benchBatches(rows),
    rows,
  );
  const secondsTaken = (performance.now() - started) / 1000;
  sql('DROP SCHEMA floe_bench_rss CASCADE');
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.send?.({ rows, rssMb, seconds: secondsTaken });
  if (!process.send) console.log(JSON.stringify({ rows, rssMb, seconds: secondsTaken }));
}
