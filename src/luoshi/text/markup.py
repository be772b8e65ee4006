"""Strip HTML markup: tags, entities, and a leading feed tag such as ``[视频]``.

A run of block-level tags (``</p>\\n<p>``, ``<br/></p><p>``) together with the whitespace after it
(line ends, ideographic-space indents) becomes one paragraph break; inline tags, comments, scripts and
styles vanish; entities are unescaped. Text without markup passes through unchanged (a feed tag at the
very start counts as markup), and a fast check (is there a ``<`` or ``&`` at all?) skips the scans.
"""

from __future__ import annotations

import html
import re

from luoshi.text.offsets import Edit, OffsetMap, apply_edits, replace_all

_BLOCK = (
    "address|article|aside|blockquote|body|br|caption|center|dd|div|dl|dt|figcaption|figure|footer|form|"
    "h[1-6]|head|header|hr|html|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul"
)
_WS = "[ \\t\\n\\r\\f\\v\\u3000\\xa0]"
# Every pattern starts with a literal "<" or "&" so that the regex engine can skip ahead at C speed.
# A run of block tags and the whitespace after each is one paragraph break.
_BLOCK_RUN = re.compile(
    rf"(<(?:/?(?:{_BLOCK})\b[^<>]*)>{_WS}*(?:<(?:/?(?:{_BLOCK})\b[^<>]*)>{_WS}*)*)", re.IGNORECASE
)
# Everything else that is markup: comments, scripts and styles with their content, inline tags,
# declarations, processing instructions.
_OTHER = re.compile(
    rf"""<(?:
        !--.*?-->
      | (?:script|style)\b[^>]*>.*?</(?:script|style)\s*>
      | /?(?!(?:{_BLOCK})\b)[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>
      | ![a-zA-Z][^<>]*>
      | \?[^<>]*\?>
    )""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
_ENTITY = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
# A feed's tag before the title: [视频] 【视频】 ［图文］ — one to four Chinese characters in brackets.
_FEED_TAG = re.compile(r"[\[【［][ \u3000]*[\u3400-\u9fff]{1,4}[ \u3000]*[\]】］]")
_LEAD = re.compile(r"[ \t\n\r\u3000\xa0\ufeff]*")


def _feed_tag(text: str) -> Edit | None:
    start = _LEAD.match(text).end()
    m = _FEED_TAG.match(text, start)
    if m is None:
        return None
    end = m.end()
    while end < len(text) and text[end] in " \t\u3000\xa0":  # the tag's trailing space goes too
        end += 1
    return (m.start(), end, "")


def _entity_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _ENTITY.finditer(text):
        src = m.group()
        rep = html.unescape(src)
        if rep != src:
            edits.append((m.start(), m.end(), rep))
    return edits


def strip_markup(text: str) -> tuple[str, OffsetMap]:
    """Remove tags and the feed tag, unescape entities; return the new text and its offset map.

    A run of block tags becomes one line break; the typesetting step removes the empty lines and the
    spaces this leaves behind.
    """
    offsets = OffsetMap.identity(len(text))
    if "<" in text:
        text, m = replace_all(text, _BLOCK_RUN, "\n")
        offsets = offsets.then(m)
    if "<" in text:  # inline tags, comments, scripts: rare in this genre, so checked after the blocks
        edits = [(m.start(), m.end(), "") for m in _OTHER.finditer(text)]
        if edits:
            text, m = apply_edits(text, edits)
            offsets = offsets.then(m)
    if "&" in text:
        edits = _entity_edits(text)
        if edits:
            text, m = apply_edits(text, edits)
            offsets = offsets.then(m)
    feed = _feed_tag(text)
    if feed is not None:
        text, m = apply_edits(text, [feed])
        offsets = offsets.then(m)
    return text, offsets
