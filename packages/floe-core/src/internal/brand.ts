/**
 * Brands survive duplicate copies of `@floe/core` in one process: the key is a global
 * `Symbol.for`, so an error thrown by one copy is recognised by the other's `isX()` guard.
 */
export function brand(target: object, key: symbol): void {
  Object.defineProperty(target, key, { value: true, enumerable: false });
}

/** True when `value` carries the brand `key`. */
export function hasBrand(value: unknown, key: symbol): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[key] === true;
}
