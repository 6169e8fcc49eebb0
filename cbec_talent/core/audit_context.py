"""Who is acting right now: set by the web middleware, the CLI and background tasks; read by the audit log."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

_actor: contextvars.ContextVar = contextvars.ContextVar("cbec_actor", default=None)
_channel: contextvars.ContextVar = contextvars.ContextVar("cbec_channel", default="system")


def current_actor():
    return _actor.get()


def current_channel() -> str:
    return _channel.get()


@contextmanager
def acting_as(user, channel: str):
    token_a = _actor.set(user if user is not None and getattr(user, "is_authenticated", False) else None)
    token_c = _channel.set(channel)
    try:
        yield
    finally:
        _actor.reset(token_a)
        _channel.reset(token_c)
