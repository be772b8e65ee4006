"""A ledger export opened by a real spreadsheet program: LibreOffice (Debian's) converts it to CSV."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from tests.factories import drive, make_task

from luoshi.tasks.models import State

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc)")
def test_libreoffice_reads_the_export(org, as_user, tmp_path) -> None:
    import datetime as dt

    task = drive(org, make_task(org, title="=抓好高标准农田建设", due=dt.date(2027, 3, 31)), State.ASSIGNED)
    path = tmp_path / "tasks.xlsx"
    path.write_bytes(b"".join(as_user("supervisor").get("/ledgers/tasks.xlsx").streaming_content))
    profile = f"-env:UserInstallation=file://{tmp_path}/profile"
    subprocess.run([SOFFICE, profile, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    rows = list(csv.reader((tmp_path / "tasks.csv").open(encoding="utf-8")))
    assert rows[0][:3] == ["编号", "督办事项", "类别"]
    assert rows[1][0] == str(task.pk)
    assert rows[1][1] == "=抓好高标准农田建设"  # read as text, not evaluated as a formula
    assert "2027-03-31" in rows[1]
