"""A refused request is logged in one line; a server error keeps its traceback."""

from __future__ import annotations

import io
import logging

import pytest

from luoshi.logs import RefusalsInOneLine

pytestmark = pytest.mark.database


@pytest.fixture
def request_log():
    """What django.request writes through a handler with the project's filter."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RefusalsInOneLine())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield out
    logger.removeHandler(handler)


def test_a_forbidden_page_is_one_line(org, client, request_log) -> None:
    # a handler may not choose a ledger's columns: PermissionDenied, logged by Django with exc_info
    client.force_login(org.handler_a)
    assert client.get("/ledgers/tasks/columns/").status_code == 403
    lines = request_log.getvalue().strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Forbidden") and "/ledgers/tasks/columns/" in lines[0] and "[403]" in lines[0]
    assert "Traceback" not in request_log.getvalue()


def test_a_server_error_keeps_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
                                   ("/x/",), sys.exc_info())
    record.status_code = 500
    assert RefusalsInOneLine().filter(record)
    text = logging.Formatter().format(record)
    assert "Traceback" in text and "RuntimeError: boom" in text
