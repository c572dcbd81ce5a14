"""Which of many regexes can match a text, found in one Aho-Corasick pass instead of one scan each.

Each pattern's possible opening strings ("export licen", "dual", "出口") are read from its
parse tree once. A pattern can only match where one of them occurs, so a text that holds
none of a pattern's openings skips that pattern: the matches of the patterns that run are
exactly the matches the full loop would find. When the opening cannot be read (a leading
optional word, a character class: `(?<!\\d)\\d{1,2}\\s*月`), the strings that start a later part
every match must hold are used instead (`月`); only patterns with no such part always run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter

# re's parser is private but stable since 3.11; its parse tree is untyped (Any below).
from re import _constants as sre  # type: ignore[attr-defined]  # no public parse-tree API
from re import _parser as sre_parse  # type: ignore[attr-defined]  # no public parse-tree API
from typing import Any

import ahocorasick

_MAX_OPENINGS = 64  # per pattern: beyond this the opening read so far is kept, shorter but still required
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


def _class_chars(items: Sequence[tuple[Any, Any]]) -> list[str] | None:
    chars: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            chars.append(chr(av))
        elif op is sre.RANGE:
            low, high = av
            if high - low > 30:
                return None
            chars += [chr(c) for c in range(low, high + 1)]
        else:
            return None  # a category (\w, \s) or a negated class: too wide to list
    return chars


def _extend(openings: set[str], items: Iterable[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """The openings after reading `items`; False when reading stopped before their end."""
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue  # an assertion consumes nothing: leaving it out only widens the openings
        if op is sre.LITERAL:
            openings = {o + chr(av) for o in openings}
        elif op is sre.IN:
            chars = _class_chars(av)
            if chars is None or len(openings) * len(chars) > _MAX_OPENINGS:
                return openings, False
            openings = {o + c for o in openings for c in chars}
        elif op is sre.SUBPATTERN:
            _, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                return openings, False
            openings, complete = _extend(openings, sub)
            if not complete:
                return openings, False
        elif op is sre.BRANCH:
            merged: set[str] = set()
            complete = True
            for alternative in av[1]:
                more, whole = _extend(openings, alternative)
                merged |= more
                complete = complete and whole
            if len(merged) > _MAX_OPENINGS:
                return openings, False
            openings = merged
            if not complete:
                return openings, False
        elif op in _REPEATS and av[0] >= 1:
            # one repetition is certain; what follows it is not
            return _extend(openings, av[2])[0], False
        else:
            return openings, False
    return openings, True


def openings(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which starts every match of `pattern` (lower case when it ignores case);
    None when they cannot be read."""
    try:
        found, _ = _extend({""}, sre_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # a parse tree of another shape (re's internals change): the pattern always runs
        return None
    if pattern.flags & re.IGNORECASE:
        if not all(_plain(o) for o in found):
            return None
        found = {o.lower() for o in found}
    if not found or "" in found:
        return None
    return frozenset(found)


def needs(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Strings one of which every match of `pattern` holds (lower case when it ignores case): its
    openings when they can be read, else those of the first later part that every match has;
    None when there is no such part."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        found = _required(list(parsed))
    except Exception:  # a parse tree of another shape (re's internals change): the pattern always runs
        return None
    if found is None:
        return None
    if pattern.flags & re.IGNORECASE:
        if not all(_plain(o) for o in found):
            return None
        found = {o.lower() for o in found}
    return frozenset(found)


def _required(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    """The rarest of the readable sets of strings that every match holds: openings of a suffix of
    `items` (a sequence every match runs through in order), or of a part inside one of its certain
    items; the rarest has the longest shortest string (`monday`, not `on`). None when none can be read."""
    readable = [found for found in _readable(items) if found and "" not in found]
    return max(readable, key=lambda found: (min(map(len, found)), -len(found)), default=None)


def _readable(items: Sequence[tuple[Any, Any]]) -> Iterator[set[str] | None]:
    for index, (op, av) in enumerate(items):
        yield _extend({""}, items[index:])[0]
        inner: set[str] | None = None
        if op is sre.SUBPATTERN and not (av[1] or av[2]):  # a group without flags of its own
            inner = _required(list(av[3]))
        elif op in _REPEATS and av[0] >= 1:  # one repetition is certain
            inner = _required(list(av[2]))
        elif op is sre.BRANCH:  # every alternative must hold one of its own
            merged: set[str] = set()
            for alternative in av[1]:
                more = _required(list(alternative))
                if more is None:
                    merged = set()
                    break
                merged |= more
            inner = merged if 0 < len(merged) <= _MAX_OPENINGS else None
        yield inner


_ASCII = re.compile(r"[\x00-\x7f]+")
_second = itemgetter(1)


def _plain(text: str) -> bool:
    """No character whose case folding re treats specially (only ASCII letters are cased)."""
    if text.isascii():
        return True
    rest = _ASCII.sub("", text)
    return rest.lower() == rest.upper()


class PatternSet:
    """Patterns indexed by the strings they need: `possible(text)` is the set that may match `text`."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.always: frozenset[int] = frozenset(i for i, p in enumerate(patterns) if needs(p) is None)
        self.all = frozenset(range(len(patterns)))
        self._folded = self._automaton(patterns, folded=True)
        self._exact = self._automaton(patterns, folded=False)

    @staticmethod
    def _automaton(patterns: Sequence[re.Pattern[str]], folded: bool) -> ahocorasick.Automaton | None:
        keyed: dict[str, set[int]] = {}
        for index, pattern in enumerate(patterns):
            if bool(pattern.flags & re.IGNORECASE) != folded:
                continue
            for opening in needs(pattern) or ():
                keyed.setdefault(opening, set()).add(index)
        if not keyed:
            return None
        automaton = ahocorasick.Automaton()
        for key, indexes in keyed.items():
            automaton.add_word(key, frozenset(indexes))
        automaton.make_automaton()
        return automaton

    def possible(self, text: str) -> frozenset[int]:
        """Indexes of the patterns that may match somewhere in `text`."""
        if self._folded is not None and not _plain(text):
            return self.all  # a cased non-ASCII letter: re's folding may differ from str.lower
        found = set(self.always)
        # each distinct set of indexes once, gathered without a Python step per hit
        if self._exact is not None:
            found.update(*set(map(_second, self._exact.iter(text))))
        if self._folded is not None:
            found.update(*set(map(_second, self._folded.iter(text.lower()))))
        return frozenset(found)
