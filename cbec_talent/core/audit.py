"""The one write path of the audit log. Apps call `audit_write`; only `accounts` knows the model behind it
(looked up through the app registry, so no app imports `accounts.AuditLog` to write an entry)."""

from __future__ import annotations

from django.apps import apps

from .audit_context import current_actor, current_channel

# The actions an entry may record (the values of accounts.AuditLog.Action).
CREATE = "create"
UPDATE = "update"
DELETE = "delete"
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOGOUT = "logout"
IMPORT = "import"


def record(
    action: str,
    instance=None,
    *,
    before=None,
    after=None,
    actor=None,
    object_repr="",
    ip=None,
    actor_name: str | None = None,
):
    """Append one entry: who (`actor`, else whoever is acting now), through which
    channel, did what to which object, with the object's state before and after."""
    actor = actor if actor is not None else current_actor()
    model = apps.get_model("accounts", "AuditLog")
    return model.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_name=actor_name if actor_name is not None else (getattr(actor, "username", "") or ""),
        channel=current_channel(),
        action=action,
        object_type=instance._meta.label if instance is not None else "",
        object_id=str(instance.pk) if instance is not None and instance.pk is not None else "",
        object_repr=(object_repr or (str(instance) if instance is not None else ""))[:255],
        before=before,
        after=after,
        ip_address=ip,
    )
