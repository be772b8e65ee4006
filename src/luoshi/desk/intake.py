"""Taking a document in: keep it as a source and put its proposals on the review desk.

The upload page, the paste box and `luoshi ingest` all come through `take_in`, so a document
is read and proposed the same way whichever door it came through.
"""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.desk import services
from luoshi.desk.models import Proposal
from luoshi.desk.routing import Router
from luoshi.org.models import Unit
from luoshi.search.index import index_items
from luoshi.sources.models import Source
from luoshi.sources.services import ingest


@dataclass
class Intake:
    source: Source
    created: bool  # False: the same bytes were taken in before, and are found again
    proposals: list[Proposal]

    @property
    def pending(self) -> int:
        return sum(1 for p in self.proposals if p.status == Proposal.Status.PENDING)


def take_in(data: bytes, *, name: str, organisation: Unit, actor=None, script: str = "t2s",
            router: Router | None = None) -> Intake:
    """Ingest ``data`` as a source of ``organisation`` and propose a task per item (once).

    Raises `IngestError` with a message for a person if the document cannot be taken.
    """
    source, created = ingest(data, name=name, organisation=organisation, actor=actor, script=script)
    if created:
        index_items(source.pk)  # made in bulk, unseen by the index's signals (the source itself is seen)
    return Intake(source, created, services.propose(source, router))
