"""What people are told, what they want to be told, and every attempt to tell them.

`Notification` is one user told of one journal event (the inbox). `Preference` says, per user
and kind of event, whether they want it in the inbox and by email; `MailLanguage` the language of
their emails. `Webhook` is a group robot (WeCom or DingTalk) a unit or an organisation keeps.
`Delivery` is one attempt to send an email or post to a robot: it is written pending in the
transaction of the event, so that what is owed is decided with the event and survives a crash,
and each retry is a new row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The journal detects an event or task removed behind the application's back (`luoshi journal
# verify`, tested by removing rows); what was told of them must not make the database refuse that
# removal, so the links to the journal carry no database constraint (db_constraint=False).
JOURNAL_LINK = {"on_delete": models.PROTECT, "db_constraint": False}


class Notification(models.Model):
    # both indexed by the indexes and constraint below (they lead with user, with event): an index
    # of either alone would only slow the scan's tens of thousands of inserts
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications",
                             verbose_name=_("user"), db_index=False)
    event = models.ForeignKey("tasks.Event", related_name="notifications", verbose_name=_("event"),
                              db_index=False, **JOURNAL_LINK)
    task = models.ForeignKey("tasks.Task", related_name="notifications", verbose_name=_("task"), **JOURNAL_LINK)
    kind = models.CharField(_("kind"), max_length=40)  # the event's action
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="notification_once_per_user")]
        indexes = [
            # my unread, newest first; and the capped unread count in the header
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_unread"),
            # my inbox, newest first, page after page (keyset)
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind} · {self.task_id}"


class Preference(models.Model):
    """A user's choice for one kind of event; no row means the defaults (inbox on, email off)."""

    INBOX_DEFAULT = True
    EMAIL_DEFAULT = False

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notify_preferences",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=40)
    inbox = models.BooleanField(_("inbox"), default=INBOX_DEFAULT)
    email = models.BooleanField(_("email"), default=EMAIL_DEFAULT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_kind")]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")


class MailLanguage(models.Model):
    """The language a user's emails are written in (no row: the site's default, Simplified Chinese).
    The page language is a cookie of one browser; a job sending mail needs it on the server."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="mail_language",
                                verbose_name=_("user"))
    language = models.CharField(_("language of emails"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language of emails")
        verbose_name_plural = _("languages of emails")


class Platform(models.TextChoices):
    WECOM = "wecom", _("WeCom (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk (钉钉)")


class MsgType(models.TextChoices):
    TEXT = "text", _("Text (文本)")
    MARKDOWN = "markdown", _("Markdown (格式文本)")


class Webhook(models.Model):
    """A group robot that a unit or an organisation keeps; told of its tasks' events."""

    unit = models.ForeignKey("org.Unit", models.PROTECT, related_name="webhooks", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("robot address"), max_length=500)
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices, default=Platform.WECOM)
    msgtype = models.CharField(_("message type"), max_length=10, choices=MsgType.choices, default=MsgType.TEXT)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    kinds = models.JSONField(_("kinds of event"), default=list, blank=True)  # empty: every kind that tells anyone
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["unit__name", "name", "id"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    WEBHOOK = "webhook", _("Group robot")


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting (待发送)")
    SENDING = "sending", _("Sending (发送中)")
    SENT = "sent", _("Sent (已送达)")
    FAILED = "failed", _("Failed (失败)")
    GAVE_UP = "gave_up", _("Gave up (已放弃)")


class Delivery(models.Model):
    """One attempt to send one email or one robot message. A retry is a new row (attempt + 1)."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    webhook = models.ForeignKey(Webhook, models.PROTECT, null=True, blank=True, related_name="deliveries",
                                verbose_name=_("webhook"))
    notification = models.ForeignKey(Notification, models.SET_NULL, null=True, blank=True,
                                     related_name="deliveries", verbose_name=_("notification"))
    # the person an email goes to (and the address it was sent to)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("recipient"))
    address = models.CharField(_("address"), max_length=254, blank=True)
    event = models.ForeignKey("tasks.Event", null=True, blank=True, related_name="deliveries",
                              verbose_name=_("event"), **JOURNAL_LINK)  # none: a test message
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response = models.TextField(_("response"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("attempted at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    RESPONSE_CHARS = 2000
    ERROR_CHARS = 500

    class Meta:
        constraints = [
            # what makes sending idempotent: one row per attempt, however often a job runs
            models.UniqueConstraint(fields=["event", "webhook", "attempt"], condition=Q(channel="webhook"),
                                    name="delivery_webhook_attempt_once"),
            models.UniqueConstraint(fields=["event", "recipient", "attempt"], condition=Q(channel="email"),
                                    name="delivery_email_attempt_once"),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="delivery_of_event"),
            models.Index(fields=["webhook", "-created_at"], name="delivery_of_webhook"),
        ]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return f"{self.channel} #{self.attempt} {self.status}"
