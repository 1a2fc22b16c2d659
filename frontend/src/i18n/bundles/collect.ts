export type Tree = { [key: string]: string | Tree };

/** One language's namespaces: `common` from src/i18n/locales, `<feature>` from its locales folder. */
export function bundle(common: Record<string, unknown>, features: Record<string, unknown>): Record<string, Tree> {
  const namespaces: Record<string, Tree> = {};
  for (const tree of Object.values(common)) namespaces.common = tree as Tree;
  for (const [path, tree] of Object.entries(features)) {
    const name = path.match(/features\/([^/]+)\/locales\//)?.[1];
    if (name) namespaces[name] = tree as Tree;
  }
  return namespaces;
}
