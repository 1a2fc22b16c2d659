/** i18next set up once for the app: English and French, the choice remembered in localStorage and
 * mirrored on `<html lang>`. Components use `useTranslation("<namespace>")`; numbers and dates go
 * through `./format` (Intl, per language). The app loads only the shown language's translations
 * (one chunk per language, ./bundles); tests pass every resource up front. */
import i18next, { type BackendModule, type i18n as I18n, type Resource } from "i18next";
import { initReactI18next } from "react-i18next";
import type { Tree } from "./bundles/collect";
import { type Language, LANGUAGES } from "./languages";

export { LANGUAGE_NAMES, LANGUAGES, type Language } from "./languages";

export const LANGUAGE_STORAGE = "tradewind.language";

function isLanguage(value: string | null | undefined): value is Language {
  return !!value && (LANGUAGES as readonly string[]).includes(value);
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The remembered choice, else the browser's first language we speak, else English. */
export function initialLanguage(storage: Storage | null = safeStorage(), languages: readonly string[] = navigator.languages ?? []): Language {
  const stored = storage?.getItem(LANGUAGE_STORAGE);
  if (isLanguage(stored)) return stored;
  for (const tag of languages) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return "en";
}

const BUNDLES: Record<Language, () => Promise<{ default: Record<string, Tree> }>> = {
  en: () => import("./bundles/en"),
  fr: () => import("./bundles/fr"),
};

/** Reads a namespace from its language's bundle (one import per language, cached by the bundler). */
const bundleBackend: BackendModule = {
  type: "backend",
  init() {},
  read(language, namespace, callback) {
    if (!isLanguage(language)) return callback(null, {});
    BUNDLES[language]().then(
      (bundle) => callback(null, bundle.default[namespace] ?? {}),
      (error: Error) => callback(error, false),
    );
  },
};

const NAMESPACES = ["common", ...Object.keys(import.meta.glob("../features/*/locales/en.json")).map((path) => path.split("/")[2])];

/** An i18next instance: ready at once with `resources` (tests), or once `ready` resolves (the app). */
export function createI18n(lng: Language = initialLanguage(), resources?: Resource): I18n & { ready: Promise<unknown> } {
  const instance = i18next.createInstance();
  if (!resources) instance.use(bundleBackend);
  const ready = instance.use(initReactI18next).init({
    ...(resources ? { resources, initAsync: false } : {}),
    lng,
    fallbackLng: false,
    supportedLngs: [...LANGUAGES],
    ns: NAMESPACES,
    defaultNS: "common",
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  const mirror = (lang: string) => {
    if (typeof document !== "undefined") document.documentElement.lang = lang;
  };
  mirror(lng);
  instance.on("languageChanged", (lang) => {
    mirror(lang);
    safeStorage()?.setItem(LANGUAGE_STORAGE, lang);
  });
  return Object.assign(instance, { ready });
}
