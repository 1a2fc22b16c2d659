/** The API's columnar candles (GET /symbols/{symbol}/candles) as CandleChart's props. */
import type { Schemas } from "../../api/client";
import type { Candle, VolumeBar } from "./CandleChart";

export type CandleColumns = Pick<Schemas["CandlesOut"], "t" | "o" | "h" | "l" | "c" | "v">;

export function candlesFromColumns(columns: CandleColumns): { candles: Candle[]; volume: VolumeBar[] } {
  const candles: Candle[] = [];
  const volume: VolumeBar[] = [];
  for (let i = 0; i < columns.t.length; i++) {
    const time = columns.t[i];
    candles.push({ time, open: columns.o[i], high: columns.h[i], low: columns.l[i], close: columns.c[i] });
    volume.push({ time, value: columns.v[i] });
  }
  return { candles, volume };
}
