import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { PathSegment } from './format-path.js';
import type { Locator, RawIssue } from './raw-issue.js';

/** A parsed YAML document, or the syntax errors that stopped it, each with its position. */
export type ParsedYaml =
  | { readonly ok: true; readonly data: unknown; readonly locate: Locator }
  | { readonly ok: false; readonly errors: readonly (RawIssue & { line?: number; column?: number })[] };

const POSITION_SUFFIX = / at line \d+, column \d+:[\s\S]*$/;

/**
 * Parses YAML text. Syntax errors (including duplicate keys and unresolved aliases) are returned
 * with their 1-based line and column; a successful parse comes with a locator that maps a document
 * path back to its line. After the first syntax error the parser's later errors are mostly its
 * consequences (one tab gives a dozen): only the first is reported, with the number that followed,
 * and every duplicate key (independent of it).
 */
export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const [first, ...rest] = doc.errors;
    const kept = rest.filter((error) => error.code === 'DUPLICATE_KEY');
    const more = rest.length - kept.length;
    const after =
      more > 0 ? ` (and ${more} more syntax ${more === 1 ? 'error' : 'errors'} after it, likely caused by it)` : '';
    return {
      ok: false,
      errors: [first!, ...kept].map((error, index) => {
        const position = error.linePos?.[0];
        const message = `YAML syntax error: ${error.message.replace(POSITION_SUFFIX, '')}${index === 0 ? after : ''}`;
        return {
          segments: [],
          message: position ? `line ${position.line}, column ${position.col}: ${message}` : message,
          ...(position && { line: position.line, column: position.col }),
        };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [{ segments: [], message: `YAML error: ${(error as Error).message}` }] };
  }
  return { ok: true, data, locate: (segments) => locate(doc, lineCounter, segments) };
}

function locate(doc: Document, lineCounter: LineCounter, segments: readonly PathSegment[]) {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (const segment of segments) {
    const child = childOf(node, segment);
    if (!child) break;
    node = child.value;
    offset = child.offset ?? offset;
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function childOf(node: unknown, segment: PathSegment): { value: unknown; offset: number | undefined } | undefined {
  if (isMap(node)) {
    const pair = node.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment),
    );
    if (!pair) return undefined;
    return { value: pair.value, offset: (pair.key as Node).range?.[0] };
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined;
    if (!item) return undefined;
    return { value: item, offset: item.range?.[0] };
  }
  return undefined;
}
