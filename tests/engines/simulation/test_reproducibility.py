"""The same seed gives the same game bit for bit; step never changes its input state."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cbec_talent.engines.simulation import default_decisions, new_game, run_game, step


def _fingerprint(state, results):
    arrays = [state.cash, state.home, state.overseas, state.rating, *state.sea_pipe, state.pay_pipe]
    for r in results:
        arrays += [r.orders, r.late, r.returned] + [r.kpis[k] for k in sorted(r.kpis)]
    return b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)


def test_same_seed_same_bits_different_seed_differs(scenarios):
    s = scenarios["multi_market"]
    a = _fingerprint(*run_game(s, 5, 42, rounds=15)[:2])
    b = _fingerprint(*run_game(s, 5, 42, rounds=15)[:2])
    c = _fingerprint(*run_game(s, 5, 43, rounds=15)[:2])
    assert a == b
    assert a != c


def test_step_is_pure(scenarios):
    state = new_game(scenarios["first_store"], 3, 9)
    dec = default_decisions(state)
    before = (state.cash.copy(), state.home.copy(), state.rng_state)
    s1, r1 = step(state, dec)
    s2, r2 = step(state, dec)
    assert np.array_equal(r1.orders, r2.orders) and np.array_equal(s1.cash, s2.cash)
    assert np.array_equal(state.cash, before[0]) and np.array_equal(state.home, before[1])
    assert state.rng_state == before[2] and state.round == 0


def test_run_records_seed_and_parameters(scenarios):
    _, _, record = run_game(scenarios["first_store"], 2, 123, rounds=2)
    assert record.seed == 123 and record.teams == 2 and record.scenario == "first_store"
    assert record.rounds == 52 and record.products == 4 and record.markets == 1
    assert record.parameters["policy"] == "default_decisions"
    assert record.parameters["services"]["payment_fee"] == [0.01, 0.01]


def test_game_ends_after_last_round(scenarios):
    state, results, _ = run_game(scenarios["peak_season_warehouse"], 1, 0)
    assert len(results) == 26 and state.round == 26
    try:
        step(state, default_decisions(state))
    except ValueError as exc:
        assert "game over" in str(exc)
    else:
        raise AssertionError("stepping past the last round must fail")


def test_same_seed_same_bits_across_processes_and_blas_threads():
    import hashlib
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, numpy as np\n"
        "from cbec_talent.engines.simulation import load_scenario, run_game\n"
        "st, res, _ = run_game(load_scenario('peak_season_warehouse'), 300, 2024, rounds=6)\n"
        "h = hashlib.sha256(st.cash.tobytes() + st.rating.tobytes() + st.overseas.tobytes())\n"
        "for r in res:\n"
        "    h.update(r.orders.tobytes() + r.late.tobytes() + r.kpis['profit'].tobytes())\n"
        "print(h.hexdigest())\n"
    )
    digests = set()
    for threads in ("1", "2"):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": threads, "OMP_NUM_THREADS": threads}
        out = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[3],
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1
    assert len(next(iter(digests))) == len(hashlib.sha256().hexdigest())
