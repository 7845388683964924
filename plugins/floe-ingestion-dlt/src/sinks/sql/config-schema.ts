import { z } from 'zod';

/** How a load treats rows already in the table. */
export const WRITE_DISPOSITIONS = ['append', 'replace', 'merge'] as const;

/** `append`: add rows; `replace`: swap in a table holding exactly the loaded rows; `merge`: upsert on `primary_key`. */
export type WriteDisposition = (typeof WRITE_DISPOSITIONS)[number];

/**
 * The `config:` block of a `sql_database` destination in `floe.yaml`. The connection comes from the secret
 * (`url`), never from here.
 *
 * @example
 * ```yaml
 * config:
 *   table: crm.customers
 *   write_disposition: merge
 *   primary_key: [customer_id]
 *   create_table: true
 *   max_concurrency: 2
 *   soft_delete_column: deleted_at   # sync mirror with on_delete: archive
 * ```
 */
export const sqlDatabaseConfigSchema = z
  .strictObject({
    table: z
      .string()
      .describe('Target table, `table` or `db_schema.table` (letters, digits, underscore; ≤ 63 characters each).'),
    write_disposition: z
      .enum(WRITE_DISPOSITIONS)
      .default('append')
      .describe('append (default) | replace (atomic swap) | merge (upsert on primary_key).'),
    primary_key: z
      .union([z.string(), z.array(z.string()).min(1)])
      .optional()
      .describe('Destination-side key column(s), after field mapping; required for merge.'),
    soft_delete_column: z
      .string()
      .optional()
      .describe(
        'sync on_delete: archive — the timestamp column a record that left the source gets set to (its deletion time) ' +
          'instead of being deleted; created with the table (nullable, UTC) when missing. Cleared when the record comes back.',
      ),
    create_table: z
      .boolean()
      .default(true)
      .describe('Create the table (and add new columns) from the data when missing. Default true.'),
    max_concurrency: z
      .number()
      .int()
      .min(1)
      .max(16)
      .optional()
      .describe(
        'Batches written at once, each in its own transaction on its own connection (PostgreSQL, MySQL/MariaDB). ' +
          'Default 1; 2 lets the database work on one batch while the next is encoded and sent. SQLite allows only 1.',
      ),
    naming: z
      .enum(['snake_case', 'direct'])
      .default('snake_case')
      .describe(
        'How source column names become SQL column names: snake_case (default, as dlt: `Breed Name` → `breed_name`, ' +
          '`customerID` → `customer_id`) or direct (as they are). A field_mapping entry is used as written.',
      ),
    url: z
      .unknown()
      .optional()
      .describe('Not here: the database URL holds credentials and comes from the connection secret.'),
  })
  .superRefine(function noUrlInConfig(config, ctx) {
    if (config.url !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['url'],
        message:
          'the database URL holds credentials: put it in the connection secret (connection_secret_ref, key url), not in config',
      });
    }
  });

/** The `config:` block as written. */
export type SqlDatabaseConfigInput = z.input<typeof sqlDatabaseConfigSchema>;

/** The `config:` block with defaults applied. */
export type SqlDatabaseConfig = z.output<typeof sqlDatabaseConfigSchema>;
