"""Oversize bodies are refused from their declared length, before the body is read: a real
socket sends the headers of a 200 MB upload and a little of it, and gets 413 at once."""

from __future__ import annotations

import socket
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.tasks.models import ProgressReport, State
from tests.factories import drive, make_task

pytestmark = pytest.mark.database
MB = 1024 * 1024


def _post_headers_only(url: str, path: str, length: int, sent: int = 64 * 1024) -> str:
    """Announce ``length`` bytes, send ``sent`` of them, and read the answer (which can only come
    from the header: the rest of the body is never sent)."""
    where = urlparse(url)
    with socket.create_connection((where.hostname, where.port), timeout=10) as s:
        s.sendall((f"POST {path} HTTP/1.1\r\nHost: {where.hostname}\r\n"
                   "Content-Type: multipart/form-data; boundary=XyZ\r\n"
                   f"Content-Length: {length}\r\nConnection: close\r\n\r\n").encode())
        s.sendall(b"--XyZ\r\n" + b"x" * sent)
        answer = b""
        # read the answer to its end: the server may keep the socket open to discard what is
        # still to come, but the page is complete without it
        while b"</html>" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer.decode("utf-8", "replace")


def test_a_200_mb_progress_report_is_refused_before_it_is_read(org, live_server) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    answer = _post_headers_only(live_server.url, f"/tasks/{task.pk}/progress/", 200 * MB)
    assert answer.startswith("HTTP/1.1 413")
    assert "200.0\xa0MB" in answer and "50.1\xa0MB" in answer  # the size sent and the page's limit
    assert "未保存" in answer  # in Chinese, as the office reads it
    assert not ProgressReport.objects.exists()


def test_a_page_without_uploads_takes_no_more_than_form_data(org, live_server) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    answer = _post_headers_only(live_server.url, f"/tasks/{task.pk}/comment/", 10 * MB)
    assert answer.startswith("HTTP/1.1 413")


def test_a_report_within_the_limit_goes_in(org, client) -> None:
    task = drive(org, make_task(org), State.IN_PROGRESS)
    client.force_login(org.handler_a)
    files = [SimpleUploadedFile(f"附件{n}.txt", b"x" * 1024, "text/plain") for n in range(3)]
    r = client.post(f"/tasks/{task.pk}/progress/", {"progress-text": "已完成三成", "progress-files": files})
    assert r.status_code == 302
    assert ProgressReport.objects.get().attachments.count() == 3
