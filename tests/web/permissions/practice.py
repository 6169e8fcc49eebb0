"""Practice simulator: staff run sessions, a student sees the sessions and team they play in, tutors see nothing."""

STAFF_AND_MEMBER = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 200}
STAFF = {"administrator": 200, "director": 200, "teacher": 200, "enterprise_tutor": 403, "student": 403}
ROLE_PLAYER_POST = {"administrator": 403, "director": 403, "teacher": 403, "enterprise_tutor": 403, "student": 200}
RUNNERS_POST = {"administrator": 302, "director": 302, "teacher": 302, "enterprise_tutor": 403, "student": 403}

EXPECTATIONS = {
    "practice:sessions": ("/practice/", "get", STAFF_AND_MEMBER, 302),
    "practice:session_create": ("/practice/new/", "get", STAFF, 302),
    "practice:session": ("/practice/{psession}/", "get", STAFF_AND_MEMBER, 302),
    "practice:session_advance": ("/practice/{psession}/advance/", "post", RUNNERS_POST, 302),
    "practice:team": ("/practice/teams/{pteam}/", "get", STAFF_AND_MEMBER, 302),
    # only the member who plays the role may post its terms (the empty form is shown again with its errors)
    "practice:team_role": ("/practice/teams/{prole_team}/roles/logistics/", "post", ROLE_PLAYER_POST, 302),
    "practice:team_debrief": ("/practice/teams/{pteam}/debrief/", "get", STAFF_AND_MEMBER, 302),
}


def prepare(role_users, reference):
    from cbec_talent.practice.services import session_create

    session = session_create(
        title="Permission matrix",
        scenario="first_store",
        seed=1,
        rounds=3,
        round_hours=24,
        teams=[("Team 1", [role_users["student"].username])],
        actor=role_users["teacher"],
    )
    roles = session_create(
        title="Permission matrix, multi-role",
        scenario="first_store",
        seed=1,
        rounds=2,
        round_hours=24,
        teams=[("Team R", [f"{role_users['student'].username}(logistics)"])],
        actor=role_users["teacher"],
        multi_role=True,
    )
    return {"psession": session.pk, "pteam": session.teams.get().pk, "prole_team": roles.teams.get().pk}
