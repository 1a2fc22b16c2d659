export const LANGUAGES = ["en", "fr"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language by its own name (the same whatever language the page is in). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", fr: "Français" };
