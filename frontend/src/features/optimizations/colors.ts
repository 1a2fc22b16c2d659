/** A perceptually even colour scale (viridis, 9 stops) for heatmap cells, and readable text on it. */
const STOPS: [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [253, 231, 37],
];

/** The colour of `t` in [0, 1] as `rgb(r, g, b)`. */
export function scaleColor(t: number): string {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const [r, g, b] = STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
  return `rgb(${r}, ${g}, ${b})`;
}

/** Black or white, whichever reads better on the colour of `t`. */
export function textOn(t: number): string {
  const [r, g, b] = scaleColor(t)
    .slice(4, -1)
    .split(",")
    .map((c) => Number(c) / 255);
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 0.45 ? "#000" : "#fff";
}

export const LEGEND_GRADIENT = `linear-gradient(to right, ${STOPS.map((_, i) => scaleColor(i / (STOPS.length - 1))).join(", ")})`;
