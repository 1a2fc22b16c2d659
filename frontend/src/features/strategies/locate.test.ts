import { describe, expect, it } from "vitest";
import { fieldId, jsonPositions, JsonSyntaxError, lineOf, normalizeLoc, offsetOf, ProblemIndex } from "./locate";
import { pretty } from "./model";

const doc = {
  name: "x",
  parameters: { fast: { type: "int", default: 10, step: "a" } },
  rules: [
    { id: "enter", when: { op: "crosses_above", left: { foo: 1 }, right: "slow_ma" }, action: "buy" },
    {
      id: "exit",
      when: {
        op: "all",
        of: [
          { op: ">", left: "close", right: 1 },
          { op: "not", of: { op: "<", left: "close" } },
        ],
      },
      action: "sell",
    },
  ],
};

describe("normalizeLoc", () => {
  it("drops the union members pydantic names and keeps document steps", () => {
    expect(normalizeLoc(["rules", 0, "when", "crosses_above", "left", "ParamRef", "param"], doc)).toEqual(["rules", 0, "when", "left", "param"]);
    expect(normalizeLoc(["rules", 0, "when", "crosses_above", "left", "function-after[finite(), union[int,float]]", "int"], doc)).toEqual([
      "rules",
      0,
      "when",
      "left",
    ]);
    expect(normalizeLoc(["parameters", "fast", "step", "int"], doc)).toEqual(["parameters", "fast", "step"]);
  });

  it("keeps a missing required key through nested all/not", () => {
    expect(normalizeLoc(["rules", 1, "when", "all", "of", 1, "not", "of", "<", "right"], doc)).toEqual(["rules", 1, "when", "of", 1, "of", "right"]);
  });

  it("passes plain paths through", () => {
    expect(normalizeLoc(["rules", 0, "when", "right"], doc)).toEqual(["rules", 0, "when", "right"]);
    expect(normalizeLoc(["bogus"], doc)).toEqual(["bogus"]);
  });
});

describe("ProblemIndex", () => {
  const index = new ProblemIndex(
    [
      { loc: ["rules", 0, "when", "crosses_above", "left", "ParamRef", "param"], path: "", msg: "Field required", type: "missing" },
      { loc: ["rules", 0], path: "", msg: "duplicate id", type: "x" },
    ],
    doc,
  );
  it("answers a leaf field with everything below it and a container with its own", () => {
    expect(index.error(["rules", 0, "when", "left"])).toBe("Field required");
    expect(index.at(["rules", 0])).toEqual(["duplicate id"]);
    expect(index.count(["rules", 0])).toBe(2);
    expect(index.error(["rules", 1, "when"])).toBeUndefined();
  });
  it("gives fields stable DOM ids", () => {
    expect(fieldId(["rules", 0, "when", "left"])).toBe("sf-rules-0-when-left");
    expect(fieldId(["parameters", "a.b"])).toBe("sf-parameters-a_b");
  });
});

describe("jsonPositions", () => {
  it("finds the line of a path in pretty JSON and in hand-written JSON", () => {
    const text = pretty(doc);
    const positions = jsonPositions(text);
    const line = lineOf(text, offsetOf(positions, ["rules", 1, "when", "of", 1, "of", "right"]));
    // the missing key points at its closest existing parent: the inner comparison
    expect(text.split("\n")[line - 1]).toContain('"of": {');
    const compact = '{"a": 1,\n "b": {"c": [1,\n 2]}}';
    const p = jsonPositions(compact);
    expect(lineOf(compact, offsetOf(p, ["b", "c", 1]))).toBe(3);
    expect(lineOf(compact, offsetOf(p, ["b"]))).toBe(2);
  });
  it("reports where the text is broken", () => {
    expect(() => jsonPositions('{"a": 1,, }')).toThrow(JsonSyntaxError);
    try {
      jsonPositions('{\n"a": tru }');
    } catch (e) {
      expect(lineOf('{\n"a": tru }', (e as JsonSyntaxError).offset)).toBe(2);
    }
  });
});
