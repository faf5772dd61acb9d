/**
 * A value made at its first use and kept: for what a function's cold start should not pay for
 * (a module that is half the bundle, loaded with `import()` at the first event).
 */
export function lazily<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}
