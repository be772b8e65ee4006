"""Backup and restore: the database's rows and the attachments in one .zip, portable between
SQLite and PostgreSQL.

The rows are Django's own serialization (JSON lines with times to the microsecond, in
dependency order, foreign keys to
content types by natural key), so a backup taken on a laptop's SQLite restores into a
province's PostgreSQL and back. What migrations create (content types, permissions) and what
is only state of the moment (sessions, sign-in attempts) is left out. A manifest lists the row
count of every model and the SHA-256 of every file; a restore checks both, then verifies the
journal, and refuses a database that already holds data.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT = 1
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "axes", "admin.logentry"]
DATA = "data.jsonl-exact"  # loaddata knows the format by the extension
MANIFEST = "manifest.json"


class RestoreRefused(Exception):
    pass


@dataclass
class Summary:
    rows: int = 0
    files: int = 0
    models: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        return f"rows {self.rows:,}, files {self.files:,}, models {len(self.models)}"


def _models():
    skip = {x for x in LEFT_OUT if "." not in x}
    skip_models = {x for x in LEFT_OUT if "." in x}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in skip or label in skip_models or model._meta.proxy:
            continue
        if not model._meta.managed:
            continue
        yield label, model


def counts() -> dict[str, int]:
    return {label: model._default_manager.count() for label, model in _models()}


def _media() -> Path:
    return Path(settings.MEDIA_ROOT)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def backup(target: Path) -> Summary:
    """Write the database and the attachments to ``target`` (.zip)."""
    summary = Summary()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / DATA
        with transaction.atomic():  # one consistent moment (a snapshot on PostgreSQL)
            summary.models = counts()
            call_command("dumpdata", *[], exclude=LEFT_OUT, natural_foreign=True, format="jsonl-exact",
                         output=str(data), verbosity=0)
        summary.rows = sum(summary.models.values())
        files = {}
        media = _media()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            z.write(data, DATA)
            if media.exists():
                for path in sorted(p for p in media.rglob("*") if p.is_file()):
                    name = path.relative_to(media).as_posix()
                    files[name] = _sha256(path)
                    z.write(path, f"media/{name}")
            summary.files = len(files)
            z.writestr(MANIFEST, json.dumps({
                "format": FORMAT, "created": timezone.now().isoformat(), "database": connection.vendor,
                "models": summary.models, "files": files,
            }, ensure_ascii=False, indent=1))
    return summary


# rows that a migrated, empty database already holds (the journal's head is made by a migration)
MADE_BY_MIGRATIONS = {"tasks.journalhead"}


def _is_empty() -> bool:
    return not any(model._default_manager.exists() for label, model in _models() if label not in MADE_BY_MIGRATIONS)


def restore(source: Path) -> Summary:
    """Load a backup into an empty, migrated database; check counts, files and the journal."""
    from luoshi.tasks import audit

    try:
        z = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as err:
        raise RestoreRefused(f"not a Luoshi backup: {err}") from err
    with z:
        names = set(z.namelist())
        if MANIFEST not in names or DATA not in names:
            raise RestoreRefused("not a Luoshi backup: no manifest or no data")
        manifest = json.loads(z.read(MANIFEST))
        if manifest.get("format") != FORMAT:
            raise RestoreRefused(f"backup format {manifest.get('format')} is not {FORMAT}")
        if not _is_empty():
            raise RestoreRefused("the database already holds data: restore into an empty, migrated database")
        media = _media()
        if media.exists() and any(p.is_file() for p in media.rglob("*")):
            raise RestoreRefused(f"the attachments folder {media} is not empty")
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / DATA
            with z.open(DATA) as src, data.open("wb") as out:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
            with transaction.atomic():
                call_command("loaddata", str(data), verbosity=0)
                found = counts()
                expected = manifest["models"]
                wrong = {k: (expected.get(k, 0), found.get(k, 0)) for k in set(expected) | set(found)
                         if expected.get(k, 0) != found.get(k, 0)}
                if wrong:
                    raise RestoreRefused(f"rows differ from the backup's manifest: {wrong}")
        for name, digest in manifest["files"].items():
            path = media / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with z.open(f"media/{name}") as src, path.open("wb") as out:
                h = hashlib.sha256()
                while chunk := src.read(1 << 20):
                    h.update(chunk)
                    out.write(chunk)
            if h.hexdigest() != digest:
                raise RestoreRefused(f"file {name} differs from the backup's manifest")
    report = audit.verify()
    if not report.ok:
        raise RestoreRefused(f"the restored journal does not verify: {report.findings[:3]}")
    return Summary(rows=sum(manifest["models"].values()), files=len(manifest["files"]), models=manifest["models"])


def dump_bytes() -> bytes:
    """Every row as serialized (for comparing two databases in tests)."""
    out = io.StringIO()
    call_command("dumpdata", exclude=LEFT_OUT, natural_foreign=True, format="jsonl-exact", stdout=out, verbosity=0)
    return out.getvalue().encode()
