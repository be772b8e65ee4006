"""Extraction: from normalized text to the fields of EXTRACTION.md.

`extract(text)` reads only the normalized text (no bytes, no database) and returns an
`Extraction`; every directive carries its span in that text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from luoshi.text.extract.directives import Directive, find_directives
from luoshi.text.extract.meta import front, meeting_date, text_year, title_lines
from luoshi.text.extract.methods import find_methods
from luoshi.text.extract.people import find_cast, roles
from luoshi.text.extract.places import find_places
from luoshi.text.extract.topics import find_topics
from luoshi.text.segment import paragraphs

__all__ = ["Directive", "Extraction", "extract"]


@dataclass
class Extraction:
    title: str | None = None
    subtitle: str | None = None
    date: str | None = None
    year: int | None = None  # the year the text speaks from, where printed or implied
    leaders: list[str] = field(default_factory=list)
    attendees: list[str] = field(default_factory=list)
    speakers: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    directives: list[Directive] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what a person should check
    explain: list[str] = field(default_factory=list)  # why each candidate directive was kept or dropped

    def as_dict(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "date": self.date,
            "leaders": self.leaders,
            "attendees": self.attendees,
            "speakers": self.speakers,
            "topics": self.topics,
            "directives": [d.as_dict() for d in self.directives],
            "places": self.places,
            "methods": self.methods,
        }


def extract(text: str, *, today: dt.date | None = None) -> Extraction:
    """Everything EXTRACTION.md asks for, from normalized text.

    ``today`` gives the year for deadlines where the text neither prints nor implies one.
    """
    paras = paragraphs(text)
    title, subtitle = title_lines(paras)
    date, printed_year = meeting_date(paras)
    year = printed_year or text_year(text)
    if date and len(date) == 5 and year:
        date = f"{year:04d}-{date}"
    lead = front(paras).lead
    cast = find_cast(text, title, lead.text if lead else "")
    deadline_year = year or (today or dt.date.today()).year
    meeting = _meeting_day(date, deadline_year)
    warnings: list[str] = []
    found = find_directives(text, paras, cast, deadline_year, meeting, warnings, year_known=year is not None)
    people = roles(cast, found.issuers)
    return Extraction(
        title=title,
        subtitle=subtitle,
        date=date,
        year=year,
        leaders=people.leaders,
        attendees=people.attendees,
        speakers=people.speakers,
        topics=find_topics(text),
        directives=found.directives,
        places=find_places(text),
        methods=find_methods(text),
        warnings=warnings,
        explain=found.explain(text),
    )


def _meeting_day(date: str | None, year: int) -> dt.date | None:
    """The meeting date as a day, its year assumed where the text does not give one."""
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date if len(date) == 10 else f"{year:04d}-{date}")
    except ValueError:
        return None
