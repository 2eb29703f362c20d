"""What counts as usable text: one set of rules for protocol files, rosters and the window.

Plain Python (no Qt, no SQLAlchemy). A name must show something (a letter, digit, punctuation
mark or symbol: not only spaces, zero-width characters, direction marks or lone accents); no
field may hold a control character (terminal escapes, bells), a line separator where one line
is expected, or half of a character (a lone surrogate, which no file written by sound
software holds).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Categories that draw something by themselves: letters, numbers, punctuation, symbols.
# Marks (accents) only decorate a base character; a name of accents alone shows nothing.
_SHOWN = frozenset("LNPS")


def has_visible(text: str) -> bool:
    """True when the text shows at least one letter, digit, punctuation mark or symbol."""
    return any(unicodedata.category(c)[0] in _SHOWN for c in text)


# Control characters (C0, DEL, C1), line and paragraph separators and lone surrogates; a tab is
# always allowed. Searched by one regular expression: a roster checks hundreds of thousands.
_NOT_PLAIN = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_NOT_PLAIN_LINES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def bad_character(text: str, *, lines: bool = False) -> str | None:
    """The first character a plain text must not hold, or None.

    Control characters (C0 and C1, DEL) and lone surrogates are never allowed; a tab always is;
    line breaks only when `lines` (a description may span lines, a name or a code may not).
    """
    found = (_NOT_PLAIN_LINES if lines else _NOT_PLAIN).search(text)
    return found.group() if found else None


def describe_character(c: str) -> str:
    """A character as a message names it: 'a line break (U+000A)', 'the character U+0007'."""
    if c in "\n\r\x0b\x0c\x85\u2028\u2029":
        return f"a line break (U+{ord(c):04X})"
    if 0xD800 <= ord(c) <= 0xDFFF:
        return f"half of a character (U+{ord(c):04X}): the text was written by broken software"
    return f"the control character U+{ord(c):04X}"


def shown(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: a text is cut *inside* its quotes ('abc…'), so the
    sentence around it stays whole; lists, objects and long numbers are described."""
    if isinstance(value, str):
        text = value if len(value) <= limit else value[:limit - 1] + "…"
        return repr(text)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int):
        digits = len(str(abs(value))) if abs(value) < 10 ** 60 else None
        return str(value) if digits is not None else "a number of more than 60 digits"
    if isinstance(value, float):
        text = repr(value)
        return text if len(text) <= limit else "a very long number"
    if isinstance(value, list):
        return f"a list of {len(value)} {'entry' if len(value) == 1 else 'entries'}"
    if isinstance(value, dict):
        return f"an object of {len(value)} {'field' if len(value) == 1 else 'fields'}"
    text = repr(value)
    return text if len(text) <= limit else type(value).__name__


def quoted(text: str, limit: int = 60) -> str:
    """A text as a sentence for a teacher quotes it: in typographic quotes, as the window
    quotes, cut *inside* them ('“Clear learning int…”'); characters that would break the line
    or show nothing are written as escapes (`\\n`, `\\x07`), so the quote shows what is there."""
    return "“" + escaped(text if len(text) <= limit else text[:limit - 1] + "…") + "”"


def escaped(text: str) -> str:
    """The text with each character that would break a line or show nothing written as its
    escape (`\\n`, `\\x07`, `\\u200b`): a message stays one line and shows what is there."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
