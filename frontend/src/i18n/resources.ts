/** Every translation of every language at once (tests and the parity check; the app loads one
 * language's bundle at a time, see ./index.ts). `src/i18n/locales/<lang>.json` is the `common`
 * namespace and each feature's `src/features/<name>/locales/<lang>.json` is namespace `<name>`: a new
 * feature adds its two files and uses `useTranslation("<name>")`, nothing to register. */
import type { Tree } from "./bundles/collect";
import en from "./bundles/en";
import fr from "./bundles/fr";
import type { Language } from "./languages";

export { LANGUAGES, type Language } from "./languages";

export type Resources = Record<Language, Record<string, Tree>>;

export const resources: Resources = { en, fr };
export const namespaces: string[] = Object.keys(resources.en);
