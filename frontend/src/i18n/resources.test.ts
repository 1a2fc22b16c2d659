import { describe, expect, it } from "vitest";
import { LANGUAGES, resources } from "./resources";

type Tree = { [key: string]: string | Tree };

/** Every leaf key, plural forms (`_one`, `_many`, …) folded into their base key: languages have
 * different plural forms, but each key must exist in every language. */
function keys(tree: Tree, prefix = ""): Set<string> {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = `${prefix}${key.replace(/_(zero|one|two|few|many|other)$/, "")}`;
    if (typeof value === "string") found.add(path);
    else keys(value, `${path}.`).forEach((k) => found.add(k));
  }
  return found;
}

function interpolations(tree: Tree, prefix = ""): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = `${prefix}${key}`;
    if (typeof value === "string")
      found.set(
        path,
        [...value.matchAll(/{{\s*(\w+)\s*}}/g)]
          .map((m) => m[1])
          .sort()
          .join(","),
      );
    else interpolations(value, `${path}.`).forEach((v, k) => found.set(k, v));
  }
  return found;
}

describe("translations", () => {
  it("have the same namespaces in every language", () => {
    for (const lang of LANGUAGES) expect(Object.keys(resources[lang]).sort(), lang).toEqual(Object.keys(resources.en).sort());
  });

  for (const namespace of Object.keys(resources.en)) {
    it(`${namespace}: fr has every key of en and en every key of fr`, () => {
      const en = keys(resources.en[namespace]);
      const fr = keys(resources.fr[namespace] ?? {});
      expect(
        [...en].filter((k) => !fr.has(k)),
        "missing in fr",
      ).toEqual([]);
      expect(
        [...fr].filter((k) => !en.has(k)),
        "missing in en",
      ).toEqual([]);
    });

    it(`${namespace}: every language fills the same placeholders`, () => {
      const en = interpolations(resources.en[namespace]);
      const fr = interpolations(resources.fr[namespace] ?? {});
      const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, "");
      const enByBase = new Map<string, string>();
      for (const [k, v] of en) enByBase.set(base(k), [enByBase.get(base(k)), v].filter(Boolean).join(","));
      for (const [key, vars] of fr) {
        // a plural form may leave the count out ("aucune", "none"), never invent one
        const expected = enByBase.get(base(key)) ?? "";
        expect(
          vars.split(",").filter((v) => v && !expected.split(",").includes(v)),
          `${namespace}:${key}`,
        ).toEqual([]);
      }
    });
  }
});
