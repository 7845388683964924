/** The template that stands for the destination's id of the record (the sync state's `_floe_dest_id`). */
export const DESTINATION_ID_TEMPLATE = 'id';

const TEMPLATE = /\{([^{}]*)\}/g;

/** A path cut into literal text and templates: `/contacts/{id}` → `['/contacts/', { name: 'id' }]`. */
export type PathPart = string | { readonly name: string };

/**
 * The templates of an operation path (`{id}`, `{<field>}`) in order, or why the path is not well formed
 * (an empty `{}`, a brace that does not open or close a template).
 *
 * @example
 * ```ts
 * pathTemplates('/contacts/{id}/emails/{email}'); // { parts: ['/contacts/', { name: 'id' }, '/emails/', { name: 'email' }], names: ['id', 'email'] }
 * ```
 */
export function pathTemplates(
  path: string,
): { readonly parts: readonly PathPart[]; readonly names: readonly string[] } | { readonly problem: string } {
  const parts: PathPart[] = [];
  const names: string[] = [];
  let at = 0;
  for (const match of path.matchAll(TEMPLATE)) {
    const name = (match[1] ?? '').trim();
    if (name === '') return { problem: 'holds an empty template {}: name a mapped field, e.g. {email}, or {id}' };
    if (match.index > at) parts.push(path.slice(at, match.index));
    parts.push({ name });
    names.push(name);
    at = match.index + match[0].length;
  }
  if (at < path.length) parts.push(path.slice(at));
  const literal = parts.filter((part): part is string => typeof part === 'string').join('');
  if (literal.includes('{') || literal.includes('}'))
    return { problem: 'has a brace outside a template: write templates as {id} or {<field>}' };
  return { parts, names };
}

/**
 * The path with each template replaced by its value, URL-encoded (`encodeURIComponent`); `undefined` when a
 * template has no value (the caller says why).
 */
export function fillPath(parts: readonly PathPart[], value: (name: string) => string | undefined): string | undefined {
  let path = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      path += part;
      continue;
    }
    const filled = value(part.name);
    if (filled === undefined) return undefined;
    path += encodeURIComponent(filled);
  }
  return path;
}
