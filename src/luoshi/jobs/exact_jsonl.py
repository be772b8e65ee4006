"""JSON lines as Django serializes them, but with times to the microsecond.

Django's JSON encoder cuts a time to milliseconds (as JavaScript reads it); the journal hashes
each event's time to the microsecond, so a backup in Django's own format would restore a
journal that no longer verifies. Registered as the serialization format "jsonl-exact".
"""

from __future__ import annotations

import datetime as dt

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = jsonl.Deserializer
