"""The sweep's screening pass from constant-holding segments, without a (bars x combos) equity matrix.

Between two fills a combination holds constant cash C and units u, so on a segment's bars its equity
is E_t = C + u * close_t, computed here with the same float operations as the dense matrix. That gives
everything the screening metrics need at a cost per segment, not per bar:

- Range extremes of the closes (sparse tables) give each segment's highest and lowest equity
  exactly (``u * c + C`` is monotone in ``c`` in floating point too), hence the running peak P
  before each segment. A segment's lowest E_t / peak_t is min(E_lo / P, its inner fall
  min E_t / M_t) with M_t its own running maximum; inner falls are bounded below from the closes'
  falls in the range (more sparse tables) and computed bar by bar only where the bound could beat
  the combination's lowest E_lo / P.
- Bar returns: a flat segment's inner returns are exactly 0; each segment start contributes one
  return E_s / E_{s-1} - 1 computed as the dense pass does; a held segment's inner returns are
  r_t = d_t / (k + c_{t-1}) with d_t = c_t - c_{t-1} and k = C / u. Expanding
  1 / (k + c) = sum_j (-k)^j / c^(j+1) turns sum(r) and sum(r^2) into differences of prefix sums of
  d / c^(j+1) and d^2 / c^(j+2) over the closes, shared by every segment. Each segment takes the
  terms that bring the remainder below float64 rounding; segments where the series would converge
  slowly (short positions, partial sizing: |k| large against the closes), and short ones, are
  summed bar by bar.

Combinations whose equity reaches zero or below, and series with a non-positive close, go through
the dense pass (``scan_screening``), which handles them exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tradewind.engine.trades import Segments
from tradewind.metrics.screening import ReturnSums, scan_screening

EPS = float(np.finfo(np.float64).eps)
# A held segment's returns use the expansion when |k| / (its lowest close) is at most this (<= 39 terms).
MAX_RATIO = 0.35
# Held segments this short (in bars) are summed bar by bar: cheaper than about ten terms.
MIN_EXPANDED = 8
# Combinations per dense block where the segments cannot be used (equity at or below zero).
DENSE_COMBOS = 1024


@dataclass(frozen=True)
class SegmentScreen:
    """Per combination: the bar-return sums, lowest E_t / running peak, and equity at the first and
    last bar."""

    sums: ReturnSums
    lowest: np.ndarray
    first: np.ndarray
    final: np.ndarray


def _terms_needed() -> np.ndarray:
    """The largest ratio q each number of terms J handles: q^J (J + 1) <= EPS (1 - q)^2.

    The remainders of sum(r) and sum(r^2) after J terms are at most sum|d / c| q^J / (1 - q) and
    sum(d^2 / c^2) q^J ((J + 1) / (1 - q) + q / (1 - q)^2), both within EPS of their sums of magnitudes.
    """
    limits: list[float] = []
    j = 1
    while not limits or limits[-1] < MAX_RATIO:
        lo, hi = 0.0, 1.0
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if mid**j * (j + 1) <= EPS * (1 - mid) ** 2 else (lo, mid)
        limits.append(lo)
        j += 1
    return np.asarray(limits)


Q_LIMITS = _terms_needed()  # Q_LIMITS[J - 1]: the largest ratio J terms cover


@dataclass(frozen=True)
class CloseTables:
    """What the segment queries read from one close series (positive closes only).

    Sparse tables over blocks ``[i, i + 2^level)``: extremes, and the deepest fall of the closes
    inside the block as a ratio (min c_t / c_s, s <= t) and as differences (max c_s - c_t, and
    max c_t - c_s for the rise that hurts a short).
    """

    close: np.ndarray
    highest: np.ndarray  # (levels, n)
    lowest: np.ndarray
    fall_ratio: np.ndarray
    fall: np.ndarray
    rise: np.ndarray
    ref: float  # the lowest close: terms are scaled by it so every power of 1 / c stays within (0, 1]
    r1: np.ndarray  # (terms, n) prefix sums over bars 1..t of (d / ref) / (c_{t-1} / ref)^(j + 1)
    r2: np.ndarray  # (terms, n) the same of (j + 1) (d / ref)^2 / (c_{t-1} / ref)^(j + 2)

    @classmethod
    def of(cls, close: np.ndarray) -> CloseTables | None:
        """The tables of ``close``, or None unless every close is positive and finite."""
        close = np.asarray(close, dtype=np.float64)
        if not bool(np.all(close > 0) and np.all(np.isfinite(close))):
            return None
        n = close.shape[0]
        levels = max(1, int(n).bit_length())
        hi, lo = np.empty((levels, n)), np.empty((levels, n))
        ratio, fall, rise = np.ones((levels, n)), np.zeros((levels, n)), np.zeros((levels, n))
        hi[0], lo[0] = close, close
        for level in range(1, levels):
            h = 1 << (level - 1)
            m = n - 2 * h + 1  # blocks of this level that fit
            for table in (hi, lo, ratio, fall, rise):
                table[level] = table[level - 1]  # past the last full block: unused
            left, right = slice(0, m), slice(h, h + m)
            hi[level, :m] = np.maximum(hi[level - 1, left], hi[level - 1, right])
            lo[level, :m] = np.minimum(lo[level - 1, left], lo[level - 1, right])
            ratio[level, :m] = np.minimum(
                np.minimum(ratio[level - 1, left], ratio[level - 1, right]),
                lo[level - 1, right] / hi[level - 1, left],
            )
            fall[level, :m] = np.maximum(
                np.maximum(fall[level - 1, left], fall[level - 1, right]),
                hi[level - 1, left] - lo[level - 1, right],
            )
            rise[level, :m] = np.maximum(
                np.maximum(rise[level - 1, left], rise[level - 1, right]),
                hi[level - 1, right] - lo[level - 1, left],
            )
        ref = float(close.min())
        terms = Q_LIMITS.size
        inv = ref / close[:-1]
        y = np.diff(close) / ref
        r1, r2 = np.zeros((terms, n)), np.zeros((terms, n))
        base1 = y * inv
        base2 = base1 * base1
        for j in range(terms):
            np.cumsum(base1, out=r1[j, 1:])
            np.cumsum(base2, out=r2[j, 1:])
            r2[j] *= j + 1  # the expansion of 1 / (k + c)^2 weighs term j by j + 1
            base1 *= inv
            base2 *= inv
        return cls(close, hi, lo, ratio, fall, rise, ref, r1, r2)

    def extremes(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Max and min of the closes on bars ``start .. end - 1`` (non-empty ranges)."""
        level = _log2(end - start)
        tail = end - (1 << level)
        hi = np.maximum(self.highest[level, start], self.highest[level, tail])
        lo = np.minimum(self.lowest[level, start], self.lowest[level, tail])
        return hi, lo

    def falls(self, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The deepest fall ratio, fall and rise of the closes inside ``start .. end - 1``.

        The range is the union of two blocks A (from ``start``) and B (to ``end``) of one level; a
        pair s <= t lies inside A, inside B, or has s in A - B and t in B - A, two ranges whose
        extremes bound it exactly.
        """
        level = _log2(end - start)
        tail = end - (1 << level)
        ratio = np.minimum(self.fall_ratio[level, start], self.fall_ratio[level, tail])
        fall = np.maximum(self.fall[level, start], self.fall[level, tail])
        rise = np.maximum(self.rise[level, start], self.rise[level, tail])
        split = np.flatnonzero(tail > start)  # A - B = start .. tail - 1, B - A = start + 2^level .. end - 1
        if split.size:
            a_hi, a_lo = self.extremes(start[split], tail[split])
            b_hi, b_lo = self.extremes(start[split] + (1 << level[split]), end[split])
            ratio[split] = np.minimum(ratio[split], b_lo / a_hi)
            fall[split] = np.maximum(fall[split], a_hi - b_lo)
            rise[split] = np.maximum(rise[split], b_hi - a_lo)
        return ratio, fall, rise


def _log2(length: np.ndarray) -> np.ndarray:
    """floor(log2(length)) of positive integers, exactly."""
    return np.frexp(length.astype(np.float64))[1] - 1


def screen_segments(seg: Segments, close: np.ndarray, tables: CloseTables | None = None) -> SegmentScreen:
    """Screening quantities of every combination of ``seg`` (see the module docstring); ``tables``:
    ``CloseTables.of(close)`` when the caller screens several blocks of one series (None: built here)."""
    close = np.asarray(close, dtype=np.float64)
    combo, start, end, cash, units = seg.combo, seg.start, seg.end, seg.cash, seg.units
    if bool(np.any(end <= start)):  # a fill on bar 0 empties the stretch before it
        keep = end > start
        combo, start, end, cash, units = combo[keep], start[keep], end[keep], cash[keep], units[keep]
    width = seg.width
    first_seg = np.ones(combo.size, dtype=bool)
    first_seg[1:] = combo[1:] != combo[:-1]
    heads = np.flatnonzero(first_seg)
    e_first = units * close[start] + cash
    e_last = units * close[end - 1] + cash
    first, final = e_first[heads], e_last[np.append(heads[1:] - 1, combo.size - 1)]
    tables = tables if tables is not None else CloseTables.of(close)
    if tables is None:
        sums, lowest = _dense(seg, close, np.arange(width))
        return SegmentScreen(sums, lowest, first, final)
    c_hi, c_lo = tables.extremes(start, end)
    long = units >= 0
    e_hi = units * np.where(long, c_hi, c_lo) + cash
    e_lo = units * np.where(long, c_lo, c_hi) + cash
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lowest = _lowest_ratio(tables, combo, start, end, cash, units, e_hi, e_lo, first_seg, heads)
        sum1, sum2 = _return_sums(tables, start, end, cash, units, c_lo, e_first, e_last, heads)
    broke = np.zeros(width, dtype=bool)
    broke[combo[~(e_lo > 0)]] = True  # at or below zero (or NaN): the ratios need the exact dense pass
    if broke.any():
        redo = np.flatnonzero(broke)
        sums, lowest[redo] = _dense(seg, close, redo)
        sum1[redo], sum2[redo] = sums.sum1, sums.sum2
    return SegmentScreen(ReturnSums(close.shape[0] - 1, sum1, sum2), lowest, first, final)


def _lowest_ratio(
    tables: CloseTables,
    combo: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    cash: np.ndarray,
    units: np.ndarray,
    e_hi: np.ndarray,
    e_lo: np.ndarray,
    first_seg: np.ndarray,
    heads: np.ndarray,
) -> np.ndarray:
    """min over bars of E_t / running peak per combination (1 when never below a peak).

    With P the peak before a segment and M_t the segment's own running maximum, E_t / max(P, M_t) =
    min(E_t / P, E_t / M_t), so a segment's lowest ratio is min(E_lo / P, its inner fall
    min E_t / M_t), exactly (rounding is monotone). The E_lo / P give each combination a candidate;
    inner falls are bounded below (by E_lo / E_hi, then by the closes' falls) and computed bar by
    bar only where the bound is below the candidate.
    P is a cumulative maximum within each combination: the complex numbers combo + i * E_hi order
    lexicographically, so one ``maximum.accumulate`` over the sorted segments restarts per combination.
    """
    running = np.maximum.accumulate(combo + 1j * e_hi).imag
    peak = np.empty_like(e_hi)
    peak[0] = -np.inf
    peak[1:] = running[:-1]
    peak[first_seg] = -np.inf
    candidate = np.where(peak > 0, e_lo / peak, 1.0)
    best = np.minimum(1.0, np.minimum.reduceat(candidate, heads))
    maybe = np.flatnonzero(e_lo / e_hi < best[combo])
    if maybe.size:
        maybe = maybe[_inner_bound(tables, start, end, cash, units, e_lo, maybe) < best[combo[maybe]]]
    if maybe.size:
        inner = _inner_fall(tables.close, start[maybe], end[maybe], cash[maybe], units[maybe])
        np.minimum.at(best, combo[maybe], inner)
    return best


# Absolute slack on the closes' fall bounds: they are computed from other floats than E_t / M_t.
BOUND_SLACK = 1e-12


def _inner_bound(
    tables: CloseTables,
    start: np.ndarray,
    end: np.ndarray,
    cash: np.ndarray,
    units: np.ndarray,
    e_lo: np.ndarray,
    idx: np.ndarray,
) -> np.ndarray:
    """A lower bound on min E_t / M_t inside segments ``idx``, from the closes' deepest falls.

    E falls by |u| times the closes' fall (long) or rise (short), from a level of at least E_lo;
    for a long with C >= 0, (C + u c_t) / (C + u c_s) >= c_t / c_s as well.
    """
    ratio, fall, rise = tables.falls(start[idx], end[idx])
    u, c = units[idx], cash[idx]
    drop = np.where(u > 0, u * fall, -u * rise)
    bound = 1.0 - drop / e_lo[idx]
    bound = np.where((u > 0) & (c >= 0), np.maximum(bound, ratio), bound)
    return bound - BOUND_SLACK


def _inner_fall(
    close: np.ndarray, start: np.ndarray, end: np.ndarray, cash: np.ndarray, units: np.ndarray
) -> np.ndarray:
    """The exact min E_t / M_t of each segment, bar by bar (M_t: the segment's running maximum)."""
    owner, bar, offsets = _bars_of(start, end)
    equity = units[owner] * close[bar] + cash[owner]
    inside = np.maximum.accumulate(owner + 1j * equity).imag
    return np.minimum.reduceat(equity / inside, offsets)


def _bars_of(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every bar of the ranges ``start .. end - 1`` (non-empty): owner range, bar, and each range's
    first position in the flat list."""
    length = end - start
    offsets = np.zeros(length.size, dtype=np.int64)
    np.cumsum(length[:-1], out=offsets[1:])
    owner = np.repeat(np.arange(length.size), length)
    bar = np.arange(int(length.sum()), dtype=np.int64) + np.repeat(start - offsets, length)
    return owner, bar, offsets


def _return_sums(
    tables: CloseTables,
    start: np.ndarray,
    end: np.ndarray,
    cash: np.ndarray,
    units: np.ndarray,
    c_lo: np.ndarray,
    e_first: np.ndarray,
    e_last: np.ndarray,
    heads: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """sum(r_t) and sum(r_t^2) over bars 1..n-1 per combination: per segment, then per combination."""
    seg1, seg2 = np.empty(start.size), np.empty(start.size)
    np.divide(e_first[1:], e_last[:-1], out=seg1[1:])  # the return into each segment from the last
    seg1[1:] -= 1.0
    seg1[heads] = 0.0  # bar 0 has no return
    np.multiply(seg1, seg1, out=seg2)
    k = cash / units  # the equity per unit beyond the close; inf or NaN when flat, never read then
    ratio = np.abs(k) / c_lo
    length = end - start
    held = (units != 0) & (length >= 2)  # with inner bars 1..length-1
    expand = held & (length > MIN_EXPANDED) & (ratio <= MAX_RATIO) & (np.abs(k) <= tables.ref)
    fast = np.flatnonzero(expand)
    slow = np.flatnonzero(held & ~expand)
    _expanded(tables, start[fast], end[fast], k[fast], ratio[fast], fast, seg1, seg2)
    _inner_by_bar(tables.close, start[slow], end[slow], cash[slow], units[slow], slow, seg1, seg2)
    return np.add.reduceat(seg1, heads), np.add.reduceat(seg2, heads)


def _expanded(
    tables: CloseTables,
    start: np.ndarray,
    end: np.ndarray,
    k: np.ndarray,
    ratio: np.ndarray,
    into: np.ndarray,
    sum1: np.ndarray,
    sum2: np.ndarray,
) -> None:
    """Add the inner return sums of held segments ``into`` from the expansion, each with the terms
    it needs; segments are ordered by their number of terms, most first, so step j updates a prefix."""
    if into.size == 0:
        return
    terms = np.searchsorted(Q_LIMITS, ratio).astype(np.uint8) + 1
    order = np.argsort(Q_LIMITS.size - terms, kind="stable")  # uint8 keys: a radix sort
    active = np.bincount(terms, minlength=Q_LIMITS.size + 1)[::-1].cumsum()[::-1][1:]  # active[j]: terms > j
    lo, hi = start[order], end[order] - 1
    step = -k[order] / tables.ref
    power = np.ones(order.size)
    acc1, acc2 = np.zeros(order.size), np.zeros(order.size)
    a, b = np.empty(order.size), np.empty(order.size)
    for j in range(int(terms.max())):
        m = int(active[j])
        for table, acc in ((tables.r1[j], acc1), (tables.r2[j], acc2)):
            np.take(table, hi[:m], out=a[:m], mode="clip")  # in range; "raise" would buffer
            np.take(table, lo[:m], out=b[:m], mode="clip")
            a[:m] -= b[:m]
            a[:m] *= power[:m]
            acc[:m] += a[:m]
        power[:m] *= step[:m]
    where = into[order]
    sum1[where] += acc1
    sum2[where] += acc2


def _inner_by_bar(
    close: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    cash: np.ndarray,
    units: np.ndarray,
    into: np.ndarray,
    sum1: np.ndarray,
    sum2: np.ndarray,
) -> None:
    """Add the inner return sums of segments ``into`` bar by bar, with the dense pass's operations."""
    if into.size == 0:
        return
    owner, bar, offsets = _bars_of(start, end)
    equity = units[owner] * close[bar] + cash[owner]
    r = np.empty_like(equity)
    np.divide(equity[1:], equity[:-1], out=r[1:])
    r -= 1.0
    r[offsets] = 0.0  # a segment's first bar: its return crosses from the previous segment
    sum1[into] += np.add.reduceat(r, offsets)
    sum2[into] += np.add.reduceat(r * r, offsets)


def _dense(seg: Segments, close: np.ndarray, combos: np.ndarray) -> tuple[ReturnSums, np.ndarray]:
    """The dense pass for ``combos`` (sorted): their equity matrix, ``DENSE_COMBOS`` at a time."""
    sum1, sum2, lowest = np.empty(combos.size), np.empty(combos.size), np.empty(combos.size)
    for lo in range(0, combos.size, DENSE_COMBOS):
        block = combos[lo : lo + DENSE_COMBOS]
        cash, units = seg.holdings(block)
        sums, lowest[lo : lo + block.size] = scan_screening((units * close + cash).T)
        sum1[lo : lo + block.size], sum2[lo : lo + block.size] = sums.sum1, sums.sum2
    return ReturnSums(seg.n_bars - 1, sum1, sum2), lowest
