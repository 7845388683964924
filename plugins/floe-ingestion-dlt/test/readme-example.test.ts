import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';

/** The README's SC-001 example, verbatim between the markers (checked below). */
async function readmeExample() {
  // --- README example: start ---
  const { tableFromArrays } = await import('apache-arrow');
  const { destination, loadToDestination, encodeJsonRows } = await import('@floe/ingestion-dlt');

  // A custom sink: append each batch as JSON lines to an in-memory outbox.
  const outbox: string[] = [];
  const jsonLines = destination(
    async (batch, _table, context) => {
      const lines = encodeJsonRows(batch); // exact JSON, encoded column-wise from Arrow
      const rejected = lines.flatMap((line, index) =>
        line.includes('"email":null') ? [{ index, message: 'email is required' }] : [],
      );
      const accepted = lines.filter((_, index) => !rejected.some((r) => r.index === index));
      outbox.push(...accepted);
      context.addPayload(accepted.join('\n')); // counted in bytesTransmitted and the checksum
      return { rejected };
    },
    { name: 'outbox', identity: 'jsonl:outbox', batchSize: 2 },
  );

  const gold = tableFromArrays({ id: Int32Array.from([1, 2, 3]), email: ['a@x.io', null, 'c@x.io'] });
  const receipt = await loadToDestination(jsonLines, gold, { fieldMapping: { id: 'customer_id' } });
  console.log(receipt.status, receipt.rowsDelivered, receipt.errors[0]);
  // → partial 2 { message: 'email is required', category: 'PERMANENT', row: 1, batch: 0 }
  // --- README example: end ---
  return { outbox, receipt };
}

describe('README example (SC-001)', () => {
  it('runs the custom sink example and gets the receipt it promises', async () => {
    const log = console.log;
    console.log = () => {};
    const { outbox, receipt } = await readmeExample().finally(() => {
      console.log = log;
    });
    expect(outbox).toEqual(['{"customer_id":1,"email":"a@x.io"}', '{"customer_id":3,"email":"c@x.io"}']);
    expect(receipt.status).toBe('partial');
    expect(receipt.rowsDelivered).toBe(2);
    expect(receipt.errors[0]).toEqual({ message: 'email is required', category: 'PERMANENT', row: 1, batch: 0 });
  });

  it('is the code the README shows', () => {
    const source = readFileSync(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const between = source
      .split('// --- README example: start ---\n')[1]!
      .split('  // --- README example: end ---')[0]!;
    const lines = between
      .split('\n')
      .map((line) => line.replace(/^ {2}/, ''))
      .join('\n')
      .trim()
      .replace(/const \{ (\w+) \} = await import\('apache-arrow'\);/, "import { $1 } from 'apache-arrow';")
      .replace(
        /const \{ ([\w, ]+) \} = await import\('@floe\/ingestion-dlt'\);/,
        "import { $1 } from '@floe/ingestion-dlt';",
      );
    expect(readme).toContain(lines);
    expect(lines.split('\n').length).toBeLessThan(30);
  });
});
