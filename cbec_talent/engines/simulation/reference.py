"""Reference data: ECB FX history, EU VAT rates, HS headings (small extracts shipped in ``data/``)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent / "data"
FX_EXTRACT = DATA_DIR / "ecb_fx_extract.csv"


@dataclass(frozen=True)
class FxHistory:
    """Daily ECB reference rates: units of each currency per 1 EUR (NaN where the ECB published none)."""

    dates: tuple[str, ...]  # ISO dates, ascending
    rates: dict[str, np.ndarray]  # currency -> (len(dates),)
    source: str


def shared_data_dir() -> Path:
    """The project's shared reference data folder (env ``CBEC_SHARED_DATA`` wins)."""
    env = os.environ.get("CBEC_SHARED_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[4] / "shared" / "data"


def load_fx_history(path: str | Path | None = None) -> FxHistory:
    """Read an ECB ``eurofxref-hist.csv`` (full file) or the shipped extract when ``path`` is None."""
    p = Path(path) if path is not None else FX_EXTRACT
    return _load_fx(str(p))


@lru_cache(maxsize=4)
def _load_fx(path: str) -> FxHistory:
    with open(path, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.reader(f) if r]
    header = [h.strip() for h in rows[0]]
    cols = [(i, h) for i, h in enumerate(header) if h and h != "Date"]
    body = sorted(rows[1:], key=lambda r: r[0].strip())
    dates = tuple(r[0].strip() for r in body)
    rates: dict[str, np.ndarray] = {}
    for i, name in cols:
        vals = np.full(len(body), np.nan)
        for j, r in enumerate(body):
            cell = r[i].strip() if i < len(r) else ""
            if cell and cell != "N/A":
                vals[j] = float(cell)
        rates[name] = vals
    return FxHistory(dates=dates, rates=rates, source=path)


def fx_window(
    history: FxHistory, currencies: list[str], start: str, rounds: int, round_days: int
) -> tuple[np.ndarray, tuple[str, ...]]:
    """CNY per unit of each currency at the start of every round, shape (rounds, len(currencies)).

    Each round takes the last ECB fixing on or before its date. Raises ValueError when the window is not
    covered by the history (so a scenario never runs on invented rates).
    """
    first = dt.date.fromisoformat(start)
    targets = [(first + dt.timedelta(days=round_days * r)).isoformat() for r in range(rounds)]
    dates = np.array(history.dates)
    idx = np.searchsorted(dates, np.array(targets), side="right") - 1
    if idx.min() < 0 or targets[-1] > history.dates[-1]:
        raise ValueError(
            f"FX history {history.source} covers {history.dates[0]}..{history.dates[-1]}, "
            f"scenario needs {targets[0]}..{targets[-1]}"
        )
    out = np.empty((rounds, len(currencies)))
    cny = _filled(history, "CNY")[idx]
    for k, cur in enumerate(currencies):
        per_eur = np.ones(rounds) if cur == "EUR" else _filled(history, cur)[idx]
        if cur == "CNY":
            per_eur = cny
        out[:, k] = cny / per_eur
    if not np.isfinite(out).all():
        raise ValueError(f"FX history {history.source} lacks rates for {currencies} in the window")
    return out, tuple(targets)


def _filled(history: FxHistory, cur: str) -> np.ndarray:
    if cur not in history.rates:
        raise ValueError(f"currency {cur} not in FX history {history.source}")
    v = history.rates[cur].copy()
    for i in range(1, len(v)):  # carry the last fixing over holidays
        if np.isnan(v[i]):
            v[i] = v[i - 1]
    return v


@lru_cache(maxsize=1)
def eu_vat_rates() -> dict[str, float]:
    """Standard VAT rate (as a share) of the EU countries in the shipped extract."""
    raw = json.loads((DATA_DIR / "eu_vat_extract.json").read_text(encoding="utf-8"))
    return {c: float(v["standard"]) / 100.0 for c, v in raw["standard_rates_percent"].items()}


@lru_cache(maxsize=1)
def hs_headings() -> dict[str, str]:
    """HS 2022 heading -> description for the headings shipped in the extract."""
    raw = json.loads((DATA_DIR / "hs_extract.json").read_text(encoding="utf-8"))
    return {k: v["description"] for k, v in raw["headings"].items()}
