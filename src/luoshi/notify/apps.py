from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "luoshi.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # tasks knows nothing of notifications: it sends a signal for every event it writes
        from luoshi.notify import dispatch
        from luoshi.tasks.journal import events_appended

        events_appended.connect(dispatch.on_events_appended, dispatch_uid="luoshi.notify.dispatch")
        from luoshi.notify import inbox
        from luoshi.tasks.signals import task_viewed

        task_viewed.connect(inbox.on_task_viewed, dispatch_uid="luoshi.notify.read_task")
