"""Old binary Word (.doc) and WPS (.wps) files, through LibreOffice.

No well-kept Python library reads these formats, and LibreOffice reads both: `soffice --headless
--convert-to docx` turns the file into a .docx, which the .docx reader then reads. Each run uses
its own LibreOffice profile in a temporary folder, so that runs at the same time do not share one
and nothing is written to the user's profile. Where soffice is missing, the file is refused with
what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from luoshi.text.decode import NormalizeError
from luoshi.text.readers.document import Document

TIMEOUT = 120  # seconds; a report converts in a few


def soffice() -> str | None:
    """The LibreOffice command, where it is installed (LUOSHI_SOFFICE may name it)."""
    return os.environ.get("LUOSHI_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def read_with_libreoffice(data: bytes, kind: str) -> Document:
    """The text of a .doc or .wps file (``kind``), converted to .docx by LibreOffice."""
    from luoshi.text.readers.docx import read_docx

    exe = soffice()
    if exe is None:
        raise NormalizeError(
            f"reading a .{kind} file needs LibreOffice (the soffice command), which is not installed "
            "here: install it (Debian: apt-get install libreoffice-writer), or save the file as .docx"
        )
    with tempfile.TemporaryDirectory(prefix="luoshi-read-") as tmp:
        folder = Path(tmp)
        source = folder / f"document.{kind}"
        source.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx", "--outdir", str(folder / "out"), str(source)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise NormalizeError(f"LibreOffice took more than {TIMEOUT} s to read the .{kind} file") from exc
        except OSError as exc:
            raise NormalizeError(f"LibreOffice could not be started ({exc})") from exc
        converted = folder / "out" / "document.docx"
        if not converted.exists():
            why = (proc.stderr or proc.stdout).decode("utf-8", "replace").strip()[-300:]
            raise NormalizeError(f"LibreOffice could not read the .{kind} file" + (f": {why}" if why else ""))
        doc = read_docx(converted.read_bytes())
    return Document(doc.text, kind, doc.warnings)
