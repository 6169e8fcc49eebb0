"""Five-in-one stage gating (paper 003: theory teaching -> cognitive demonstration -> simulation -> actual
operation -> certification assessment), read from stored grades; nothing here writes.

Rules (shown to the director and the student):
- The first stage (theory teaching) is always open.
- A later stage opens when the student's attainment of the previous *assessed* stage (the nearest earlier stage
  that has courses with an assessment plan; stages without one are passed through) reaches the programme's
  threshold (AttainmentSetting.stage_threshold_percent, default 60%) and that previous stage is itself open.
- A stage's attainment is the mean of the student's final course scores (0-100% of full marks, the attainment
  engine's course values) over the stage's assessed courses that have grades; with no grade yet it is unknown
  and the next stage stays closed.
- The director may open a closed stage early with a reason (StageOpening, audited); the gate then shows the
  reason, and the following stages are judged by the opened stage's own attainment as usual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from cbec_talent.programmes.models import Course

STAGES: tuple[str, ...] = tuple(value for value, _label in Course.Stage.choices)


def stage_label(stage: str) -> str:
    return str(Course.Stage(stage).label)


@dataclass(frozen=True)
class StageGate:
    stage: str
    open: bool
    reached: bool  # opened by attainment (or the first stage / nothing assessed before it)
    previous: str | None  # the stage whose attainment decides this gate
    previous_attainment: float | None  # % of full marks
    attainment: float | None  # this stage's own attainment, %
    threshold: float
    opening: object | None = None  # the StageOpening, when the director opened it early

    @property
    def label(self) -> str:
        return stage_label(self.stage)

    @property
    def previous_label(self) -> str:
        return stage_label(self.previous) if self.previous else ""

    @property
    def early(self) -> bool:
        return self.opening is not None and not self.reached

    @property
    def why(self) -> str:
        """One sentence: why the gate is open or closed."""
        if self.previous is None:
            return _("Always open: the first stage, or no earlier stage is assessed.")
        values = {
            "stage": self.previous_label,
            "value": "—" if self.previous_attainment is None else f"{self.previous_attainment:g}%",
            "threshold": f"{self.threshold:g}%",
        }
        if self.reached:
            return _("Opened: %(stage)s reached %(value)s (threshold %(threshold)s).") % values
        if self.opening is not None:
            return _("Opened early by %(who)s: %(reason)s") % {
                "who": self.opening.opened_by or "—",
                "reason": self.opening.reason,
            }
        if self.previous_attainment is None:
            return _("Closed: no grade yet in %(stage)s (threshold %(threshold)s).") % values
        return _("Closed: %(stage)s is at %(value)s, below the threshold %(threshold)s.") % values


def _pct(x) -> float | None:
    return None if x is None or not math.isfinite(x) else round(100.0 * float(x), 1)


def stage_values(fig, row: int) -> dict[str, float | None]:
    """Stage -> the student's attainment (%) for every stage that has assessed courses (None: no grade yet)."""
    by_stage: dict[str, list[float]] = {}
    for k, course in enumerate(fig.courses):
        by_stage.setdefault(course.stage, [])
        if fig.result is not None:
            v = float(fig.result.course_values[row, k])
            if math.isfinite(v):
                by_stage[course.stage].append(v)
    return {stage: (_pct(sum(vs) / len(vs)) if vs else None) for stage, vs in by_stage.items()}


def gates(fig, row: int, openings: dict[str, object]) -> list[StageGate]:
    """The five gates of one student (row of ``fig``), in stage order."""
    threshold = float(fig.setting.stage_threshold_percent)
    values = stage_values(fig, row)
    out: list[StageGate] = []
    previous: str | None = None
    open_by_stage: dict[str, bool] = {}
    for stage in STAGES:
        if previous is None:
            reached = True
        else:
            att = values.get(previous)
            reached = open_by_stage[previous] and att is not None and att >= threshold
        opening = openings.get(stage)
        is_open = reached or opening is not None
        open_by_stage[stage] = is_open
        out.append(
            StageGate(
                stage=stage,
                open=is_open,
                reached=reached,
                previous=previous,
                previous_attainment=values.get(previous) if previous else None,
                attainment=values.get(stage),
                threshold=threshold,
                opening=opening,
            )
        )
        if stage in values:
            previous = stage
    return out


def current_stage(stage_gates: list[StageGate]) -> StageGate:
    """The stage the student is in: the last open one."""
    return [g for g in stage_gates if g.open][-1]
