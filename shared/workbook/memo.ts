/**
 * A function of a text, worked out once per distinct text. Sheets repeat the same few texts row after row (units,
 * months, names: Excel's shared strings), and each is folded and matched against the catalog on every row.
 * Bounded: past `max` distinct texts it starts over, so a sheet of distinct texts keeps memory flat.
 */
export function perText<T extends NonNullable<unknown> | null>(compute: (text: string) => T, max = 10_000): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let value = known.get(text);
    if (value === undefined) {
      if (known.size >= max) known.clear();
      value = compute(text);
      known.set(text, value);
    }
    return value;
  };
}
