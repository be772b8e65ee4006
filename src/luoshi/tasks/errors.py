"""The one error every refused action raises, with a code that a page or the API turns into a status."""

from __future__ import annotations


class WorkflowError(Exception):
    """A refused action. ``code`` says why: not_found, forbidden, state, stale or invalid."""

    status = {"not_found": 404, "forbidden": 403, "state": 409, "stale": 409, "invalid": 400}

    def __init__(self, message, code: str = "invalid"):
        super().__init__(str(message))
        self.message = message
        self.code = code

    @property
    def http_status(self) -> int:
        return self.status[self.code]
