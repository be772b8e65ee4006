"""Signals the task pages send, for apps built on tasks (tasks imports none of them)."""

from django.dispatch import Signal

# Sent with ``user`` and ``task`` when a person opens a task's page: what they were told of it
# is then read.
task_viewed = Signal()
