"""Where a bracket that holds a position closes: a cue inside "(joined in 1995)" has its object
inside the same brackets, never after them."""

from __future__ import annotations


def bracket_end(text: str, position: int) -> int | None:
    """The offset of the ')' that closes the innermost bracket open at `position`, if any."""
    opened = text.rfind("(", 0, position)
    if opened < 0 or text.find(")", opened, position) >= 0:
        return None
    closed = text.find(")", position)
    return closed if closed >= 0 else None
