"""The jobs that send what `dispatch` recorded: emails and robot posts, with retries.

`deliver_event(event_id)` sends every pending attempt of one event; `retry_delivery(delivery_id)`
makes and sends the attempt after a failed one, deferred by the backoff. Both take ids and may
run twice, or at once on two workers: an attempt is claimed by a conditional UPDATE (pending →
sending) before anything leaves, so it is sent at most once, and the next attempt of a delivery
is one row (a unique constraint), so it is made once.

An attempt that fails (refused connection, timeout, an HTTP status outside 2xx, errcode ≠ 0,
a mail server's refusal) is recorded, and the next is scheduled after the delays of
``LUOSHI["WEBHOOK_RETRIES"]`` (minutes: 1, 5, 25, 125 unless set); after the last, the
delivery is given up.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django_tasks import task

from luoshi.notify import messages, robots
from luoshi.notify.models import Channel, Delivery, MailLanguage, MsgType, Platform, Status, Webhook
from luoshi.tasks.models import Task

log = logging.getLogger(__name__)


def retry_delays() -> list[dt.timedelta]:
    """The waits before the second, third, … attempt."""
    return [dt.timedelta(minutes=float(m)) for m in settings.LUOSHI["WEBHOOK_RETRIES"]]


@task()
def deliver_event(event_id: int) -> int:
    """Send every pending attempt recorded for ``event_id``; returns how many were delivered."""
    pending = (Delivery.objects.filter(event_id=event_id, status=Status.PENDING)
               .order_by("pk").values_list("pk", flat=True))
    return sum(attempt(pk) for pk in list(pending))


@task()
def retry_delivery(delivery_id: int) -> bool:
    """Make and send the attempt that follows the failed attempt ``delivery_id``."""
    failed = Delivery.objects.filter(pk=delivery_id, status=Status.FAILED, next_attempt_at__isnull=False).first()
    if failed is None:
        return False
    return attempt(next_attempt(failed).pk)


STUCK_AFTER = dt.timedelta(minutes=10)


@task()
def sweep(slot: str = "") -> int:
    """What no job finished: an attempt still "sending" long after it was claimed (its worker
    died) is recorded failed and retried; one still "pending" long after it was written (its job
    was lost) is sent now; a failure whose retry never came is retried. Periodic (the worker
    enqueues it every 15 minutes); returns how many deliveries it took up."""
    old = timezone.now() - STUCK_AFTER
    taken = 0
    for pk in list(Delivery.objects.filter(status=Status.SENDING, created_at__lt=old).filter(
            Q(attempted_at__isnull=True) | Q(attempted_at__lt=old)).values_list("pk", flat=True)[:1000]):
        delivery = Delivery.objects.get(pk=pk)
        if Delivery.objects.filter(pk=pk, status=Status.SENDING).update(status=Status.PENDING) == 1:
            _settle(delivery, robots.Outcome(False, error="the worker stopped while sending"))
            taken += 1
    for pk in list(Delivery.objects.filter(status=Status.PENDING, created_at__lt=old, event__isnull=False)
                   .values_list("pk", flat=True)[:1000]):
        attempt(pk)
        taken += 1
    # the same delivery's next attempt: same robot (a post) or same person (an email)
    followed = Delivery.objects.filter(
        Q(webhook=OuterRef("webhook")) | Q(recipient=OuterRef("recipient")),
        channel=OuterRef("channel"), event=OuterRef("event"), attempt=OuterRef("attempt") + 1)
    late = (Delivery.objects.filter(status=Status.FAILED, next_attempt_at__lt=old, event__isnull=False)
            .exclude(Exists(followed)))
    for failed in list(late.order_by("pk")[:1000]):
        retry_delivery.call(failed.pk)
        taken += 1
    return taken


def next_attempt(failed: Delivery) -> Delivery:
    """The row of the attempt after ``failed`` (made once, however many jobs ask)."""
    same = {"channel": failed.channel, "event_id": failed.event_id, "webhook_id": failed.webhook_id,
            "recipient_id": failed.recipient_id, "attempt": failed.attempt + 1}
    try:
        with transaction.atomic():
            return Delivery.objects.create(**same, notification_id=failed.notification_id, address=failed.address)
    except IntegrityError:
        return Delivery.objects.get(**same)


def attempt(pk: int) -> bool:
    """Send the pending attempt ``pk`` unless someone else has taken it; record the outcome.
    Returns whether it was delivered by this call."""
    if Delivery.objects.filter(pk=pk, status=Status.PENDING).update(status=Status.SENDING) != 1:
        return False
    delivery = Delivery.objects.select_related("webhook", "event", "event__actor", "recipient").get(pk=pk)
    if delivery.channel == Channel.WEBHOOK and (delivery.webhook is None or not delivery.webhook.active):
        _settle(delivery, robots.Outcome(False, error="the robot was switched off"), final=True)
        return False
    try:
        outcome = _send_email(delivery) if delivery.channel == Channel.EMAIL else _post(delivery)
    except Exception as err:  # a fault of ours: recorded on the attempt and retried, never left "sending"
        log.exception("delivery %s could not be sent", pk)
        outcome = robots.Outcome(False, error=f"{type(err).__name__}: {err}")
    _settle(delivery, outcome)
    return outcome.ok


def send_trial(webhook: Webhook) -> Delivery:
    """Post a test message to ``webhook`` now (once, no retry) and return its record."""
    delivery = Delivery.objects.create(channel=Channel.WEBHOOK, webhook=webhook)
    attempt(delivery.pk)
    delivery.refresh_from_db()
    return delivery


def _task_of(delivery: Delivery) -> Task:
    return Task.objects.select_related("organisation").get(pk=delivery.event.task_id)


def _send_email(delivery: Delivery) -> robots.Outcome:
    language = (MailLanguage.objects.filter(user_id=delivery.recipient_id).values_list("language", flat=True)
                .first() or settings.LANGUAGE_CODE)
    with translation.override(language):
        subject, body = messages.email(delivery.event, _task_of(delivery))
    try:
        send_mail(subject, body, None, [delivery.address], fail_silently=False)
    except (smtplib.SMTPException, OSError) as err:
        return robots.Outcome(False, error=f"{type(err).__name__}: {err}")
    return robots.Outcome(True)


def _post(delivery: Delivery) -> robots.Outcome:
    hook = delivery.webhook
    # a group chat reads the organisation's language
    with translation.override(settings.LANGUAGE_CODE):
        if delivery.event is None:
            title, text = messages.trial_message()
        elif hook.msgtype == MsgType.MARKDOWN:
            title, text = messages.robot_markdown(delivery.event, _task_of(delivery))
        else:
            title, text = "", messages.robot_text(delivery.event, _task_of(delivery))
    body = robots.payload(hook.platform, hook.msgtype, title, text)
    url = robots.signed_url(hook.url, hook.secret) if hook.secret and hook.platform == Platform.DINGTALK else hook.url
    return robots.post(url, body, timeout=float(settings.LUOSHI["WEBHOOK_TIMEOUT"]))


def _settle(delivery: Delivery, outcome: robots.Outcome, *, final: bool = False) -> None:
    now = timezone.now()
    delivery.http_status = outcome.http_status
    delivery.response = outcome.response[: Delivery.RESPONSE_CHARS]
    delivery.error = outcome.error[: Delivery.ERROR_CHARS]
    delivery.attempted_at = now
    delays = retry_delays()
    if outcome.ok:
        delivery.status, delivery.sent_at = Status.SENT, now
    elif delivery.event_id is None:
        delivery.status = Status.FAILED  # a test message: its sender sees the failure and tries again
    elif final or delivery.attempt > len(delays):
        delivery.status = Status.GAVE_UP
    else:
        delivery.status = Status.FAILED
        delivery.next_attempt_at = now + delays[delivery.attempt - 1]
    delivery.save(update_fields=["status", "http_status", "response", "error", "attempted_at", "sent_at",
                                 "next_attempt_at"])
    if delivery.next_attempt_at is not None:
        _schedule_retry(delivery)


def _schedule_retry(delivery: Delivery) -> None:
    job = retry_delivery.using(run_after=delivery.next_attempt_at)
    if not job.get_backend().supports_defer:
        log.warning("delivery %s: the task backend cannot defer jobs; no retry", delivery.pk)
        return
    try:
        job.enqueue(delivery.pk)
    except Exception:  # the attempt is recorded; a lost retry must not hide that
        log.exception("delivery %s: the retry could not be enqueued", delivery.pk)
