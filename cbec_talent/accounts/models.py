"""Users, roles and the append-only audit log."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    DIRECTOR = "director", _("Programme director")
    TEACHER = "teacher", _("Teacher")
    ENTERPRISE_TUTOR = "enterprise_tutor", _("Enterprise tutor")
    STUDENT = "student", _("Student")


class User(AbstractUser):
    """A person; one person may hold several roles (a teacher who is also programme director)."""

    display_name = models.CharField(_("Display name"), max_length=150, blank=True)
    preferred_language = models.CharField(_("Interface language"), max_length=10, blank=True, default="")

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cache = getattr(self, "_role_cache", None)
        if cache is None:
            cache = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            if self.is_superuser:
                cache = cache | {Role.ADMINISTRATOR}
            self._role_cache = cache
        return cache

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes & set(roles))


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("Role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditLog(models.Model):
    """Append-only: every write and every sign-in (who, when, what, before/after)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        LOGIN = "login", _("Login")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOGOUT = "logout", _("Logout")
        IMPORT = "import", _("Import")

    at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("Actor"), max_length=150, blank=True)
    channel = models.CharField(_("Channel"), max_length=20, default="system")
    action = models.CharField(_("Action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("Object type"), max_length=100, blank=True)
    object_id = models.CharField(_("Object ID"), max_length=64, blank=True)
    object_repr = models.CharField(_("Object"), max_length=255, blank=True)
    before = models.JSONField(_("Before"), null=True, blank=True)
    after = models.JSONField(_("After"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")


class UserFlag(models.Model):
    """Something remembered about one user: a guide dismissed (``guide_dismissed:first_run``), a step of it done
    (``guide:gap``). Written by accounts.services.flag_set, read by accounts.selectors.flags_of."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="flags")
    key = models.CharField(max_length=60)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("user flag")
        verbose_name_plural = _("user flags")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_user_flag")]

    def __str__(self) -> str:
        return f"{self.user} {self.key}"
