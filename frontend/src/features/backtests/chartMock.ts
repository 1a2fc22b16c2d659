import { vi } from "vitest";

/** lightweight-charts replaced by a recorder (jsdom has no canvas). */
export function chartMock() {
  const series = () => ({ setData: vi.fn(), applyOptions: vi.fn() });
  return {
    createChart: vi.fn(() => ({
      addSeries: vi.fn(series),
      removeSeries: vi.fn(),
      applyOptions: vi.fn(),
      priceScale: vi.fn(() => ({ applyOptions: vi.fn() })),
      timeScale: vi.fn(() => ({ fitContent: vi.fn() })),
      remove: vi.fn(),
    })),
    createSeriesMarkers: vi.fn(() => ({ setMarkers: vi.fn() })),
    CandlestickSeries: "Candlestick",
    HistogramSeries: "Histogram",
    LineSeries: "Line",
    AreaSeries: "Area",
    ColorType: { Solid: "solid" },
    CrosshairMode: { Normal: 0 },
  };
}
