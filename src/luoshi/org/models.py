"""Units in a hierarchy, users, and the roles users hold in units.

An organisation is a unit that runs its own supervision (a provincial or city government):
its supervisors see every task the organisation tracks. Departments and cities are units
under it. A user holds one or more roles, each in a unit (`Membership`).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor (督查室)")
    HANDLER = "handler", _("Unit handler (经办人)")
    HEAD = "head", _("Unit head (单位负责人)")
    LEADER = "leader", _("Leader (领导)")
    PROPOSER = "proposer", _("Proposer / deputy (代表)")
    ADMIN = "admin", _("Administrator")


class Unit(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government")
        DEPARTMENT = "department", _("Department")
        OFFICE = "office", _("Office")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("parent unit"))
    is_organisation = models.BooleanField(
        _("runs its own supervision"), default=False,
        help_text=_("Its supervisors see every task it tracks (a provincial or city government)."),
    )
    requires_head_approval = models.BooleanField(
        _("unit heads approve submissions"), default=False,
        help_text=_("For an organisation: a handler's request to close goes to the unit head first."),
    )
    signing_starts_handling = models.BooleanField(
        _("signing for a task starts handling it"), default=False,
        help_text=_("For an organisation: 签收 moves a task straight to 办理中, so handlers do not click twice."),
    )
    co_opinion_within = models.CharField(
        _("time for a co-unit's opinion"), max_length=20, default="20wd",
        help_text=_("For an organisation: how long after assignment a co-unit has to send its written opinion "
                    "(协办意见) to the lead unit, in calendar days (30d) or working days (20wd)."),
    )
    receipt_days = models.PositiveSmallIntegerField(
        _("working days to sign for a task"), default=2,
        help_text=_("For an organisation: a task not signed for within this many working days after it was "
                    "assigned is flagged and counted."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    # the columns __str__ shows, the first not empty: a form's choices read them as plain rows
    label_columns = ("name",)

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def organisation(self) -> Unit:
        """The nearest unit, itself included, that runs its own supervision."""
        unit: Unit | None = self
        seen = set()
        while unit is not None and unit.pk not in seen:
            if unit.is_organisation:
                return unit
            seen.add(unit.pk)
            unit = unit.parent
        return self


def organisation_ids() -> dict[int, int]:
    """Every unit's organisation id, as `Unit.organisation()` finds it (the nearest unit, itself
    included, that runs its own supervision; else itself): one query for the whole tree, walked in
    memory, where `Unit.organisation()` would query per level."""
    rows = {pk: (parent, is_org) for pk, parent, is_org in
            Unit.objects.values_list("pk", "parent_id", "is_organisation")}

    def org_of(pk: int) -> int:
        seen: set[int] = set()
        cur: int | None = pk
        while cur is not None and cur not in seen and cur in rows:
            if rows[cur][1]:
                return cur
            seen.add(cur)
            cur = rows[cur][0]
        return pk

    return {pk: org_of(pk) for pk in rows}


def units_of(organisation: Unit) -> models.QuerySet[Unit]:
    """The units whose nearest supervising organisation is ``organisation`` (it excluded)."""
    ids = [pk for pk, org in organisation_ids().items() if pk != organisation.pk and org == organisation.pk]
    return Unit.objects.filter(pk__in=ids).order_by("name")


def descendants(unit: Unit) -> models.QuerySet[Unit]:
    """The units under ``unit`` at any depth (a city's departments and counties), it excluded.

    One recursive query (SQLite and PostgreSQL both know WITH RECURSIVE): a province's whole
    tree is never loaded to find one city's units."""
    table = connection.ops.quote_name(Unit._meta.db_table)
    sql = (f"WITH RECURSIVE below(id) AS (SELECT id FROM {table} WHERE parent_id = %s "
           f"UNION SELECT u.id FROM {table} u JOIN below b ON u.parent_id = b.id) SELECT id FROM below")
    return Unit.objects.filter(pk__in=RawSQL(sql, [unit.pk])).order_by("name")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    # the columns __str__ shows, the first not empty: a form's choices read them as plain rows
    label_columns = ("display_name", "username")

    def __str__(self) -> str:
        return self.display_name or self.get_username()


class Membership(models.Model):
    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("user"))
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
