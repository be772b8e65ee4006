"""Sources (ingested documents, never edited) and the items extracted from them."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

DOCUMENT_FORMATS = ("docx", "pdf", "ofd", "doc", "wps")  # what `encoding` says of a document file

# what may stand between two items of one run: punctuation and space
_SEPARATOR = re.compile(r"[\s；;。，,、]*")


class WorkKind(models.TextChoices):
    """What a piece of work is, from the item that says it to the task that tracks it."""

    DIRECTIVE = "directive", _("Directive (部署/要求)")
    SUGGESTION = "suggestion", _("Suggestion (意见建议)")
    INSTRUCTION = "instruction", _("Instruction (批示)")
    ALERT = "alert", _("Monitoring alert")
    MILESTONE = "milestone", _("Project milestone")
    OTHER = "other", _("Other")


class Source(models.Model):
    """A document as it was received: raw bytes kept unchanged, plus what was read from them."""

    organisation = models.ForeignKey("org.Unit", models.PROTECT, related_name="sources",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("file name"), max_length=255)
    title = models.CharField(_("title"), max_length=255, blank=True)
    raw = models.BinaryField(_("raw bytes"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size in bytes"))
    encoding = models.CharField(_("encoding"), max_length=20)
    script = models.CharField(_("script conversion"), max_length=10, default="t2s")
    text = models.TextField(_("normalized text"))
    extraction = models.JSONField(_("extraction"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("ingested by"))
    created_at = models.DateTimeField(_("ingested at"), auto_now_add=True)
    # a shared report concerns many units; each sees its own items unless the office opens it
    open_to_units = models.BooleanField(
        _("open to the units it concerns"), default=False,
        help_text=_("Units with a task from this source may read its whole text and download the original."))

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "checksum"], name="source_bytes_once_per_org"),
        ]
        # the latest first, as the pickers and lists read them: walked from the newest and stopped
        # at the page's end, not every source sorted (the dashboard's meetings at 10,000 sources)
        indexes = [models.Index(fields=["-created_at", "-id"], name="source_newest")]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    # the columns __str__ shows, the first not empty: a form's choices read them as plain rows
    label_columns = ("title", "name")

    def __str__(self) -> str:
        return self.title or self.name

    def item_spans(self) -> list[tuple[int, int]]:
        """The spans of the source's items, in order (read once per source object)."""
        cached = getattr(self, "_item_spans", None)
        if cached is None:
            cached = sorted(self.items.values_list("span_start", "span_end"))
            self._item_spans = cached
        return cached

    @property
    def raw_text(self) -> str:
        """The text as found (for the "as found" view): the raw bytes decoded with the encoding
        found at ingest, or for a document file (.docx, .pdf, .ofd…) the text read from it, which
        is what its items' raw spans point into."""
        if self.encoding in DOCUMENT_FORMATS:
            from luoshi.text.readers import read_document

            doc = read_document(bytes(self.raw), self.name)
            return doc.text if doc is not None else ""
        return bytes(self.raw).decode(self.encoding, errors="replace")

    @property
    def is_document(self) -> bool:
        return self.encoding in DOCUMENT_FORMATS


class Item(models.Model):
    """Something said that may need work, with the span of the text it came from."""

    Kind = WorkKind

    source = models.ForeignKey(Source, models.CASCADE, related_name="items", verbose_name=_("source"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    ordinal = models.PositiveIntegerField(_("number in the source"))
    headline = models.CharField(_("headline"), max_length=255)
    text = models.TextField(_("text"))
    span_start = models.PositiveIntegerField()
    span_end = models.PositiveIntegerField()
    raw_start = models.PositiveIntegerField()
    raw_end = models.PositiveIntegerField()
    issuer = models.CharField(_("issuer"), max_length=50, blank=True)
    proposers = models.JSONField(_("proposers"), default=list, blank=True)
    deadline = models.DateField(_("deadline in the words"), null=True, blank=True)
    deadline_basis = models.CharField(_("deadline words"), max_length=50, blank=True)

    class Meta:
        ordering = ["source", "kind", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "ordinal"], name="item_once_per_source"),
        ]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self) -> str:
        return self.headline

    def lead_in(self, chars: int = 300) -> str:
        """The words that introduce the list the item belongs to, and no item's own words.

        A list of directives is addressed once, before its first item (吕梁市要…。一要…二要…):
        every item of the list looks back past the items before it (joined by at most a
        separator) to the words before the first, in its paragraph or, if the first item opens
        its paragraph, in the paragraph before. The words of a neighbouring item never count:
        they would send every item of a report where the first one goes.
        """
        text = self.source.text
        spans = self.source.item_spans()
        start = self.span_start
        for s, e in reversed([sp for sp in spans if sp[0] < start]):
            if e <= start and _SEPARATOR.fullmatch(text[e:start]):
                start = s  # the item before belongs to the same run: its start is the run's
            elif e > start:  # overlapping (a topic inside a sentence): look before it too
                start = min(start, s)
        para = text.rfind("\n", 0, start) + 1
        if para == start and start > 0:  # the run opens its paragraph: the one before introduces it
            para = text.rfind("\n", 0, start - 1) + 1
            if any(para <= s < start for s, _e in spans):  # that paragraph is an item, not an introduction
                return ""
            return text[max(para, start - chars) : start - 1]
        return text[max(para, start - chars) : start]

    def context(self, chars: int = 60) -> tuple[str, str, str]:
        """The item's words with what stands before and after them in the source."""
        text = self.source.text
        before = text[max(0, self.span_start - chars) : self.span_start]
        after = text[self.span_end : self.span_end + chars]
        return before, text[self.span_start : self.span_end], after
