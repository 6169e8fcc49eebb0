"""Scenarios load from YAML with real reference data; bad files fail with a message naming the field."""

from __future__ import annotations

import numpy as np
import pytest

from cbec_talent.engines.simulation.reference import (
    eu_vat_rates,
    fx_window,
    hs_headings,
    load_fx_history,
    shared_data_dir,
)
from cbec_talent.engines.simulation.scenario import list_scenarios, load_scenario, replicate


def test_shipped_scenarios_are_listed_and_load(scenarios):
    assert {"first_store", "multi_market", "peak_season_warehouse"} <= set(list_scenarios())
    for s in scenarios.values():
        assert s.fx.shape == (s.rounds, len(s.markets))
        assert np.isfinite(s.fx).all() and (s.fx > 0).all()


def test_eu_markets_take_vat_from_the_extract_and_others_from_yaml(scenarios):
    mm = {m.code: m for m in scenarios["multi_market"].markets}
    assert mm["DE-amazon"].vat_rate == pytest.approx(0.19)
    assert mm["PL-aliexpress"].vat_rate == pytest.approx(0.23)
    assert mm["GB-ebay"].vat_rate == pytest.approx(0.20)
    assert eu_vat_rates()["SE"] == pytest.approx(0.25)


def test_fx_uses_ecb_rates_of_the_round_dates(scenarios):
    s = scenarios["first_store"]
    hist = load_fx_history()
    i = hist.dates.index("2024-01-02")  # 2024-01-01 was a holiday: the window carries back to 2023-12-29
    j = hist.dates.index("2023-12-29")
    assert i == j + 1
    expected = hist.rates["CNY"][j] / hist.rates["USD"][j]
    assert s.fx[0, 0] == pytest.approx(expected)
    assert s.fx_dates[1] == "2024-01-08"


def test_fx_window_outside_history_is_refused():
    with pytest.raises(ValueError, match="covers"):
        fx_window(load_fx_history(), ["USD"], "2030-01-01", 10, 7)


def test_full_ecb_file_agrees_with_the_shipped_extract():
    path = shared_data_dir() / "ecb-fx-history" / "eurofxref-hist.csv"
    if not path.is_file():
        pytest.skip(f"shared ECB history not found at {path}")
    full, ext = load_fx_history(path), load_fx_history()
    k = full.dates.index("2023-03-15")
    m = ext.dates.index("2023-03-15")
    for cur in ("USD", "GBP", "CNY", "MYR"):
        assert full.rates[cur][k] == ext.rates[cur][m]
    s = load_scenario("multi_market", fx_history_path=path)
    assert np.array_equal(s.fx, load_scenario("multi_market").fx)


def test_hs_extract_matches_shared_file():
    import json

    path = shared_data_dir() / "hs-codes" / "hscodes.json"
    if not path.is_file():
        pytest.skip(f"shared HS codes not found at {path}")
    full = {e["hscode"]: e["description"] for e in json.loads(path.read_text())["hscodes"]}
    for code, text in hs_headings().items():
        assert full[code] == text


def test_missing_field_is_named(build, raw_first_store):
    del raw_first_store["products"][1]["unit_cost"]
    with pytest.raises(ValueError, match=r"products\[1\]: missing field 'unit_cost'"):
        build(raw_first_store)


def test_unknown_hs_heading_and_event_kind_are_refused(build, raw_first_store):
    raw_first_store["products"][0]["hs_heading"] = "0101"
    with pytest.raises(ValueError, match="HS heading 0101"):
        build(raw_first_store)
    raw_first_store["products"][0]["hs_heading"] = "6109"
    raw_first_store["events"].append({"kind": "alien_invasion", "magnitude": 1})
    with pytest.raises(ValueError, match="alien_invasion"):
        build(raw_first_store)


def test_non_eu_market_without_vat_is_refused(build, raw_first_store):
    del raw_first_store["markets"][0]["vat"]
    with pytest.raises(ValueError, match="'vat' needed"):
        build(raw_first_store)


def test_unknown_scenario_name():
    with pytest.raises(ValueError, match="not found"):
        load_scenario("no_such_scenario")


def test_replicate_reaches_benchmark_size(scenarios):
    big = replicate(scenarios["multi_market"], 20, 10)
    assert big.shape == (20, 10) and big.fx.shape == (52, 10)
    assert len({m.code for m in big.markets}) == 10
