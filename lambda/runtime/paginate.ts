/** Follows a list API's continuation token until the last page, collecting every item. */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    all.push(...(page.items ?? []));
    token = page.next || undefined;
    // A token that repeats would loop for ever; stop with a clear error instead.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`Pagination token repeated (${token.slice(0, 20)}…); the listing is not trustworthy`);
      seen.add(token);
    }
  } while (token !== undefined);
  return all;
}
