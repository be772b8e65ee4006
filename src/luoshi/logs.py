"""Logging that an operator can read: a refused request is one line, not a traceback.

Django logs a 403 (PermissionDenied) or a 400 (SuspiciousOperation, a bad request) with the
exception's traceback; a probe that tries a thousand addresses then fills the log with
thousands of tracebacks of nothing wrong. A server error (5xx) keeps its traceback.
"""

from __future__ import annotations

import logging


class RefusalsInOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500 and record.exc_info:
            exc = record.exc_info[1]
            reason = f" ({type(exc).__name__}: {exc})" if exc is not None and str(exc) else ""
            record.msg = f"{record.getMessage()} [{status}]{reason}".replace("\n", " ")
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True
