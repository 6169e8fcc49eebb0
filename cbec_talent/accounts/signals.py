"""The audit log listens to every write of the project's own models and to every sign-in."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.forms.models import model_to_dict

from cbec_talent.core import audit

from .models import AuditLog

AUDITED_PREFIX = "cbec_talent."
SKIPPED_FIELDS = {"password", "last_login"}


def _jsonable(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, bytes | memoryview):
        return f"<{len(bytes(value))} bytes>"
    return value


def snapshot(instance) -> dict:
    fields = [f.name for f in instance._meta.concrete_fields if f.name not in SKIPPED_FIELDS]
    return {k: _jsonable(v) for k, v in model_to_dict(instance, fields=fields).items()}


def _audited(sender) -> bool:
    return sender.__module__.startswith(AUDITED_PREFIX) and sender is not AuditLog


@receiver(pre_save)
def _remember_before(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender) or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


@receiver(post_save)
def _log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if not created and before == after:
        return
    action = AuditLog.Action.CREATE if created else AuditLog.Action.UPDATE
    audit.record(action, instance, before=before, after=after)


@receiver(post_delete)
def _log_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    audit.record(AuditLog.Action.DELETE, instance, before=snapshot(instance))


def _ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in)
def _log_login(sender, request, user, **kwargs):
    audit.record(AuditLog.Action.LOGIN, user, actor=user, ip=_ip(request))


@receiver(user_logged_out)
def _log_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditLog.Action.LOGOUT, user, actor=user, ip=_ip(request))


@receiver(user_login_failed)
def _log_login_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username", ""))[:150]
    audit.record(AuditLog.Action.LOGIN_FAILED, None, actor_name=name, object_repr=name, ip=_ip(request))
