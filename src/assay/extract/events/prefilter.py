"""Which of many regexes can match a text, and where, found in one Aho-Corasick pass.

Each pattern's possible opening strings ("export licen", "dual", "出口") and the strings every
match must hold ("月" in `(?<!\\d)\\d{1,2}\\s*月`, "per year") are read from its parse tree once.
`PatternScan` looks for all of them in one pass over a text: a pattern that lacks what it needs
is skipped, and one whose openings are read is tried only where one of them starts, so the
matches found are exactly those of running every pattern's `finditer`. `Gated` does the same
for one pattern, with plain substring tests.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

# re's parser is private but stable since 3.11; its parse tree is untyped (Any below).
from re import _constants as sre  # type: ignore[attr-defined]  # no public parse-tree API
from re import _parser as sre_parse  # type: ignore[attr-defined]  # no public parse-tree API
from typing import Any

import ahocorasick

from assay.extract.text.openers import fast_start

_SHORTEST_FURTHER = 3  # a pattern's second and third required sets hold no shorter ASCII string ("年" is rare enough)
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
    items = list(items)
    for position, (op, av) in enumerate(items):
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
        elif op in _REPEATS and av[1] >= 1:
            # an optional part ("(?:between\s+)?"): a match goes on with it, or with what follows it
            taken = _extend(openings, av[2])[0]
            skipped = _extend(openings, items[position + 1 :])[0]
            merged = taken | skipped
            # "ban" already starts every match that "bans" starts
            merged = {o for o in merged if not any(p != o and o.startswith(p) for p in merged)}
            return (merged if len(merged) <= _MAX_OPENINGS else openings), False
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
    """Strings one of which every match of `pattern` holds (lower case when it ignores case): the
    rarest readable set (`needs_all`); None when no part of the pattern can be read."""
    found = needs_all(pattern)
    return found[0] if found else None


def needs_all(pattern: re.Pattern[str], most: int = 3) -> list[frozenset[str]]:
    """Up to `most` sets of strings, rarest first, each of which a match of `pattern` must hold
    one of (lower case when it ignores case); none when no part of the pattern can be read."""
    try:
        items = list(sre_parse.parse(pattern.pattern, pattern.flags))
        readable = [set(found) for found in _readable(items) if found and "" not in found]
    except Exception:  # a parse tree of another shape (re's internals change): the pattern always runs
        return []
    if pattern.flags & re.IGNORECASE:
        # a set with a letter that re folds its own way cannot be looked for in lower case: left out
        readable = [{o.lower() for o in found} for found in readable if all(_plain(o) for o in found)]
    chosen: list[frozenset[str]] = []
    for found in sorted(readable, key=_rarity, reverse=True):
        if chosen and any(len(o) < _SHORTEST_FURTHER and o.isascii() for o in found):
            continue  # "a", "-", "to" are in nearly every text: looking for them costs more than it saves
        # a set whose every string lies inside a chosen one's ("echnolog" in "technolog") adds nothing
        if not any(all(any(o in c for c in kept) for o in found) for kept in chosen):
            chosen.append(frozenset(found))
        if len(chosen) == most:
            break
    return chosen


def _rarity(found: set[str]) -> tuple[int, int]:
    """Longer shortest strings are rarer in text (`monday`, not `on`); then fewer strings."""
    return min(map(len, found)), -len(found)


def _required(items: Sequence[tuple[Any, Any]]) -> set[str] | None:
    """The rarest readable set of strings that every match of the sequence `items` holds."""
    readable = [found for found in _readable(items) if found and "" not in found]
    return max(readable, key=_rarity, default=None)


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


def _plain(text: str) -> bool:
    """No character whose case folding re treats specially (only ASCII letters are cased)."""
    if text.isascii():
        return True
    rest = _ASCII.sub("", text)
    return rest.lower() == rest.upper()


class _LastLowered:
    """The text folded last and its lower case (None when `_plain` says it cannot be used): the
    scan and the cues of one statement read the same text one after another. One entry, so memory
    stays flat; one tuple, read and replaced whole."""

    pair: tuple[str, str | None] = ("", "")


def _lower_case(text: str) -> str | None:
    """`text.lower()` when that is how re folds it (`_plain`), else None."""
    last, lowered = _LastLowered.pair
    if text is last or text == last:
        return lowered
    lowered = text.lower() if _plain(text) else None
    _LastLowered.pair = (text, lowered)
    return lowered


_ANCHOR_SHORTEST = 2  # an opening shorter than this ("a", "月") starts too many places to try each
_FEW_OPENINGS = 3  # a group with no more openings than this may be looked for apart (`_found_apart`)


class PatternScan:
    """The matches of many patterns in a text, each pattern tried only where it may match.

    One Aho-Corasick pass over the text (and one over its lower case, for patterns that ignore
    case) finds both the strings each pattern needs (`needs_all`: a pattern runs only when the
    text holds one of each of its sets) and where its openings start. A pattern whose openings
    are read is then tried, with `pattern.match`, only there, instead of at every character as
    `finditer` does; the others run `finditer`. Either way the matches are those of
    `pattern.finditer(text)`: `match` at a position is the attempt `finditer` makes there
    (look-behinds and `\\b` see the text before it), a match can only start where an opening
    does, and after a match the next is looked for from its end.
    """

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = tuple(patterns)
        self._folded_patterns = frozenset(i for i, p in enumerate(self.patterns) if p.flags & re.IGNORECASE)
        # each (pattern, required set) is a requirement with a number of its own; a pattern may
        # match only where every one of its requirements has one of its strings
        self._pattern_of: list[int] = []
        self._requirements: list[frozenset[int]] = []
        # patterns with the same openings share one list of places: group numbers, -1 for none
        self._group: list[int] = []
        # groups whose places are looked for only when one of their patterns may match (`_found_apart`)
        self._found_apart: dict[int, tuple[str, ...]] = {}
        groups: dict[tuple[bool, frozenset[str]], int] = {}
        # (ignores case, key) -> (its requirement numbers, its opening groups)
        keyed: dict[tuple[bool, str], tuple[set[int], set[int]]] = {}
        for index, pattern in enumerate(self.patterns):
            folded = index in self._folded_patterns
            numbers = []
            for strings in needs_all(pattern):
                numbers.append(len(self._pattern_of))
                for key in strings:
                    keyed.setdefault((folded, key), (set(), set()))[0].add(len(self._pattern_of))
                self._pattern_of.append(index)
            self._requirements.append(frozenset(numbers))
            found = openings(pattern)
            if found is None or min(map(len, found)) < _ANCHOR_SHORTEST:
                self._group.append(-1)
                continue
            group = groups.setdefault((folded, found), len(groups))
            self._group.append(group)
            if _found_apart(found):
                self._found_apart[group] = tuple(sorted(found))
                continue
            for key in found:
                keyed.setdefault((folded, key), (set(), set()))[1].add(group)
        # a pattern searched for at every character skips fast to those it can open with (`fast_start`)
        self._searchers = tuple(fast_start(pattern) for pattern in self.patterns)
        self._always = frozenset(i for i, numbers in enumerate(self._requirements) if not numbers)
        self._folded_groups = frozenset(group for (folded, _), group in groups.items() if folded)
        # a text of ASCII holds no other key: its pass skips them (a big automaton is slow per character)
        self._automata = {
            (folded, ascii_text): _automaton(
                {key: found for (f, key), found in keyed.items() if f == folded and (key.isascii() or not ascii_text)}
            )
            for folded in (False, True)
            for ascii_text in (False, True)
        }

    def finditer(self, text: str) -> Iterator[tuple[int, Iterator[re.Match[str]]]]:
        """(index, its matches in `text`) for each pattern that may match, in the patterns' order."""
        ascii_text = text.isascii()
        lowered: str | None = None  # None: a cased non-ASCII letter, re's folding may differ from str.lower
        if self._folded_patterns:
            lowered = _lower_case(text)
            if lowered is not None and len(lowered) != len(text):
                lowered = None
        met: set[int] = set()
        places: defaultdict[int, list[int]] = defaultdict(list)
        for folded, subject in ((False, text), (True, lowered)):
            automaton = self._automata[folded, ascii_text]
            if automaton is None or subject is None:
                continue
            for end, (span, numbers, hit_groups) in automaton.iter(subject):
                if numbers:
                    met.update(numbers)
                if hit_groups:
                    start = end - span
                    for group in hit_groups:
                        places[group].append(start)
        possible = set(self._always)
        pattern_of, requirements = self._pattern_of, self._requirements
        for number in met:
            index = pattern_of[number]
            if index not in possible and requirements[index] <= met:
                possible.add(index)
        if lowered is None:
            possible |= self._folded_patterns  # their strings could not be looked for
        for index in sorted(possible):
            group = self._group[index]
            if group < 0 or (lowered is None and index in self._folded_patterns):
                yield index, self._searchers[index].finditer(text)
                continue
            if group in self._found_apart:
                # (a pattern that ignores case gets here only with the lower case read)
                folded_text = lowered if lowered is not None and index in self._folded_patterns else text
                starts = _starts(folded_text, self._found_apart[group])
            else:
                starts = places.get(group, [])
            if starts:
                yield index, _matches_at(self.patterns[index], text, starts)
            # else none of its openings is in the text


def _found_apart(found: frozenset[str]) -> bool:
    """Openings that are few, one of them a two-letter word ("in short supply", "on Monday", "no
    new mines"): in nearly every English statement, so collecting their places in the scan costs
    more than looking for them (`_starts`) in the few statements where the pattern may match."""
    return len(found) <= _FEW_OPENINGS and any(len(key) <= 2 and key.isascii() for key in found)


def _starts(text: str, keys: Sequence[str]) -> list[int]:
    """Every place in `text` where one of `keys` starts (overlapping ones too, as the scan finds them)."""
    found: list[int] = []
    for key in keys:
        at = text.find(key)
        while at >= 0:
            found.append(at)
            at = text.find(key, at + 1)
    return found


def _automaton(keyed: dict[str, tuple[set[int], set[int]]]) -> ahocorasick.Automaton | None:
    """Each key with (its length - 1, its requirement numbers, its opening groups)."""
    if not keyed:
        return None
    automaton = ahocorasick.Automaton()
    for key, (numbers, groups) in keyed.items():
        automaton.add_word(key, (len(key) - 1, tuple(sorted(numbers)), tuple(sorted(groups))))
    automaton.make_automaton()
    return automaton


def _matches_at(
    pattern: re.Pattern[str], text: str, starts: list[int], pos: int = 0, endpos: int = sys.maxsize
) -> Iterator[re.Match[str]]:
    """The matches `pattern.finditer(text, pos, endpos)` gives, trying only `starts` (every match
    starts at one, and holds at least the opening found there)."""
    after = pos
    for start in sorted(set(starts)):
        if start < after:
            continue  # before `pos`, or inside the match before: finditer goes on from its end
        if start >= endpos:
            break  # a match would run past the end
        m = pattern.match(text, start, endpos)
        if m is not None:
            yield m
            after = m.end()  # an opening is never empty, so neither is a match


class Gated:
    """A pattern that runs only on text holding one string of each set its matches need
    (`needs_all`), looked for with one plain scan each: answers are the pattern's own, as a text
    without them cannot match. For patterns scanned over whole statements, where trying every
    character costs more than looking for a word or two."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._folded = bool(pattern.flags & re.IGNORECASE)
        # strings dropped when a shorter one lies inside them ("ban" finds "bans"), then sorted
        self._needs = [
            tuple(sorted(key for key in strings if not any(k != key and k in key for k in strings)))
            for strings in needs_all(pattern)
        ]
        # where a match can start (`openings`), found in one Aho-Corasick pass: a search tries the
        # pattern only there, not at every character
        found = openings(pattern)
        self._openings = None
        if found is not None and min(map(len, found)) >= _ANCHOR_SHORTEST:
            self._openings = _automaton({key: (set(), set()) for key in found})

    def _places(self, text: str) -> list[int] | None:
        """The places in `text` where an opening starts, in order; None when they cannot be read
        (a cased non-ASCII letter in a text read ignoring case): then every place is tried."""
        if self._openings is None:
            return None
        subject: str | None = text
        if self._folded:
            subject = _lower_case(text)
            if subject is None or len(subject) != len(text):
                return None
        return [end - span for end, (span, _, _) in self._openings.iter(subject)]

    def may_match(self, text: str) -> bool:
        """False only when no match of the pattern can be in `text`."""
        if not self._needs:
            return True
        if self._folded:
            folded = _lower_case(text)
            if folded is None:
                return True  # a cased non-ASCII letter: re's folding may differ from str.lower
            text = folded
        for strings in self._needs:
            for key in strings:
                if key in text:
                    break
            else:
                return False
        return True

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if not self.may_match(text):
            return None
        places = self._places(text)
        if places is None:
            return self.pattern.search(text, pos, endpos)
        return next(_matches_at(self.pattern, text, places, pos, endpos), None)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.pattern.match(text, pos, endpos) if self.may_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if not self.may_match(text):
            return iter(())
        places = self._places(text)
        if places is None:
            return self.pattern.finditer(text, pos, endpos)
        return _matches_at(self.pattern, text, places, pos, endpos)

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.pattern.findall(text, pos, endpos) if self.may_match(text) else []

    def sub(self, repl: str, text: str) -> str:
        return self.pattern.sub(repl, text) if self.may_match(text) else text
