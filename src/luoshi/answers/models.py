"""Answer templates (常用语/答复模板): the sentences an office writes again and again, kept once.

A template belongs to one organisation and says what it is for: the text field of one step
(a return's reason, an urging, a closing opinion, a progress report, an extension's reason, a
reply to a suggestion), optionally only in one state of the task, and for a reply optionally
its class (A/B/C/D). Offering them is `luoshi.answers.services.offered`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from luoshi.tasks.models import ReplyClass, State


class Purpose(models.TextChoices):
    """The text field a template fills: a transition's reason, or the text of another form."""

    RETURN = "return", _("Return reason (退回理由)")
    URGE = "urge", _("Urging (催办)")
    CLOSE = "close", _("Closing opinion (办结意见)")
    PROGRESS = "progress", _("Progress report (进展情况)")
    EXTENSION = "request_extension", _("Extension reason (延期理由)")
    REJECT_EXTENSION = "reject_extension", _("Extension refused (不同意延期)")
    SUBMIT = "submit", _("Summary for closing (办结情况)")
    SEND_BACK = "send_back", _("Sent back to the handler (退回经办人)")
    REOPEN = "reopen", _("Reopening reason (重新办理)")
    REPLY = "reply", _("Reply to a suggestion (建议答复)")


class AnswerTemplate(models.Model):
    organisation = models.ForeignKey("org.Unit", models.CASCADE, related_name="answer_templates",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=60)
    text = models.TextField(_("text"), max_length=2000)
    purpose = models.CharField(_("for"), max_length=30, choices=Purpose.choices)
    reply_class = models.CharField(_("reply class"), max_length=1, choices=ReplyClass.choices, blank=True)
    state = models.CharField(_("only in state"), max_length=30, choices=State.choices, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["purpose", "reply_class", "title"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title
