"""The text pipeline: decode → repair → convert → typeset → segment → extract.

Pure Python with no Django import, so that `luoshi extract` runs without a database and
any part can be tested alone. `process(bytes)` does everything; its two halves are
`luoshi.text.normalize.normalize` and `luoshi.text.extract.extract` (not re-exported here:
their names are those of their modules). Names are loaded on first use so that importing
one half does not load the other's libraries (OpenCC, pypinyin, jieba).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Extraction": "luoshi.text.extract",
    "NormalizeError": "luoshi.text.normalize",
    "Processed": "luoshi.text.pipeline",
    "process": "luoshi.text.pipeline",
    "Normalized": "luoshi.text.types",
    "Repair": "luoshi.text.types",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'luoshi.text' has no attribute {name!r}")
