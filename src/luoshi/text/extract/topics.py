"""Topics the speakers raised, where the report lists them.

Reports give them in a few fixed shapes:
- a list after 围绕/就 that ends in 等(方面/问题) and a verb of speaking
  (大家分别围绕A、B、C等方面积极发言; 代表们围绕A、B等先后发言);
- one topic per speaker (甲委员就A，乙代表就B…等问题分别提问);
- a topic brought up (在代表们谈到A时).
"""

from __future__ import annotations

import re

_SPEAK = (
    r"(?:先后|分别|相继|依次|踊跃|积极|纷纷|也|还)*(?:作了?)?"
    r"(?:发言|提问|询问|建言献策|建言|交流|谈了?(?:看法|意见|体会)?"
    r"|提出了?(?:意见建议|意见|建议)|进行了?(?:发言|询问|交流|提问))"
)
_LIST = re.compile(
    rf"(?:围绕|就|结合|针对)(?P<body>[^。；：]{{2,400}}?)"
    rf"(?:等(?:方面|问题|话题|领域|内容|议题|事项)?)?(?:的?(?:意见|建议|情况))?(?:[，、])?{_SPEAK}"
)
_PER_PERSON = re.compile(
    r"(?:委员|代表|同志)就(?P<t>[^，。；]{2,80}?)"
    r"(?=，[^，。；]{1,8}(?:委员|代表|同志)就|等(?:问题|方面)|[。；]|$)"
)
_BROUGHT_UP = re.compile(r"(?:代表|委员)们?(?:在发言中)?(?:谈到|提到|说到|问到|反映)(?P<t>[^，。；]{2,60}?)时")
_WHO_SPEAKS = re.compile(r"代表|委员|大家|与会|同志|专家|企业家|群众")


def _clean(t: str) -> str:
    t = t.strip("，、 ")
    t = re.sub(r"等(?:方面|问题|话题|领域)?$", "", t)
    return t


def find_topics(text: str) -> list[str]:
    """Topic phrases raised by the speakers, in order."""
    out: list[str] = []

    def add(t: str) -> None:
        t = _clean(t)
        if 2 <= len(t) <= 60 and t not in out:
            out.append(t)

    per_person = list(_PER_PERSON.finditer(text))
    if len(per_person) >= 2:
        for m in per_person:
            add(m.group("t"))
        return out
    for m in _LIST.finditer(text):
        # the subject of the sentence must be the speakers, not the leader
        sent_start = max(text.rfind(c, 0, m.start()) for c in "。！？\n") + 1
        if not _WHO_SPEAKS.search(text, sent_start, m.start() + 2):
            continue
        body = m.group("body")
        if "，" in body:
            continue
        for part in body.split("、"):
            add(part)
    for m in _BROUGHT_UP.finditer(text):
        add(m.group("t"))
    return out
