from __future__ import annotations

import copy

import pytest
import yaml

from cbec_talent.engines.simulation.scenario import SCENARIO_DIR, load_scenario, scenario_from_dict


@pytest.fixture(scope="session")
def scenarios():
    return {n: load_scenario(n) for n in ("first_store", "multi_market", "peak_season_warehouse")}


@pytest.fixture
def raw_first_store():
    """The first_store YAML as a dict, to build variants with scenario_from_dict."""
    return copy.deepcopy(yaml.safe_load((SCENARIO_DIR / "first_store.yaml").read_text(encoding="utf-8")))


@pytest.fixture
def build():
    return scenario_from_dict
