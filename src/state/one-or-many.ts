/** The store's writers take one item or a list; this gives a list either way. */
export function asList<T extends object>(value: T | readonly T[]): readonly T[] {
  return isList(value) ? value : [value];
}

// Array.isArray does not narrow a readonly array out of a union: this guard does.
function isList<T extends object>(value: T | readonly T[]): value is readonly T[] {
  return Array.isArray(value);
}
