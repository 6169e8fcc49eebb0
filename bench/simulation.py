"""Benchmark: the vectorised practice simulator vs a straightforward per-agent Mesa model of the same rules.

Size: 1,000 teams x 52 weekly rounds x 20 products x 10 markets (the multi_market scenario repeated to that
size, random events off so both models face the same rules). Decisions are the bot's, computed once and
held fixed, so only the round step is timed. Ours: median of 5 full games. Mesa: one Agent per team, stepping
every product and market in Python loops, run on fewer teams (``--mesa-teams``) and compared per team-round.

Run: .venv/bin/python bench/simulation.py [--quick]
The last line is one JSON object.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # the machine is shared; BLAS threads only add contention

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

from cbec_talent.engines.simulation import default_decisions, load_scenario, new_game, step  # noqa: E402
from cbec_talent.engines.simulation.game import (  # noqa: E402
    LOCAL_DAYS,
    LOCAL_FULFIL_FIXED,
    LOCAL_FULFIL_KG,
    PRIOR_RATING,
    PRIOR_REVIEWS,
)
from cbec_talent.engines.simulation.scenario import replicate  # noqa: E402

try:
    import mesa
except ImportError:  # pragma: no cover - reported in the output
    mesa = None


def make_scenario(products: int, markets: int):
    s = replicate(load_scenario("multi_market"), products, markets)
    return dataclasses.replace(s, events=())


def run_ours(scenario, teams: int, seed: int):
    state = new_game(scenario, teams, seed)
    dec = default_decisions(state)
    t0, c0 = time.perf_counter(), time.process_time()
    revenue = 0.0
    late = sent = 0
    for _ in range(scenario.rounds):
        state, res = step(state, dec)
        revenue += float(res.kpis["revenue"].sum())
        late += int(res.late.sum())
        sent += int(res.shipped.sum())
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    ok = bool(
        (
            state.units_bought
            == state.units_kept + state.units_lost + state.units_in_stock() + state.units_in_transit()
        ).all()
        and state.home.min() >= 0
        and state.overseas.min() >= 0
    )
    return wall, cpu, revenue / (teams * scenario.rounds), 1.0 - late / max(sent, 1), ok


# ---------------------------------------------------------------- Mesa baseline: the same rules, per agent
if mesa is not None:

    class StoreAgent(mesa.Agent):
        """One team's store; ``step`` walks every product and market in Python."""

        def __init__(self, model, team: int):
            super().__init__(model)
            s, P, M = model.s, model.P, model.M
            self.team = team
            self.cash = s.initial_cash
            self.home = [s.initial_stock] * P
            self.overseas = [[0] * M for _ in range(P)]
            self.supply = [[0] * max(s.supply_lead, 1) for _ in range(P)]
            self.sea = [[[0] * model.S for _ in range(M)] for _ in range(P)]
            self.pay = [[0.0] * model.D for _ in range(M)]
            self.content = [[0.0] * M for _ in range(P)]
            self.images = [[0.0] * M for _ in range(P)]
            self.rating = [[PRIOR_RATING] * M for _ in range(P)]
            self.reviews = [[0.0] * M for _ in range(P)]
            self.penalty = [0] * M
            self.revenue = 0.0
            self.sent = 0
            self.late_n = 0

        def step(self):  # noqa: C901 - a deliberately plain loop model
            m_, s, d, rng, r = self.model, self.model.s, self.model.d, self.model.rng, self.model.round
            P, M, t, dec = m_.P, m_.M, self.team, m_.dec
            fx = [float(x) for x in s.fx[r]]
            for p in range(P):
                self.home[p] += self.supply[p].pop(0)
                self.supply[p].append(0)
                for m in range(M):
                    self.overseas[p][m] += self.sea[p][m].pop(0)
                    self.sea[p][m].append(0)
            for m in range(M):
                due = self.pay[m].pop(0)
                self.pay[m].append(0.0)
                self.cash += due * fx[m] * ((1 - s.payment_fee - s.fx_spread) if due > 0 else 1.0)
            orders = [[0] * M for _ in range(P)]
            late_m = [0] * M
            ship_m = [0] * M
            msgs = [0.0] * M
            for p in range(P):
                need = [0] * M
                from_ovs = [0] * M
                for m in range(M):
                    c, im = float(dec.content[t, p, m]), float(dec.images[t, p, m])
                    self.cash -= s.translation_cost * max(c - self.content[p][m], 0.0)
                    self.cash -= s.image_cost * max(im - self.images[p][m], 0.0)
                    self.content[p][m], self.images[p][m] = c, im
                    price = float(dec.price_local[t, p, m])
                    ad = float(dec.ad_spend[t, p, m]) if price > 0 else 0.0
                    self.cash -= ad
                    if price <= 0:
                        continue
                    q = 0.45 * c + 0.2 * im + 0.35 * (self.rating[p][m] - 1.0) / 4.0
                    lam = float(d.demand[p, m] * d.season[r, m]) * math.exp(
                        1.2 * (q - 0.5) - float(d.elasticity[m]) * math.log(max(price / float(d.ref_local[p, m]), 1e-3))
                    )
                    lam *= 1.0 + float(d.ad_eff[m]) * math.log1p(ad / 50.0)
                    if c < float(d.min_content[m]):
                        lam *= 0.2
                    if self.penalty[m] > 0:
                        lam *= float(d.pen_factor[m])
                    n = int(rng.poisson(min(lam, 1e5)))
                    orders[p][m] = n
                    fo = min(n, self.overseas[p][m])
                    self.overseas[p][m] -= fo
                    from_ovs[m] = fo
                    need[m] = n - fo
                tot = sum(need)
                frac = 1.0 if tot <= self.home[p] else self.home[p] / tot
                for m in range(M):
                    fh = need[m] if frac == 1.0 else min(int(need[m] * frac + 1e-6), need[m])
                    self.home[p] -= fh
                    fo = from_ovs[m]
                    shipped = fh + fo
                    if shipped == 0:
                        msgs[m] += orders[p][m] * s.message_rate
                        continue
                    express = bool(dec.express[t, p, m])
                    days = float(d.express_days[m] if express else d.postal_days[m])
                    p_dir = 1.0 / (1.0 + math.exp((float(d.promise[m]) - days) / 1.5))
                    p_loc = 1.0 / (1.0 + math.exp((float(d.promise[m]) - LOCAL_DAYS) / 1.5))
                    late = int(rng.binomial(fh, p_dir)) + int(rng.binomial(fo, p_loc))
                    c = self.content[p][m]
                    rr = min(float(d.return_rate[p]) * (1.3 - 0.6 * c) * (1.0 + late / shipped), 1.0)
                    ret = int(rng.binomial(shipped, rr))
                    ret_ovs = min(int(ret * fo / shipped), ret)
                    ret_dir = ret - ret_ovs
                    restock = int(ret_ovs * s.return_restock_local) + int(ret_dir * s.return_restock_direct)
                    self.overseas[p][m] += restock
                    kept = shipped - ret
                    msgs[m] += orders[p][m] * s.message_rate + ret
                    late_m[m] += late
                    ship_m[m] += shipped
                    self.sent += shipped
                    self.late_n += late
                    price = float(dec.price_local[t, p, m])
                    net = price / (1.0 + float(d.vat[m]))
                    if price > float(d.threshold[m]):
                        self.cash -= float(d.duty[p, m]) * net * fh * fx[m] + 0.1 * fh * s.broker_fee * 1.04
                    fee = (float(d.commission[m]) * price + float(d.fixed_fee[m]) / fx[m]) * shipped
                    self.pay[m][int(d.pay_idx[m])] += net * kept - fee
                    self.revenue += net * kept * fx[m]
                    rate = (s.express_cost_kg if express else s.postal_cost_kg) * float(d.weight[p])
                    self.cash -= rate * fh + 0.5 * s.postal_cost_kg * float(d.weight[p]) * ret_dir
                    self.cash -= (LOCAL_FULFIL_FIXED + LOCAL_FULFIL_KG * float(d.weight[p])) * fo
                    new_rev = kept * float(d.review_rate[m])
                    score = (
                        4.7
                        - 2.5 * late / shipped
                        - 2.0 * ret / shipped
                        + 0.4 * (self.images[p][m] - 0.5)
                        + 0.3 * (c - 0.5)
                        + 0.4 * float(rng.standard_normal()) / math.sqrt(1.0 + new_rev)
                    )
                    score = min(max(score, 1.0), 5.0)
                    w = self.reviews[p][m] + PRIOR_REVIEWS
                    self.rating[p][m] = (self.rating[p][m] * w + score * new_rev) / (w + new_rev)
                    self.reviews[p][m] += new_rev
            for m in range(M):
                hours = float(dec.reply_hours[t, m])
                self.cash -= hours * s.reply_wage
                ok = 1.0 if msgs[m] <= 0 else min(1.0, hours * s.replies_per_hour / msgs[m])
                lm = late_m[m] / ship_m[m] if ship_m[m] else 0.0
                if (lm > float(d.late_thr[m]) or ok < 0.5) and int(d.pen_rounds[m]) > 0:
                    self.penalty[m] = int(d.pen_rounds[m])
                else:
                    self.penalty[m] = max(self.penalty[m] - 1, 0)
            for p in range(P):
                want = [max(int(dec.ship_sea[t, p, m]), 0) for m in range(M)]
                tot = sum(want)
                frac = 1.0 if tot <= self.home[p] else self.home[p] / tot
                for m in range(M):
                    k = want[m] if frac == 1.0 else min(int(want[m] * frac + 1e-6), want[m])
                    if k:
                        self.home[p] -= k
                        self.sea[p][m][int(d.sea_rounds[m]) - 1] += k
                        self.cash -= (
                            s.sea_cost_kg * float(d.weight[p]) * k
                            + float(d.duty[p, m]) * float(d.unit_cost[p]) * k
                            + s.broker_fee * 1.04
                        )
                    self.cash -= self.overseas[p][m] * float(d.storage[m])
            for p in range(P):
                k = max(int(dec.reorder[t, p]), 0)
                cost = k * float(d.unit_cost[p])
                if cost > self.cash:
                    k = max(int(k * max(self.cash, 0.0) / cost), 0)
                self.supply[p][-1] += k
                self.cash -= k * float(d.unit_cost[p])
            if self.cash < 0:
                self.cash -= -self.cash * s.overdraft_rate

    class StoreModel(mesa.Model):
        def __init__(self, scenario, teams: int, seed: int, dec, derived):
            super().__init__(seed=seed)
            self.s, self.d, self.dec = scenario, derived, dec
            self.P, self.M = scenario.shape
            self.S = int(derived.sea_rounds.max()) + 4
            self.D = int(derived.pay_idx.max()) + 1
            self.round = 0
            for t in range(teams):
                StoreAgent(self, t)

        def step(self):
            self.agents.do("step")
            self.round += 1


def run_mesa(scenario, teams: int, seed: int):
    state = new_game(scenario, teams, seed)
    dec = default_decisions(state)
    model = StoreModel(scenario, teams, seed, dec, state.derived)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(scenario.rounds):
        model.step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    agents = list(model.agents)
    revenue = sum(a.revenue for a in agents) / (teams * scenario.rounds)
    sent = sum(a.sent for a in agents)
    ontime = 1.0 - sum(a.late_n for a in agents) / sent if sent else 1.0
    return wall, cpu, revenue, ontime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="100 teams, 3 repeats, 2 Mesa teams")
    ap.add_argument("--teams", type=int, default=None)
    ap.add_argument("--mesa-teams", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=None)
    args = ap.parse_args()
    teams = args.teams or (100 if args.quick else 1000)
    mesa_teams = args.mesa_teams or (2 if args.quick else 10)
    repeats = args.repeats or (3 if args.quick else 5)
    products, markets = 20, 10
    scenario = make_scenario(products, markets)
    rounds = scenario.rounds
    load = os.getloadavg()[0]
    print(
        f"scenario {scenario.name}: {teams} teams x {rounds} rounds x {products} products x {markets} markets; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )
    # ours and Mesa alternate, so both see the same load on this shared machine
    runs, mruns = [], []
    for _ in range(repeats):
        runs.append(run_ours(scenario, teams, seed=7))
        if mesa is not None:
            mruns.append(run_mesa(scenario, mesa_teams, seed=7))
    walls = [r[0] for r in runs]
    cpus = [r[1] for r in runs]
    med, cpu_med = statistics.median(walls), statistics.median(cpus)
    ours_rate = teams * rounds / med
    identical = len({round(r[2], 9) for r in runs}) == 1
    print(
        f"ours (numpy, vectorised): median {med:.3f} s wall ({cpu_med:.3f} s CPU) of {repeats}: "
        f"{ours_rate:,.0f} team-rounds/s; runs {', '.join(f'{w:.2f}' for w in walls)} s"
    )
    result = {"team_rounds_per_s": round(ours_rate, 1), "median_s": round(med, 4), "cpu_median_s": round(cpu_med, 4)}
    if mesa is None:
        print("Mesa baseline: not run (pip install mesa)")
        result.update(baseline_median_s=None, ratio=None)
    else:
        m_med = statistics.median(r[0] for r in mruns)
        m_cpu = statistics.median(r[1] for r in mruns)
        mesa_rate = mesa_teams * rounds / m_med
        cpu_ratio = (teams * rounds / cpu_med) / (mesa_teams * rounds / m_cpu)
        print(
            f"Mesa {mesa.__version__} (per-agent Python loops), {mesa_teams} teams: median {m_med:.3f} s wall "
            f"({m_cpu:.3f} s CPU) of "
            f"{len(mruns)}: {mesa_rate:,.0f} team-rounds/s (per team-round rate; smaller team count)"
        )
        print(
            f"ratio (ours / Mesa, team-rounds per second): {ours_rate / mesa_rate:,.0f}x wall, "
            f"{cpu_ratio:,.0f}x CPU time"
        )
        print(
            f"same rules check: revenue per team-round ours {runs[0][2]:,.1f} CNY vs Mesa {mruns[0][2]:,.1f}; "
            f"on-time ours {runs[0][3]:.3f} vs Mesa {mruns[0][3]:.3f}"
        )
        result.update(
            baseline_team_rounds_per_s=round(mesa_rate, 1),
            baseline_median_s=round(m_med, 4),
            baseline_teams=mesa_teams,
            ratio=round(ours_rate / mesa_rate, 1),
            cpu_ratio=round(cpu_ratio, 1),
            baseline_revenue_per_team_round=round(mruns[0][2], 2),
            baseline_on_time=round(mruns[0][3], 4),
        )
    result.update(
        teams=teams,
        rounds=rounds,
        products=products,
        markets=markets,
        repeats=repeats,
        revenue_per_team_round=round(runs[0][2], 2),
        on_time=round(runs[0][3], 4),
        conservation_ok=all(r[4] for r in runs),
        reproducible=identical,
        load_average=round(load, 2),
        target_s=3.0,
        within_target=med <= 3.0,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
