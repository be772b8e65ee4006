"""The ingest form and the limits of an upload: how many files, how large, which types.

The limits are checked while the request is read (`UploadLimits`, an upload handler), so a
file that is too large is skipped after its first megabytes instead of being stored whole,
and the others of the same upload still go in. What a text is and whether it can be read is
`sources.services.ingest`'s business; here only what the page accepts.
"""

from __future__ import annotations

from django import forms
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from luoshi.forms import Form, MultipleFileField
from luoshi.sources.services import MAX_SOURCE_BYTES

MAX_UPLOAD_FILES = 20
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # the whole request; refused before it is read
def limits_help() -> str:
    return _("Word (.docx, .doc, .wps), PDF, OFD or text files (.txt, .htm, .html), up to %(count)d at a time, "
             "each at most %(size)s.") % {
        "count": MAX_UPLOAD_FILES, "size": filesizeformat(MAX_SOURCE_BYTES)}


def too_large(name: str) -> str:
    return _("“%(name)s” is larger than %(limit)s, the most a source may be.") % {
        "name": name, "limit": filesizeformat(MAX_SOURCE_BYTES)}


def too_many(name: str) -> str:
    return _("“%(name)s” was not read: at most %(count)d files go in at a time.") % {
        "name": name, "count": MAX_UPLOAD_FILES}


class UploadLimits(FileUploadHandler):
    """First of the request's upload handlers: skips a file once it is too large or one too many.

    ``files`` lists every file of the request in order: (name, why it was refused or None).
    ``uploads(request)`` gives the files that were kept, each with its place in that list.

    A file is skipped from its first chunk on, not from `new_file`: Django closes every
    handler's current file on a skip, and before the next handlers' `new_file` that would be
    the previous, finished upload.
    """

    field = "files"

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.files: list[tuple[str, str | None]] = []
        self.completed: list[int] = []  # for each file that reached the next handlers: its index in files
        self.size = 0
        self.skip = False

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.size, self.skip = 0, field_name != self.field
        if self.skip:
            return
        if sum(1 for _n, why in self.files if why is None) >= MAX_UPLOAD_FILES:
            self.files.append((file_name, too_many(file_name)))
            self.skip = True
        else:
            self.files.append((file_name, None))

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.skip:
            raise SkipFile
        self.size += len(raw_data)
        if self.size > MAX_SOURCE_BYTES:
            self.files[-1] = (self.file_name, too_large(self.file_name))
            raise SkipFile
        return raw_data  # the next handler stores it

    def file_complete(self, file_size: int) -> None:
        if self.field_name == self.field:
            self.completed.append(len(self.files) - 1)
        return None  # the next handler makes the file

    def uploads(self, request) -> dict[int, object]:
        """The files that go on, by their place in ``files`` (an empty one too many is dropped)."""
        kept = zip(self.completed, request.FILES.getlist(self.field), strict=False)
        return {i: f for i, f in kept if self.files[i][1] is None}


class UploadForm(Form):
    files = MultipleFileField(label=gettext_lazy("Files"), required=False)
    text = forms.CharField(label=gettext_lazy("Or paste the text"), required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 8, "lang": "zh-Hans"}))
    name = forms.CharField(label=gettext_lazy("Name of the pasted text"), required=False, max_length=200,
                           help_text=gettext_lazy("For example 常务会议纪要 4月8日. The title is read from the text."))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = limits_help()
        self.fields["files"].widget.attrs["accept"] = ".txt,.htm,.html,text/plain,text/html"
