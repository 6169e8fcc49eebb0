"""Writes of the accounts app that are not Django's own (sign-in, passwords): per-user flags."""

from __future__ import annotations

from .models import UserFlag


def flag_set(*, user, key: str) -> bool:
    """Remember ``key`` for ``user`` (once; later calls change nothing); returns whether it is new. Anonymous
    users are not remembered."""
    if not getattr(user, "pk", None):
        return False
    _flag, created = UserFlag.objects.get_or_create(user=user, key=key[:60])
    return created
