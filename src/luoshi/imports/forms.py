"""The upload form with its size limit (checked while the request is read), and the mapping form:
one choice of field per column, the sheet, and whether every task is assigned at once."""

from __future__ import annotations

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.forms import Form
from luoshi.imports.cells import text
from luoshi.imports.fields import FIELDS, IGNORE
from luoshi.imports.reading import MAX_BYTES, MAX_ROWS, Sheet, too_large
from luoshi.org.models import Unit


def limits_help() -> str:
    return _("An Excel workbook (.xlsx) or a CSV file (.csv, UTF-8 or GBK), at most %(size)s and %(rows)s rows.") % {
        "size": filesizeformat(MAX_BYTES), "rows": f"{MAX_ROWS:,}"}


class UploadLimit(FileUploadHandler):
    """First of the request's upload handlers: skips the ledger once it is larger than the limit, so
    that a file too large is never stored whole; ``refused`` then says why. Only one file is read.

    The file is skipped from a chunk, not from `new_file`: Django closes every handler's current
    file on a skip, and before the next handlers' `new_file` that would be the previous one."""

    field = "file"

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.refused: str | None = None
        self.seen = 0
        self.size = 0
        self.skip = False

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.size = 0
        self.skip = field_name != self.field or self.seen > 0
        if field_name == self.field:
            self.seen += 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.skip:
            raise SkipFile
        self.size += len(raw_data)
        if self.size > MAX_BYTES:
            self.refused = too_large(self.file_name)
            raise SkipFile
        return raw_data  # the next handler stores it

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


class UploadForm(Form):
    organisation = forms.TypedChoiceField(label=gettext_lazy("Organisation"), coerce=int)
    file = forms.FileField(label=gettext_lazy("Ledger file"), required=False)

    def __init__(self, *args, organisations: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = limits_help()
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xlsm,.csv"
        if len(organisations) > 1:
            self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]
        else:
            del self.fields["organisation"]
        self.organisations = organisations

    def chosen_organisation(self) -> Unit:
        chosen = self.cleaned_data.get("organisation")
        return next((o for o in self.organisations if o.pk == chosen), self.organisations[0])


def column_field(index: int) -> str:
    return f"col-{index}"


class MappingForm(Form):
    """A choice of field for each column of ``sheet``; ``fields``: what to show chosen."""

    assign_all = forms.BooleanField(
        label=gettext_lazy("Assign every task at once (已交办)"), required=False,
        help_text=gettext_lazy("Otherwise a task is assigned only where its state column says 已交办; the others "
                               "are drafts (待交办) to check and assign."))

    def __init__(self, *args, sheet: Sheet, fields: list[str], assign_all: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        choices = [(IGNORE, _("— leave out —")), *((f.key, f.label) for f in FIELDS)]
        for i, header in enumerate(sheet.headers):
            label = f"{Sheet.letter(i)} · {header}" if header else Sheet.letter(i)
            self.fields[column_field(i)] = forms.ChoiceField(label=label, choices=choices, required=False,
                                                             initial=fields[i] if i < len(fields) else IGNORE)
        self.fields["assign_all"].initial = assign_all
        if len(sheet.sheet_names) > 1:
            self.fields["sheet"] = forms.ChoiceField(label=_("Sheet"), choices=[(n, n) for n in sheet.sheet_names],
                                                     initial=sheet.sheet_name, required=False)

    def columns(self) -> list[tuple[str, str, forms.BoundField, list[str]]]:
        """(letter, header, bound choice, a few of its values) per column, for the mapping table."""
        out = []
        for i in range(len(self.sheet.headers)):
            samples: list[str] = []
            for row in self.sheet.rows:
                v = row.values[i]
                if v is not None:
                    samples.append(text(v)[:40])
                if len(samples) == 3:
                    break
            out.append((Sheet.letter(i), self.sheet.headers[i], self[column_field(i)], samples))
        return out

    def chosen(self) -> list[str]:
        return [self.cleaned_data.get(column_field(i)) or IGNORE for i in range(len(self.sheet.headers))]
