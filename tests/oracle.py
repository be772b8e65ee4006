"""What each role may do in each state, written out by hand from the rules of the closed loop.

These tables are the tests' own answer: they are not read from `workflow.TRANSITIONS` or
`access.PERMISSIONS`, so a change to either that gives someone a new power (the lead unit
closing its own task) or takes one away fails a test instead of updating its expectation.

The rules, as an office states them:
- The supervision office (督查室) assigns a draft, withdraws (撤回) a task not yet signed for,
  decides on requests for another unit and for more time, closes or returns a submission,
  reopens a closed task, and may comment on any task. Only it edits drafts, and only drafts.
- The lead unit (handler or head) signs for (签收) a task or asks for another unit, starts
  handling, asks for more time, submits for closing and resumes after a return or a reopening.
  Where the organisation wants the unit head's approval, a handler's submission goes to the
  head, who approves it or sends it back; a head's own submission goes straight on.
- The lead and co-units report progress while the task is being handled (in progress, or
  waiting for an extension decision).
- The leader who issued the task comments (批示) on it in any state; the lead unit acknowledges
  (已阅) a leader's instruction in any state.
- While the unit has the task and the next step is its own (assigned to closing, but not while
  the supervision office decides on it), the supervision office may urge it (催办).
- The supervision office issues a supervision notice (督办通知单) for a task once it is handed out
  and until it is closed (not for a draft, not for a closed task).
- Milestones (节点): the supervision office plans them on any task not closed; the lead unit
  plans them and marks them done while it holds the task (the same states as urging).
- The deputy who proposed it rates the reply once the task is closed: satisfied or basically
  satisfied, or unsatisfied, which reopens it. Once rated, no second rating.
- The system (a monitoring rule), and no user, acts on a monitoring alert's task only: it assigns
  the draft it raised to the unit that must act, closes the task in whatever state it stands when
  the risk is removed (风险消除), and reopens it once closed when the rule is breached again.
"""

from __future__ import annotations

from tests.factories import Org

# the user of tests.factories who holds each role toward a task made by make_task()
USER_OF_ROLE = {
    "supervisor": "supervisor",
    "lead_handler": "handler_a",
    "lead_head": "head_a",
    "co_handler": "handler_b",
    "co_head": "head_b",
    "leader": "leader",
    "proposer": "deputy",
}
NOBODY = ("admin", "outsider", "other_supervisor")  # see nothing of the task

MOVES = {"assign", "withdraw", "accept", "request_reassignment", "approve_reassignment", "reject_reassignment",
         "start", "request_extension", "approve_extension", "reject_extension", "submit", "approve_submission",
         "send_back", "close", "return", "resume", "rate", "rate_unsatisfied", "reopen", "risk_cleared",
         "risk_renewed"}
OTHERS = {"report_progress", "comment", "edit", "urge", "acknowledge", "add_milestone", "complete_milestone",
          "give_opinion", "issue_notice", "hand_down", "allow_open_subtasks"}
_CO = {"give_opinion"}

_HOLDS = {"acknowledge", "add_milestone", "complete_milestone"}  # the lead unit, while it holds the task
_LEAD_IN_PROGRESS = {"request_extension", "submit", "report_progress", "hand_down", *_HOLDS}
_ACK = {"acknowledge"}

# state -> role -> what that role may do (roles not named: nothing, but they see the task)
ALLOWED: dict[str, dict[str, set[str]]] = {
    "draft": {"supervisor": {"assign", "edit", "comment", "add_milestone"}},
    "assigned": {
        "supervisor": {"withdraw", "comment", "urge", "add_milestone", "issue_notice"},
        "lead_handler": {"accept", "request_reassignment", *_HOLDS},
        "lead_head": {"accept", "request_reassignment", *_HOLDS},
        "co_handler": _CO,
        "co_head": _CO,
        "leader": {"comment"},
    },
    "reassignment_requested": {
        "supervisor": {"withdraw", "approve_reassignment", "reject_reassignment", "comment", "add_milestone",
                       "issue_notice"},
        "lead_handler": _ACK,
        "lead_head": _ACK,
        "leader": {"comment"},
    },
    "accepted": {
        "supervisor": {"comment", "urge", "add_milestone", "issue_notice"},
        "lead_handler": {"start", "hand_down", *_HOLDS},
        "lead_head": {"start", "hand_down", *_HOLDS},
        "co_handler": _CO,
        "co_head": _CO,
        "leader": {"comment"},
    },
    "in_progress": {
        "supervisor": {"comment", "urge", "add_milestone", "issue_notice", "allow_open_subtasks"},
        "lead_handler": _LEAD_IN_PROGRESS,
        "lead_head": _LEAD_IN_PROGRESS,
        "co_handler": {"report_progress", "give_opinion"},
        "co_head": {"report_progress", "give_opinion"},
        "leader": {"comment"},
    },
    "extension_requested": {
        "supervisor": {"approve_extension", "reject_extension", "comment", "urge", "add_milestone", "issue_notice",
                       "allow_open_subtasks"},
        "lead_handler": {"report_progress", "hand_down", *_HOLDS},
        "lead_head": {"report_progress", "hand_down", *_HOLDS},
        "co_handler": {"report_progress", "give_opinion"},
        "co_head": {"report_progress", "give_opinion"},
        "leader": {"comment"},
    },
    "unit_review": {  # only with the unit head's approval on
        "supervisor": {"comment", "urge", "add_milestone", "issue_notice"},
        "lead_handler": _HOLDS,
        "lead_head": {"approve_submission", "send_back", *_HOLDS},
        "co_handler": _CO,
        "co_head": _CO,
        "leader": {"comment"},
    },
    "submitted": {
        "supervisor": {"close", "return", "comment", "add_milestone", "issue_notice"},
        "lead_handler": _ACK,
        "lead_head": _ACK,
        "leader": {"comment"},
    },
    "returned": {
        "supervisor": {"comment", "urge", "add_milestone", "issue_notice"},
        "lead_handler": {"resume", *_HOLDS},
        "lead_head": {"resume", *_HOLDS},
        "co_handler": _CO,
        "co_head": _CO,
        "leader": {"comment"},
    },
    "closed": {
        "supervisor": {"reopen", "comment"},
        "lead_handler": _ACK,
        "lead_head": _ACK,
        "leader": {"comment"},
        "proposer": {"rate", "rate_unsatisfied"},
    },
    "reopened": {
        "supervisor": {"comment", "urge", "add_milestone", "issue_notice"},
        "lead_handler": {"resume", *_HOLDS},
        "lead_head": {"resume", *_HOLDS},
        "co_handler": _CO,
        "co_head": _CO,
        "leader": {"comment"},
    },
}

# What the system may do on a monitoring alert's task (kind "alert"), state by state; on a task of
# any other kind, nothing.
SYSTEM_ALLOWED: dict[str, set[str]] = {
    "draft": {"assign", "risk_cleared"},
    "assigned": {"risk_cleared"},
    "reassignment_requested": {"risk_cleared"},
    "accepted": {"risk_cleared"},
    "in_progress": {"risk_cleared"},
    "extension_requested": {"risk_cleared"},
    "unit_review": {"risk_cleared"},
    "submitted": {"risk_cleared"},
    "returned": {"risk_cleared"},
    "closed": {"risk_renewed"},
    "reopened": {"risk_cleared"},
}

# Where a submission goes: (head approval on?, who submits) -> state after
SUBMIT_GOES_TO = {
    (False, "lead_handler"): "submitted",
    (False, "lead_head"): "submitted",
    (True, "lead_handler"): "unit_review",
    (True, "lead_head"): "submitted",
}


def expected(state: str, role: str | None) -> set[str]:
    if role is None or (state == "draft" and role != "supervisor"):
        return set()
    return set(ALLOWED[state].get(role, set()))


def sees(state: str, role: str | None) -> bool:
    return role is not None and (state != "draft" or role == "supervisor")


def users(org: Org):
    """(name, user, role or None) for everyone of the test organisation."""
    role_of = {u: r for r, u in USER_OF_ROLE.items()}
    return [(name, user, role_of.get(name)) for name, user in org.users().items()]
