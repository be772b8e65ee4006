"""Luoshi (落实): turns what was said at a meeting into tracked, closed-loop work."""

__version__ = "0.1.0"
