"""Raw bytes of a report -> clean normalized text, with an offset map and a record of every repair.

read -> decode -> markup -> repair -> convert -> typeset. A document file (.docx, .pdf, .ofd, .doc,
.wps) is read to plain text first (see `luoshi.text.readers`); that text is its "raw text", and
it skips decode and markup. Each step returns its text and an offset map back to
its input; the maps compose into one map from the normalized text to the decoded raw text. Repairs
are reported with spans in both; anything a person should look at becomes a warning.
"""

from __future__ import annotations

from luoshi.text.convert import SCRIPTS, convert
from luoshi.text.decode import Decoded, NormalizeError, decode
from luoshi.text.markup import strip_markup
from luoshi.text.offsets import OffsetMap
from luoshi.text.readers import read_document
from luoshi.text.repair import RepairColumns, repair
from luoshi.text.types import Normalized
from luoshi.text.typeset import typeset

__all__ = ["NormalizeError", "normalize"]


_SNIPPET = 8  # characters of context on each side in a warning
_MAX_WARNINGS = 50  # one warning per place up to this many; then a count


def _snippet(text: str, start: int, end: int) -> str:
    a = max(0, start - _SNIPPET)
    b = min(len(text), end + _SNIPPET)
    return ("…" if a else "") + text[a:b].replace("\n", " ") + ("…" if b < len(text) else "")


def normalize(data: bytes, *, script: str = "t2s", name: str | None = None) -> Normalized:
    """Normalize the bytes of one document.

    ``script``: "t2s" (Traditional -> Simplified, the default), "s2t", or "keep". ``name``: the
    file's name, where known (it tells a .wps from a .doc; the bytes decide everything else).
    Raises :class:`NormalizeError` when the bytes hold no usable text (empty, binary, a scan).
    """
    if script not in SCRIPTS:
        raise ValueError(f"script must be one of {', '.join(SCRIPTS)}, not {script!r}")
    doc = read_document(data, name)
    if doc is not None:
        dec = Decoded(doc.text, doc.format, list(doc.warnings))
        text, before_repair = dec.text, OffsetMap.identity(len(dec.text))
    else:
        dec = decode(data)
        text, before_repair = strip_markup(dec.text)
    rep = repair(text)
    text, m_convert = convert(rep.text, script)
    text, m_typeset = typeset(text)
    after_repair = m_convert.then(m_typeset)
    offsets = before_repair.then(rep.offsets).then(after_repair)

    warnings = list(dec.warnings)
    cols = rep.columns

    def all_repairs() -> list:
        cols.map_in(before_repair)
        cols.map_out(after_repair)
        return cols.repairs()

    # only the few repairs a person must check are mapped now; the rest when asked for
    picked = [i for i, k in enumerate(cols.kind) if k != "pinyin_annotation"]
    flagged_cols = RepairColumns(**{name: [getattr(cols, name)[i] for i in picked] for name in RepairColumns.__slots__})
    flagged_cols.map_in(before_repair)
    flagged_cols.map_out(after_repair)
    flagged = 0
    for r in flagged_cols.repairs():
        flagged += 1
        if flagged > _MAX_WARNINGS:
            continue
        if r.kind == "lost_character":
            warnings.append(f"check the restored character at {r.text_span[0]} "
                            f"({_snippet(text, *r.text_span)}): {r.detail}")
        else:
            raw = dec.text[r.raw_span[0] : r.raw_span[1]]
            warnings.append(f"could not restore text at {r.text_span[0]} ({_snippet(text, *r.text_span)}; "
                            f"raw {raw!r}): {r.detail}")
    if flagged > _MAX_WARNINGS:
        warnings.append(f"… and {flagged - _MAX_WARNINGS} more restored or unrecoverable places "
                        "(see the repairs)")
    if not text:
        warnings.append("no text left after removing markup and whitespace")
    return Normalized(
        raw_text=dec.text,
        encoding=dec.encoding,
        text=text,
        offsets=offsets,
        repairs=all_repairs if len(cols) else [],
        warnings=warnings,
    )
