"""Demand shifts between two windows of postings: for each code of each kind (competency, platform, language),
is its share of postings in the new window different from the previous one?

Method (documented for the director):
- Two-proportion z-test per code: x1 of n1 postings before, x2 of n2 now; pooled p = (x1 + x2) / (n1 + n2),
  z = (x2/n2 - x1/n1) / sqrt(p (1 - p) (1/n1 + 1/n2)); two-sided p-value = erfc(|z| / sqrt 2).
- Benjamini-Hochberg over every code tested in one comparison (all kinds together), controlling the false
  discovery rate at ``alpha`` (q-values: the BH-adjusted p-values, monotone).
- A shift is reported when q <= alpha AND |share now - share before| >= ``min_effect`` (percentage points as
  a fraction): with thousands of postings tiny moves are significant and not worth a director's time.
Pure Python (math only), no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SHIFT_KINDS = ("competency", "platform", "language")


@dataclass(frozen=True)
class Shift:
    kind: str
    code: str
    before: int  # postings carrying the code in the previous window
    before_total: int
    now: int
    now_total: int
    z: float
    p: float
    q: float  # Benjamini-Hochberg adjusted p-value

    @property
    def share_before(self) -> float:
        return self.before / self.before_total if self.before_total else 0.0

    @property
    def share_now(self) -> float:
        return self.now / self.now_total if self.now_total else 0.0

    @property
    def change(self) -> float:
        return self.share_now - self.share_before


def two_proportion_z(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """(z, two-sided p) of the difference x2/n2 - x1/n1; (0, 1) when it is undefined."""
    if n1 <= 0 or n2 <= 0:
        return 0.0, 1.0
    pooled = (x1 + x2) / (n1 + n2)
    var = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if var <= 0:
        return 0.0, 1.0
    z = (x2 / n2 - x1 / n1) / math.sqrt(var)
    return z, math.erfc(abs(z) / math.sqrt(2))


def benjamini_hochberg(pvalues: list[float]) -> list[float]:
    """BH-adjusted p-values (q-values), in the input order."""
    m = len(pvalues)
    order = sorted(range(m), key=lambda i: pvalues[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, pvalues[i] * m / rank)
        q[i] = min(1.0, running)
    return q


def compare_windows(
    before: dict[str, dict[str, int]],
    before_total: int,
    now: dict[str, dict[str, int]],
    now_total: int,
    *,
    kinds: tuple[str, ...] = SHIFT_KINDS,
    alpha: float = 0.05,
    min_effect: float = 0.05,
) -> tuple[list[Shift], list[Shift]]:
    """(shifts worth reporting, every code tested), the reported ones by the size of the change."""
    tested: list[tuple[str, str, int, int, float, float]] = []
    for kind in kinds:
        codes = sorted(set(before.get(kind, {})) | set(now.get(kind, {})))
        for code in codes:
            x1, x2 = before.get(kind, {}).get(code, 0), now.get(kind, {}).get(code, 0)
            z, p = two_proportion_z(x1, before_total, x2, now_total)
            tested.append((kind, code, x1, x2, z, p))
    qs = benjamini_hochberg([t[5] for t in tested])
    every = [
        Shift(kind, code, x1, before_total, x2, now_total, z, p, q)
        for (kind, code, x1, x2, z, p), q in zip(tested, qs, strict=True)
    ]
    reported = [s for s in every if s.q <= alpha and abs(s.change) >= min_effect - 1e-12]
    reported.sort(key=lambda s: (-abs(s.change), s.kind, s.code))
    return reported, every
