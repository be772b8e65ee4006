"""Fixtures of the document tests: a client per role, and a real reader (LibreOffice) for PDFs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from tests.factories import Org


@pytest.fixture(autouse=True)
def _static(settings, tmp_path) -> None:
    # WhiteNoise warns about a missing STATIC_ROOT; tests serve static files from the apps
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def as_user(org: Org) -> Callable[[str], Client]:
    """``as_user("handler_a")``: a test client signed in as that member of the organisation."""

    def make(who: str) -> Client:
        client = Client()
        client.force_login(getattr(org, who))
        return client

    return make


@pytest.fixture(scope="session")
def soffice_profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("soffice-profile")


@pytest.fixture
def pdf_text(soffice_profile, tmp_path) -> Callable[[bytes, str], str]:
    """``pdf_text(docx_bytes, "name")``: the text of the PDF LibreOffice makes of the document,
    as pdfminer reads it (whitespace removed, so that line breaks do not split words)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    from pdfminer.high_level import extract_text

    def convert(content: bytes, name: str) -> str:
        source = tmp_path / f"{name}.docx"
        source.write_bytes(content)
        out = tmp_path / "pdf"
        # a private profile: no clash with a LibreOffice the user has open, nothing left in $HOME
        subprocess.run([soffice, f"-env:UserInstallation={soffice_profile.as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out), str(source)],
                       check=True, capture_output=True, timeout=180)
        pdf = out / f"{name}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, "LibreOffice made no PDF"
        return "".join(extract_text(str(pdf)).split())

    return convert
