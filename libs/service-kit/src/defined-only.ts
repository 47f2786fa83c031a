/**
 * The properties of `props` whose value is not undefined. Options objects are
 * passed on with a spread, and a key present with `undefined` would override a
 * default further down (`{ ...defaults, ...options }`); this keeps such keys out
 * in one call instead of one `...(x === undefined ? {} : { x })` per option.
 */
export function definedOnly<T extends object>(props: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
