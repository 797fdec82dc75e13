/** A page of a list API: its items and the token of the next page (absent or empty on the last). */
export interface Page<T> {
  readonly items: readonly T[] | undefined;
  readonly next: string | undefined;
}

/** Follows a list API's continuation token to the last page, handing each item on without keeping the pages. */
export async function forEachPage<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>, onItem: (item: T) => void): Promise<void> {
  let token: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(token);
    for (const item of page.items ?? []) onItem(item);
    token = page.next || undefined;
    // A token that repeats would loop for ever; stop with a clear error instead.
    if (token !== undefined) {
      if (seen.has(token)) throw new Error(`Pagination token repeated (${token.slice(0, 20)}…); the listing is not trustworthy`);
      seen.add(token);
    }
  } while (token !== undefined);
}

/** Every item of every page, for listings known to be small (tags of one resource, the exempt resources). */
export async function collectPages<T>(fetchPage: (token: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const all: T[] = [];
  await forEachPage(fetchPage, (item) => all.push(item));
  return all;
}
