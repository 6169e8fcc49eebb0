"""The engines' explanations in the reader's language: the simulator's debrief (message keys from the engine,
translated by the app), stored status lines (an import's, the optimiser's), the optimiser's and the class
selection's bilingual texts picked by language."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.utils import translation

from cbec_talent.core.stored_text import shown
from cbec_talent.engines.simulation import run_game, score_roles, score_team
from cbec_talent.engines.simulation.scenario import load_scenario
from cbec_talent.labour_market.models import IMPORT_MESSAGES, PostingImport
from cbec_talent.practice.explanations import KEYS, explanation_text, score_text
from cbec_talent.practice.roles import group_role_scores
from cbec_talent.programmes.selectors import optimiser_status_label

CJK = re.compile(r"[\u4e00-\u9fff]")


def _game():
    return run_game(load_scenario("first_store"), 3, 1, rounds=3)


def test_every_simulator_score_has_a_message_key_the_app_translates():
    _state, results, _ = _game()
    scores = list(score_team(results, 0).scores)
    scores += [s for ts in score_roles(results, _roles(), 0)[1:] for s in ts.scores]
    assert len(scores) >= 10
    for s in scores:
        assert s.key in KEYS, s.key
        with translation.override("en"):
            assert score_text(s) == s.explanation  # English is the engine's own text
        with translation.override("zh-hans"):
            chinese = score_text(s)
        assert CJK.search(chinese) and chinese != s.explanation, chinese
        # the figures are the same in both languages (the Chinese may give them in another order)
        assert sorted(re.findall(r"\d+(?:\.\d+)?", chinese.replace(",", ""))) == sorted(
            re.findall(r"\d+(?:\.\d+)?", s.explanation.replace(",", ""))
        )


def _roles():
    from cbec_talent.engines.simulation import model_role_decisions

    return model_role_decisions(load_scenario("first_store"), 3)


def test_the_multi_role_mean_nests_the_last_rounds_explanation():
    _state, results, _ = _game()
    roles = [_roles()] * len(results)
    logistics = group_role_scores(results, roles, 0)["logistics"].scores[0]
    with translation.override("zh-hans"):
        text = score_text(logistics)
    assert text.startswith(f"{len(results)} 个回合的平均值；最后一回合：卖家准时交付率"), text
    with translation.override("en"):
        assert score_text(logistics).startswith(f"mean of {len(results)} round(s); last round: seller's on-time")


def test_scores_stored_before_the_keys_keep_their_english():
    assert explanation_text("", {}, "fill rate 90.0%") == "fill rate 90.0%"


def test_an_imports_status_line_follows_the_reader():
    for template in IMPORT_MESSAGES:
        assert template.count("%(") <= 2
    with translation.override("en"):
        stored = "1200 postings stored."
    with translation.override("zh-hans"):
        assert shown(stored, IMPORT_MESSAGES) == "已保存 1200 条招聘信息。"
        chinese_stored = shown(stored, IMPORT_MESSAGES)
    with translation.override("en"):
        assert shown(chinese_stored, IMPORT_MESSAGES) == "1200 postings stored."
        assert PostingImport(message="Checking rows…").message_shown == "Checking rows…"
        assert PostingImport(message="something else").message_shown == "something else"
    with translation.override("zh-hans"):
        assert CJK.search(PostingImport(message="Checking rows…").message_shown)


def test_optimiser_status_and_bilingual_texts_in_the_readers_language():
    tpl = Template("{% load cbec %}{{ why|in_language }}")
    why = {"zh": "学分上限约束起作用", "en": "the credit cap binds"}
    with translation.override("zh-hans"):
        assert tpl.render(Context({"why": why})) == "学分上限约束起作用"
        assert optimiser_status_label("infeasible") == "不可行：约束相互冲突"
    with translation.override("en"):
        assert tpl.render(Context({"why": why})) == "the credit cap binds"
        assert tpl.render(Context({"why": {"zh": "只有中文", "en": ""}})) == "只有中文"
        assert optimiser_status_label("optimal") == "optimal"
