// The Iceberg reader: @floe/lakehouse's own read benchmark (writes an Iceberg table in a child process,
// then streams it with table.batches()), run once per measurement; reports rows/s and peak RSS.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../packages/floe-lakehouse/bench/read.mjs', import.meta.url));

export function icebergPaths({ rows }) {
  let last;
  return {
    iceberg_read: {
      setup: () => {},
      run: () => {
        const result = spawnSync(process.execPath, [script, '--rows', String(rows)], {
          encoding: 'utf8',
          maxBuffer: 16 << 20,
        });
        if (result.status !== 0) throw new Error(`iceberg read bench failed: ${result.stderr}`);
        last = JSON.parse(result.stdout);
        // rows/s is measured inside the reading process, excluding the table's generation.
        return rows / last.rowsPerSecond;
      },
      check: () => {
        if (last.rows !== rows) throw new Error(`iceberg_read: read ${last.rows} rows, expected ${rows}`);
      },
      extra: () => ({ iceberg_read_peak_rss_mb: last.peakRssMB, iceberg_read_rows_per_cpu_s: last.rowsPerCpuSecond }),
    },
    cleanup: () => {},
  };
}
