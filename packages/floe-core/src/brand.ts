/**
 * Sets a non-enumerable brand on `target`. Brands survive duplicate copies of a package in one process: the key
 * is a global `Symbol.for`, so an error thrown by one copy is recognised by the other's `isX()` guard (where
 * `instanceof` fails).
 *
 * @example
 * ```ts
 * const MY_ERROR = Symbol.for('acme.my-error');
 * class MyError extends Error { constructor(m: string) { super(m); brand(this, MY_ERROR); } }
 * const isMyError = (e: unknown): e is MyError => hasBrand(e, MY_ERROR);
 * ```
 */
export function brand(target: object, key: symbol): void {
  Object.defineProperty(target, key, { value: true, enumerable: false });
}

/** True when `value` carries the brand `key`. */
export function hasBrand(value: unknown, key: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true;
}
