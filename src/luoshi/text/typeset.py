"""Chinese typesetting: punctuation width and whitespace.

- ASCII ``, : ; ? !`` become full width where a neighbour is Chinese (a CJK character or full-width
  punctuation); ``1,000``, ``7:30`` and ``http://`` have no Chinese neighbour and stay.
- A pair of ``"`` around Chinese words becomes ``“”`` (a pasted page's straight quotes).
- A ``(`` and its matching ``)`` change together, when either is next to Chinese on the outside or
  the inside (``（含10万元）``, ``（硫含量不大于50ppm）``, ``国内生产总值（GDP）``); an unmatched one changes
  when a neighbour is Chinese.
- Spaces (ASCII, tab, U+3000, no-break) next to full-width punctuation go, as do those at the start and
  end of each line; empty lines go. Spaces between words inside a line stay (a title's
  ``李克强参加云南 山西代表团审议``). Line structure is kept.

Punctuation changes keep the length, so only the whitespace deletions enter the offset map. Each
regex begins with a literal character, and each pass is skipped when its character is absent, so that
a 20 MB text costs a few scans at C speed.
"""

from __future__ import annotations

import re

from luoshi.text.offsets import OffsetMap, deletions_map, replace_all

_FW_PUNCT = "，。、；：？！（）“”‘’《》〈〉【】「」『』…—～〔〕［］"
# Chinese context: ideographs, CJK symbols and punctuation, full-width forms, Chinese quotes and dashes.
_CTX_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3001-\u303f\uff01-\uffef“”‘’…—"
_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_SINGLE = {
    c: re.compile(f"{re.escape(c)}(?:(?=[{_CTX_CLASS}])|(?<=[{_CTX_CLASS}]{re.escape(c)}))")
    for c in "(),:;?!"
}
# A pair is Chinese when the character before it, the first or last inside, or the one after is.
_PAIRS = (
    re.compile(f"\\((?<=[{_CTX_CLASS}]\\()([^()\\n]*)\\)"),
    re.compile(f"\\((?=[{_CTX_CLASS}])([^()\\n]*)\\)"),
    re.compile(f"\\(([^()\\n]*[{_CTX_CLASS}])\\)"),
    re.compile(f"\\(([^()\\n]*)\\)(?=[{_CTX_CLASS}])"),
)
_CJK = re.compile(f"[{_CTX_CLASS}]")
_CR_LF = re.compile("(\r)(?=\n)")
_LONE_CR = re.compile("\r(?!\n)")
_SPACE_RUNS = {c: re.compile(f"{re.escape(c)}[ \\t\\u3000]*") for c in " \t\u3000"}
_BLANK = re.compile("\n[ \t\u3000\n]+")
_SPACE_CHARS = " \t\u3000\n"


def punctuation(text: str) -> str:
    """ASCII punctuation to full width in Chinese context (same length)."""
    if "(" in text:  # pairs first: a pair changes together
        for rx in _PAIRS:
            text = rx.sub(r"（\1）", text)
            if "(" not in text:
                break
    for c, rx in _SINGLE.items():  # then unmatched parentheses and , : ; ? !
        if c in text:
            text = rx.sub(_FULL[c], text)
    if '"' in text:
        text = "\n".join(_quotes(line) if '"' in line else line for line in text.split("\n"))
    return text


def _quotes(line: str) -> str:
    """Straight double quotes taken in pairs from the left; a pair around Chinese becomes “…”."""
    at = [i for i, c in enumerate(line) if c == '"']
    chars = list(line)
    for a, b in zip(at[0::2], at[1::2], strict=False):
        if _CJK.search(line, a + 1, b):
            chars[a], chars[b] = "“", "”"
    return "".join(chars)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def whitespace_deletions(text: str) -> list[tuple[int, int]]:
    """Sorted, disjoint spans of whitespace to delete."""
    n = len(text)
    spans: list[tuple[int, int]] = []
    runs: list[tuple[int, int]] = []
    for c, rx in _SPACE_RUNS.items():
        if c in text:
            runs.extend(m.span() for m in rx.finditer(text))
    for s, e in _merge(runs) if len(runs) > 1 else runs:
        before = text[s - 1] if s else "\n"
        after = text[e] if e < n else "\n"
        if before == "\n" or after == "\n" or before in _FW_PUNCT or after in _FW_PUNCT:
            spans.append((s, e))
    if "\n" in text:
        spans.extend((m.start() + 1, m.end()) for m in _BLANK.finditer(text))
    # the start and the end of the text
    i = 0
    while i < n and text[i] in _SPACE_CHARS:
        i += 1
    if i:
        spans.append((0, i))
    j = n
    while j > i and text[j - 1] in _SPACE_CHARS:
        j -= 1
    if j < n:
        spans.append((j, n))
    return _merge(spans) if len(spans) > 1 else spans


def typeset(text: str) -> tuple[str, OffsetMap]:
    """Full-width punctuation in Chinese context and tidy whitespace; return new text and its map."""
    offsets = OffsetMap.identity(len(text))
    if "\r" in text:  # line ends: CR LF -> LF (the CR is dropped), a lone CR -> LF
        if text.count("\r") != text.count("\r\n"):
            text = _LONE_CR.sub("\n", text)
        text, offsets = replace_all(text, _CR_LF, "")
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    text = punctuation(text)
    spans = whitespace_deletions(text)
    if not spans:
        return text, offsets
    pieces: list[str] = []
    last = 0
    for s, e in spans:
        pieces.append(text[last:s])
        last = e
    pieces.append(text[last:])
    return "".join(pieces), offsets.then(deletions_map(spans, len(text)))
