"""Sparse, composable offset maps between a text and the text it was made from.

Every normalization step returns its new text plus an :class:`OffsetMap` from the new text ("text")
back to its input ("raw"). A map stores only the regions whose length changed; everywhere else the
mapping is the identity plus a shift, found by bisecting the sorted edit starts. Same-length
substitutions (script conversion, punctuation width) need no entry at all, which keeps the maps of a
20 MB text down to a few entries per paragraph.

Composition is lazy: ``first.then(second)`` keeps both layers and maps through them in turn, so
composing costs nothing and a lookup costs one bisect per layer.

Span convention: a span's start maps to the start of whatever the start position came from and a
span's end maps to the end, so a span that touches a replaced region covers all of it (the raw span
of a repaired word contains its whole raw annotation). Text deleted at a span's edge is left out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, chain, compress, repeat
from operator import add, le, lt, sub

Edit = tuple[int, int, str]  # (start, end, replacement) in the input text


class _Layer:
    """One step's edits: parallel sorted lists; region k maps out[os[k]:oe[k]] <- in[is_[k]:ie[k]]."""

    __slots__ = ("_bulk", "ie", "in_len", "is_", "oe", "os", "out_len")

    def __init__(
        self, os: list[int], oe: list[int], is_: list[int], ie: list[int], out_len: int, in_len: int
    ) -> None:
        self.os, self.oe, self.is_, self.ie = os, oe, is_, ie
        self.out_len, self.in_len = out_len, in_len
        self._bulk: dict[bool, tuple[list[int], list[int]]] = {}

    # The four lookups below are the same two functions with the roles of the sides swapped.
    @staticmethod
    def _left(i: int, a0: list[int], a1: list[int], b0: list[int], b1: list[int]) -> int:
        k = bisect_right(a0, i) - 1
        if k < 0:
            return i
        s0, s1, t0, t1 = a0[k], a1[k], b0[k], b1[k]
        if i >= s1:  # after the region (also: a deletion at i is skipped)
            return t1 + (i - s1)
        if s1 - s0 == t1 - t0:
            return t0 + (i - s0)
        return t0 if i == s0 else min(t0 + (i - s0), t1)

    @staticmethod
    def _right(j: int, a0: list[int], a1: list[int], b0: list[int], b1: list[int]) -> int:
        k = bisect_right(a0, j - 1) - 1  # last region starting before j
        if k < 0:
            return j
        s0, s1, t0, t1 = a0[k], a1[k], b0[k], b1[k]
        if j >= s1:
            return t1 + (j - s1)
        if s1 - s0 == t1 - t0:
            return t0 + (j - s0)
        return t1  # inside a resized region: cover all of it

    def to_raw(self, i: int) -> int:
        return self._left(i, self.os, self.oe, self.is_, self.ie)

    def to_raw_end(self, j: int) -> int:
        return self._right(j, self.os, self.oe, self.is_, self.ie)

    def to_text(self, i: int) -> int:
        return self._left(i, self.is_, self.ie, self.os, self.oe)

    def to_text_end(self, j: int) -> int:
        return self._right(j, self.is_, self.ie, self.os, self.oe)

    def map_many(self, ps: list[int], forward: bool, end: bool) -> list[int]:
        """Map many positions at once: ``to_text``/``to_text_end`` if ``forward``, else ``to_raw``/
        ``to_raw_end``. Outside the regions a position moves by the shift of the region before it,
        which ``map``/``bisect`` compute in C; the few inside a region take the scalar path."""
        if not ps:
            return []
        if forward:
            a0, a1, b0, b1 = self.is_, self.ie, self.os, self.oe
        else:
            a0, a1, b0, b1 = self.os, self.oe, self.is_, self.ie
        if forward not in self._bulk:  # sentinel first: index 0 means "before every region"
            self._bulk[forward] = ([0, *map(sub, b1, a1)], [-1, *a1])
        shift, ends = self._bulk[forward]
        n = len(ps)
        r = len(a0)
        if r * 2 < n and all(map(le, ps, ps[1:])):
            # few regions, sorted positions: cut the positions at each region start instead
            cuts = list(map(bisect_right if end else bisect_left, repeat(ps, r), a0))
            counts = map(sub, [*cuts, n], [0, *cuts])
            ks = list(chain.from_iterable(map(repeat, range(r + 1), counts)))
        else:
            ks = list(map(bisect_left if end else bisect_right, repeat(a0, n), ps))
        out = list(map(add, ps, map(shift.__getitem__, ks)))
        inside = list(map(lt, ps, map(ends.__getitem__, ks)))
        if any(inside):
            scalar = self._right if end else self._left
            for i in compress(range(n), inside):
                out[i] = scalar(ps[i], a0, a1, b0, b1)
        return out


class OffsetMap:
    """Maps offsets of a text back to the text it was made from (and forward again).

    ``to_raw``/``to_raw_span`` go from the (later) text to the (earlier) raw text; ``to_text``/
    ``to_text_span`` go the other way. Maps of successive steps compose with :meth:`then`.
    """

    __slots__ = ("_layers", "_raw_len", "_text_len")

    def __init__(self, layers: tuple[_Layer, ...], text_len: int, raw_len: int):
        self._layers = layers
        self._text_len = text_len
        self._raw_len = raw_len

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls((), length, length)

    @classmethod
    def from_regions(
        cls, regions: Iterable[tuple[int, int, int, int]], text_len: int, raw_len: int
    ) -> OffsetMap:
        """Build from sorted, non-overlapping ``(text_start, text_end, raw_start, raw_end)`` regions.

        Touching regions stay separate, so that each keeps its own alignment."""
        os: list[int] = []
        oe: list[int] = []
        is_: list[int] = []
        ie: list[int] = []
        for o0, o1, i0, i1 in regions:
            if o1 - o0 == i1 - i0:
                continue  # same length: the identity covers it
            os.append(o0)
            oe.append(o1)
            is_.append(i0)
            ie.append(i1)
        if not os:
            if text_len != raw_len:
                raise ValueError("lengths differ but no resized region was given")
            return cls((), text_len, raw_len)
        if raw_len - ie[-1] != text_len - oe[-1]:
            raise ValueError("regions do not account for the length difference")
        return cls((_Layer(os, oe, is_, ie, text_len, raw_len),), text_len, raw_len)

    @classmethod
    def from_arrays(
        cls, os: list[int], oe: list[int], is_: list[int], ie: list[int], text_len: int, raw_len: int
    ) -> OffsetMap:
        """Build from parallel region lists (sorted and disjoint).

        The fast path of steps that compute their regions in bulk; nothing is checked but the ends."""
        if not os:
            return cls.identity(text_len)
        if raw_len - ie[-1] != text_len - oe[-1]:
            raise ValueError("regions do not account for the length difference")
        return cls((_Layer(os, oe, is_, ie, text_len, raw_len),), text_len, raw_len)

    def then(self, later: OffsetMap) -> OffsetMap:
        """Compose: ``self`` maps text B -> raw A, ``later`` maps text C -> B; the result maps C -> A."""
        if later._raw_len != self._text_len:
            raise ValueError(f"cannot compose: later step's input has {later._raw_len} characters, "
                             f"this step's output {self._text_len}")
        if not later._layers:
            return self
        if not self._layers:
            return later
        return OffsetMap(self._layers + later._layers, later._text_len, self._raw_len)

    # -- queries ------------------------------------------------------------------------------
    @property
    def text_len(self) -> int:
        return self._text_len

    @property
    def raw_len(self) -> int:
        return self._raw_len

    @property
    def is_identity(self) -> bool:
        return not self._layers

    def __len__(self) -> int:
        """Number of stored (resized) regions over all layers."""
        return sum(len(layer.os) for layer in self._layers)

    def _check(self, i: int, n: int, what: str) -> None:
        if not 0 <= i <= n:
            raise IndexError(f"{what} offset {i} outside 0..{n}")

    def to_raw(self, i: int) -> int:
        """The raw offset that text offset ``i`` came from (a start position)."""
        self._check(i, self._text_len, "text")
        for layer in reversed(self._layers):
            i = layer.to_raw(i)
        return i

    def to_raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw span that the text span [start, end) came from."""
        self._check(start, self._text_len, "text")
        self._check(end, self._text_len, "text")
        if end < start:
            raise ValueError(f"span end {end} before start {start}")
        if end == start:
            p = self.to_raw(start)
            return p, p
        for layer in reversed(self._layers):
            start, end = layer.to_raw(start), layer.to_raw_end(end)
        return start, max(start, end)

    def to_text(self, i: int) -> int:
        """The text offset that raw offset ``i`` ended up at (a start position)."""
        self._check(i, self._raw_len, "raw")
        for layer in self._layers:
            i = layer.to_text(i)
        return i

    def to_text_span(self, start: int, end: int) -> tuple[int, int]:
        """The text span that the raw span [start, end) became."""
        self._check(start, self._raw_len, "raw")
        self._check(end, self._raw_len, "raw")
        if end < start:
            raise ValueError(f"span end {end} before start {start}")
        if end == start:
            p = self.to_text(start)
            return p, p
        for layer in self._layers:
            start, end = layer.to_text(start), layer.to_text_end(end)
        return start, max(start, end)

    def map_spans(self, starts: list[int], ends: list[int], *, to_raw: bool) -> tuple[list[int], list[int]]:
        """Map many spans at once (columns of starts and ends), like ``to_raw_span``/``to_text_span``
        but without range checks: for the pipeline's own spans."""
        layers = reversed(self._layers) if to_raw else self._layers
        for layer in layers:
            empty = list(map(sub, ends, starts))
            starts = layer.map_many(starts, not to_raw, end=False)
            mapped = layer.map_many(ends, not to_raw, end=True)
            # an empty span maps like its start
            pick = zip(mapped, empty, starts, strict=True)
            ends = mapped if all(empty) else [m if w else s for m, w, s in pick]
        return starts, list(map(max, starts, ends))

    def to_raw_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """``to_raw_span`` for many spans at once."""
        spans = list(spans)
        starts, ends = self.map_spans([s for s, _ in spans], [e for _, e in spans], to_raw=True)
        return list(zip(starts, ends, strict=True))

    def to_text_spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        """``to_text_span`` for many spans at once."""
        spans = list(spans)
        starts, ends = self.map_spans([s for s, _ in spans], [e for _, e in spans], to_raw=False)
        return list(zip(starts, ends, strict=True))

    def regions(self) -> list[list[tuple[int, int, int, int]]]:
        """The stored regions of each layer (first step first), for inspection and tests."""
        return [list(zip(lay.os, lay.oe, lay.is_, lay.ie, strict=True)) for lay in self._layers]

    def __repr__(self) -> str:
        return f"OffsetMap(text_len={self._text_len}, raw_len={self._raw_len}, regions={len(self)})"


def compose(*maps: OffsetMap) -> OffsetMap:
    """Compose the maps of successive steps, first step first."""
    if not maps:
        raise ValueError("compose() needs at least one map")
    out = maps[0]
    for m in maps[1:]:
        out = out.then(m)
    return out


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, OffsetMap]:
    """Apply sorted, non-overlapping ``(start, end, replacement)`` edits; return new text and its map.

    Only edits that change length are stored in the map.
    """
    pieces: list[str] = []
    os: list[int] = []
    oe: list[int] = []
    is_: list[int] = []
    ie: list[int] = []
    pos = 0
    out = 0
    for s, e, rep in edits:
        if s < pos or e < s:
            raise ValueError(f"edits overlap or are unsorted at {s}..{e}")
        if s > pos:
            pieces.append(text[pos:s])
            out += s - pos
        n = len(rep)
        if n:
            pieces.append(rep)
        if n != e - s:  # touching edits stay separate regions, each with its own alignment
            os.append(out)
            oe.append(out + n)
            is_.append(s)
            ie.append(e)
        out += n
        pos = e
    if not os and not pieces:
        return text, OffsetMap.identity(len(text))
    pieces.append(text[pos:])
    new = "".join(pieces)
    if not os:
        return new, OffsetMap.identity(len(new))
    return new, OffsetMap((_Layer(os, oe, is_, ie, len(new), len(text)),), len(new), len(text))


def deletions_map(positions: Iterable[tuple[int, int]], raw_len: int) -> OffsetMap:
    """The map of a step that only deleted the given sorted, disjoint raw spans."""
    os: list[int] = []
    is_: list[int] = []
    ie: list[int] = []
    shift = 0
    for s, e in positions:
        if e <= s:
            continue
        if ie and ie[-1] == s:
            ie[-1] = e
        else:
            os.append(s - shift)
            is_.append(s)
            ie.append(e)
        shift += e - s
    if not os:
        return OffsetMap.identity(raw_len)
    text_len = raw_len - shift
    return OffsetMap((_Layer(os, list(os), is_, ie, text_len, raw_len),), text_len, raw_len)


def replace_all(text: str, rx: re.Pattern[str], rep: str) -> tuple[str, OffsetMap]:
    """Replace every match of ``rx`` by the fixed string ``rep``; return new text and its map.

    ``rx`` must have exactly one capturing group around the whole pattern, so that one ``split``
    returns both the kept pieces and the matches. The work per match is then done in C (``split``,
    ``join``, ``accumulate``), which matters for the tens of thousands of paragraph breaks in a
    20 MB text.
    """
    if rx.groups != 1:
        raise ValueError("replace_all needs a pattern with one capturing group around it all")
    pieces = rx.split(text)
    if len(pieces) == 1:
        return text, OffsetMap.identity(len(text))
    parts = pieces[0::2]
    matches = pieces[1::2]
    new = rep.join(parts)
    n = len(matches)
    r = len(rep)
    lens_m = list(map(len, matches))
    cum_p = list(accumulate(map(len, parts[:-1])))  # kept text before match k
    cum_m = [0, *accumulate(lens_m[:-1])]  # matched text before match k
    is_ = list(map(add, cum_p, cum_m))
    ie = list(map(add, is_, lens_m))
    os = list(map(add, cum_p, range(0, r * n, r))) if r else cum_p
    oe = list(map(add, os, repeat(r, n))) if r else list(os)
    layer = _Layer(os, oe, is_, ie, len(new), len(text))
    return new, OffsetMap((layer,), len(new), len(text))
