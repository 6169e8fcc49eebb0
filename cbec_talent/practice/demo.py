"""Demo data for the practice simulator: three more student users and one session with two teams, two rounds
played (team A submitted its own decisions in round 1, the bot played the rest)."""

from __future__ import annotations

from django.db import transaction

from cbec_talent.accounts.models import Role, User, UserRole
from cbec_talent.demo import DEMO_PASSWORD
from cbec_talent.engines.simulation import default_decisions

from . import replay as rp
from .models import SimulationSession
from .services import decision_submit, session_advance, session_create, session_replay

DEMO_TITLE = "第一家店铺实训 First store practice (demo)"
EXTRA_STUDENTS = [
    ("student2", "刘同学 Student Liu"),
    ("student3", "赵同学 Student Zhao"),
    ("student4", "孙同学 Student Sun"),
]


@transaction.atomic
def create_demo_data(password: str = DEMO_PASSWORD) -> SimulationSession:
    """Create (once) the extra students and the demo session; needs the demo users of cbec_talent.demo."""
    for username, display in EXTRA_STUDENTS:
        user, _created = User.objects.get_or_create(username=username, defaults={"display_name": display})
        user.set_password(password)
        user.save()
        UserRole.objects.get_or_create(user=user, role=Role.STUDENT)
    existing = SimulationSession.objects.filter(title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    teacher = User.objects.get(username="teacher")
    session = session_create(
        title=DEMO_TITLE,
        scenario="first_store",
        seed=2026,
        rounds=6,
        round_hours=168,
        teams=[("Team A", ["student", "student2"]), ("Team B", ["student3", "student4"])],
        actor=teacher,
    )
    team_a = session.teams.get(index=0)
    state = session_replay(session).state
    fields = rp.to_fields(state, default_decisions(state), 0)
    fields["price"] = [round(p * 1.1, 2) for p in fields["price"]]
    decision_submit(team=team_a, fields=fields, actor=User.objects.get(username="student"))
    for _ in range(2):
        session = session_advance(session=session, actor=teacher)
    return session
