"""Regexes that skip fast to where a match can begin: `opening_class(pattern)`, `fast_start(pattern)`.

A search tries a pattern at every position; a pattern that opens with a word boundary, an
alternation of twenty words or a lookbehind pays that at each one. The characters a match can
open with are read once from the pattern's parse tree, and `(?=[those])` is put in front: a
position whose character is not one of them fails at the first test. A match needs its first
character to be one of them anyway, so every search, match and finditer finds exactly what the
pattern alone finds (groups, names and `lastgroup` stay as they were).
"""

from __future__ import annotations

import re

# re's parser is private but stable since 3.11; its parse tree is untyped (Any below).
from re import _constants as sre  # type: ignore[attr-defined]  # no public parse-tree API
from re import _parser as sre_parse  # type: ignore[attr-defined]  # no public parse-tree API
from typing import Any

_INLINE_IGNORECASE = re.compile(r"\(\?[aiLmsux]*i[aiLmsux-]*[:)]")  # (?i:...), (?ai:...): case widens the class
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}


class _Unknown(Exception):
    """A part whose opening characters are not read (a negated class, a back reference, any char)."""


def _class_items(items: Any) -> list[str]:
    out: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(re.escape(chr(av)))
        elif op is sre.RANGE:
            out.append(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:
            raise _Unknown  # NEGATE and the rest: not worth reading
    return out


def _sequence(items: Any, into: list[str]) -> bool:
    """Add the characters `items` can open with to `into`; True when `items` can match nothing at all."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # an assertion consumes nothing; the next item opens the match
        if not _item(op, av, into):
            return False
    return True


def _item(op: Any, av: Any, into: list[str]) -> bool:
    """Add what one item can open with to `into`; True when it can match nothing at all."""
    if op is sre.LITERAL:
        into.append(re.escape(chr(av)))
        return False
    if op is sre.IN:
        into.extend(_class_items(av))
        return False
    if op is sre.BRANCH:
        empty = False
        for branch in av[1]:
            empty = _sequence(branch, into) or empty
        return empty
    if op is sre.SUBPATTERN:
        return _sequence(av[3], into)
    if op is sre.ATOMIC_GROUP:
        return _sequence(av, into)
    if op in _REPEATS:
        low, _, sub = av
        return _sequence(sub, into) or low == 0
    raise _Unknown


def opening_class(pattern: re.Pattern[str]) -> str | None:
    """A character class (`[...]`) holding every character a match of `pattern` can open with, or
    None when it cannot be read or a match can be empty. Case is widened wherever the pattern
    ignores case in part, so the class may hold more than needed, never less."""
    try:
        tree = sre_parse.parse(pattern.pattern, pattern.flags)
        into: list[str] = []
        if _sequence(tree, into) or not into:
            return None
    except (_Unknown, re.error):
        return None
    return "[" + "".join(dict.fromkeys(into)) + "]"


def _skips_fast_already(pattern: re.Pattern[str]) -> bool:
    """re skips fast by itself to a pattern that opens with a literal, a class or a choice of literals
    (case kept): a lookahead in front would only hide that from it."""
    if pattern.flags & re.IGNORECASE:
        return False
    items = sre_parse.parse(pattern.pattern, pattern.flags)
    while len(items) and items[0][0] is sre.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = items[0][1][3]  # a group without flags of its own: its first item opens the pattern
    if not len(items):
        return False
    op, av = items[0]
    if op is sre.BRANCH:
        return all(len(branch) and branch[0][0] is sre.LITERAL for branch in av[1])
    return op in (sre.LITERAL, sre.IN)


def fast_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` with a lookahead for its opening characters in front; `pattern` itself when they
    cannot be read, or when re skips fast to them by itself. What it finds is exactly what `pattern`
    finds."""
    opening = opening_class(pattern)
    if opening is None or _skips_fast_already(pattern):
        return pattern
    ignores_case = _INLINE_IGNORECASE.search(pattern.pattern) is not None and not pattern.flags & re.IGNORECASE
    lead = f"(?i:{opening})" if ignores_case else opening
    try:
        return re.compile(f"(?={lead})(?:{pattern.pattern})", pattern.flags)
    except re.error:  # a global inline flag that must open the pattern
        return pattern
