import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { fromZodIssues } from '../../src/internal/zod-issues.js';

function messages(schema: z.ZodType, input: unknown): string[] {
  const parsed = schema.safeParse(input);
  if (parsed.success) return [];
  return fromZodIssues(parsed.error.issues, input).map((i) => `${i.segments.join('.')}: ${i.message}`);
}

describe('fromZodIssues', () => {
  it('rewords type, size and option issues', () => {
    const schema = z.object({
      a: z.string().min(3),
      b: z.array(z.number()).max(1),
      c: z.number().lt(5),
      d: z.union([z.string(), z.number()]),
      e: z.string().regex(/^x$/),
      f: z.email(),
      g: z.string().max(1),
      h: z.number().gt(0),
      i: z.boolean(),
    });
    expect(messages(schema, { a: 'ab', b: [1, 2], c: 5, d: null, e: 'y', f: 'nope', g: 'ab', h: 0, i: 'no' })).toEqual([
      'a: must be at least 3 characters',
      'b: must list at most 1 item',
      'c: must be < 5 (got 5)',
      'd: does not match any allowed form (got null)',
      'e: must match the pattern /^x$/ (got "y")',
      'f: must be a valid e-mail address (got "nope")',
      'g: must be at most 1 characters',
      'h: must be > 0 (got 0)',
      'i: must be true or false (got "no")',
    ]);
  });

  it('keeps custom messages and describes long values', () => {
    const schema = z.object({ a: z.string().refine(() => false, 'custom problem'), b: z.number() });
    expect(messages(schema, { a: 'x', b: 'y'.repeat(50) })).toEqual([
      'a: custom problem',
      `b: must be a number (got "${'y'.repeat(37)}...")`,
    ]);
  });

  it('says to remove the quotes from a number or boolean written as a string', () => {
    const schema = z.object({ n: z.number().int(), b: z.boolean(), s: z.number() });
    expect(messages(schema, { n: '100', b: 'true', s: 'ten' })).toEqual([
      'n: must be a number (got "100"; remove the quotes in YAML)',
      'b: must be true or false (got "true"; remove the quotes in YAML)',
      's: must be a number (got "ten")',
    ]);
  });

  it('names unknown keys without an allowed list when the schema gives none', () => {
    expect(messages(z.strictObject({}), { x: 1 })).toEqual(['x: unknown key "x"']);
  });
});
