"""Ingesting a document: keep its bytes, read it with the text pipeline, record its items."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from luoshi.org.models import Unit
from luoshi.sources.models import Item, Source
from luoshi.text import NormalizeError, process

MAX_SOURCE_BYTES = 10 * 1024 * 1024
TEXT_TYPES = ("txt", "htm", "html")  # and no extension at all
# documents the text library reads (luoshi.text.readers); .doc and .wps through LibreOffice
DOCUMENT_TYPES = ("docx", "pdf", "ofd", "doc", "wps")
# formats people send that are not reports: what each is called in the refusal
CONVERT_FIRST = {"rtf": "RTF", "odt": "OpenDocument", "xls": "Excel", "xlsx": "Excel", "et": "WPS"}
MAGIC = ((b"{\\rtf", "RTF"),)  # for a file whose name says .txt
# how each document format begins: a file named so that does not is damaged or something else
DOCUMENT_MAGIC = {"docx": b"PK\x03\x04", "ofd": b"PK\x03\x04", "pdf": b"%PDF-",
                  "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "wps": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"}
DOCUMENT_NAMES = {"docx": "Word", "doc": "Word", "wps": "WPS", "pdf": "PDF", "ofd": "OFD"}


class IngestError(Exception):
    """A document that cannot be ingested, with a message for a person."""


def refusal(name: str, head: bytes = b"") -> str | None:
    """Why a file ``name`` whose content starts with ``head`` is not taken as a source (None: it is)."""
    ext = PurePath(name).suffix.lower().lstrip(".")
    kind = CONVERT_FIRST.get(ext) or next((k for magic, k in MAGIC if head.startswith(magic)), None)
    if kind:
        return _("“%(name)s” is a %(kind)s file: save it as Word (.docx), PDF or text first.") % {
            "name": name, "kind": kind}
    if ext in DOCUMENT_MAGIC and head and not head.startswith(DOCUMENT_MAGIC[ext][: len(head)]):
        return _("“%(name)s” cannot be read as a %(kind)s file: it is damaged, or another kind of file under "
                 "this name.") % {"name": name, "kind": DOCUMENT_NAMES[ext]}
    if ext and ext not in TEXT_TYPES + DOCUMENT_TYPES:
        return _("“%(name)s”: reports are taken as Word (.docx, .doc, .wps), PDF, OFD or text (.txt, .htm, "
                 ".html).") % {"name": name}
    return None


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest(data: bytes, *, name: str, organisation: Unit, actor=None, script: str = "t2s") -> tuple[Source, bool]:
    """The source for these bytes in ``organisation``, and whether it was created now.

    The same bytes twice find the source made the first time; nothing is read again.
    """
    digest = checksum(data)
    existing = Source.objects.filter(organisation=organisation, checksum=digest).first()
    if existing is not None:
        return existing, False
    why = refusal(name, data[:8])
    if why:
        raise IngestError(why)
    if len(data) > MAX_SOURCE_BYTES:
        raise IngestError(
            _("“%(name)s” is %(size)s; a source may be at most %(limit)s.")
            % {"name": name, "size": filesizeformat(len(data)), "limit": filesizeformat(MAX_SOURCE_BYTES)}
        )
    try:
        processed = process(data, script=script, name=name)
    except NormalizeError as exc:
        raise IngestError(_("“%(name)s” cannot be read: %(reason)s") % {"name": name, "reason": exc}) from exc
    norm, ex = processed.normalized, processed.extraction
    extraction = processed.as_dict()
    extraction.pop("text")
    try:
        with transaction.atomic():
            source = Source.objects.create(
                organisation=organisation, name=name[:255], title=(ex.title or name)[:255], raw=data,
                checksum=digest, size=len(data), encoding=norm.encoding, script=script, text=norm.text,
                extraction=extraction, created_by=actor,
            )
            Item.objects.bulk_create(_items(source, processed))
    except IntegrityError:
        # the same bytes were ingested at the same moment by someone else: use theirs
        return Source.objects.get(organisation=organisation, checksum=digest), False
    return source, True


def _items(source: Source, processed) -> list[Item]:
    norm, ex = processed.normalized, processed.extraction
    items = []
    for d in ex.directives:
        raw = norm.raw_span(*d.span)
        items.append(Item(
            source=source, kind=Item.Kind.DIRECTIVE, ordinal=d.ordinal, headline=d.headline[:255], text=d.text,
            span_start=d.span[0], span_end=d.span[1], raw_start=raw[0], raw_end=raw[1], issuer=d.issuer or "",
            deadline=d.deadline, deadline_basis=d.deadline_basis or "",
        ))
    pos = 0
    for n, topic in enumerate(ex.topics, start=1):
        start = norm.text.find(topic, pos)
        if start < 0:
            start = norm.text.find(topic)
        end = start + len(topic)
        pos = end
        raw = norm.raw_span(start, end)
        items.append(Item(
            source=source, kind=Item.Kind.SUGGESTION, ordinal=n, headline=topic[:255], text=topic,
            span_start=start, span_end=end, raw_start=raw[0], raw_end=raw[1], proposers=list(ex.speakers),
        ))
    return items
