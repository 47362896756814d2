"""YAML reading through libyaml's parser when PyYAML has it; limits for files people write.

``load_yaml`` reads the files that ship with the bot. ``load_document`` reads files staff
write (programmes): events still come from libyaml's parser (ten times faster than
PyYAML's own), but nodes are composed here, in Python, so that a document is measured
while it is read. Nesting depth and the number of values with every alias expanded are
bounded before anything is built from them (a "billion laughs" document is a few hundred
bytes); composing in Python costs next to nothing, construction dominates either way.

Where YAML 1.1 guesses a type from spelling, ``load_document`` keeps the text as written:
``0123`` (octal), ``0x1F``, ``1_000``, ``10:30`` (base 60), ``yes``/``no``/``on``/``off``
and dates that are not on the calendar stay strings, so a phone number, a code or a
country (``NO``) is never silently turned into something else, and an impossible date
reaches the validator, which says where it is. A key given twice in a mapping is an error.
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.error import Mark, MarkedYAMLError
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

# Deeper than any sensible file; far below what would exhaust Python's stack.
MAX_DEPTH = 50
# Values in a document, an alias counting as many as it stands for. A programme of a
# thousand participants and events has under 100 000.
MAX_VALUES = 200_000
# How much of a key or alias name an error message repeats.
_SHOWN = 60

_MERGE = "tag:yaml.org,2002:merge"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# What YAML allows in a stream; PyYAML's own reader uses the same set.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


# PyYAML's own safe loader, for the files that ship with the bot.
SafeLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLimitError(ComposerError):
    """A document deeper or larger than this reader accepts."""


def _short(text: str) -> str:
    """Return ``text`` quoted, cut to a short prefix: messages must stay short."""
    return repr(text[:_SHOWN]) + ("…" if len(text) > _SHOWN else "")


class _BoundedComposer(Composer):
    """PyYAML's composer, measuring depth and size (aliases expanded) as it goes."""

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._deepest = 0
        self._values = 0
        # Size and height of each anchored node, for the aliases that repeat it.
        self._measured: dict[Node, tuple[int, int]] = {}

    def _refuse(self, mark: Mark) -> NoReturn:
        if self._deepest > MAX_DEPTH:
            raise YamlLimitError(None, None, f"nested more than {MAX_DEPTH} levels deep", mark)
        raise YamlLimitError(
            None,
            None,
            f"more than {MAX_VALUES} values, counting each alias (*name) as the values it repeats",
            mark,
        )

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Compose one node, refusing it when the document becomes too deep or too large."""
        # PyYAML's compose_node with the measuring inlined: it runs once per value.
        event = self.get_event()  # type: ignore[attr-defined]
        anchor = event.anchor
        if type(event) is AliasEvent:
            node = self.anchors.get(anchor)
            if node is None:
                raise ComposerError(
                    None, None, f"found undefined alias {_short(anchor)}", event.start_mark
                )
            measured = self._measured.get(node)
            if measured is None:
                # Still being composed: the alias sits inside what it names.
                raise ComposerError(
                    None,
                    None,
                    f"alias {_short(anchor)} is inside the value it names",
                    event.start_mark,
                )
            self._values += measured[0]
            self._deepest = max(self._deepest, self._depth + measured[1])
            if self._values > MAX_VALUES or self._deepest > MAX_DEPTH:
                self._refuse(event.start_mark)
            return node
        if anchor is not None and anchor in self.anchors:
            raise ComposerError(
                f"found duplicate anchor {_short(anchor)}; first occurrence",
                self.anchors[anchor].start_mark,
                "second occurrence",
                event.start_mark,
            )
        self._depth += 1
        self._values += 1
        before, outer = self._values, self._deepest
        self._deepest = self._depth
        if self._values > MAX_VALUES or self._depth > MAX_DEPTH:
            self._refuse(event.start_mark)
        tag = event.tag
        kind = type(event)
        if kind is ScalarEvent:
            if tag is None or tag == "!":
                tag = self.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[attr-defined]
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
            if anchor is not None:
                self.anchors[anchor] = node
        else:
            self.descend_resolver(parent, index)  # type: ignore[attr-defined]
            if kind is SequenceStartEvent:
                node = self._sequence(event, anchor)
            else:
                node = self._mapping(event, anchor)
            self.ascend_resolver()  # type: ignore[attr-defined]
        if anchor is not None:
            self._measured[node] = (self._values - before + 1, self._deepest - self._depth + 1)
        self._deepest = max(outer, self._deepest)
        self._depth -= 1
        return node

    def _sequence(self, start: SequenceStartEvent, anchor: str | None) -> SequenceNode:
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(SequenceNode, None, start.implicit)  # type: ignore[attr-defined]
        node = SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        index = 0
        while not self.check_event(SequenceEndEvent):  # type: ignore[attr-defined]
            node.value.append(self.compose_node(node, index))
            index += 1
        node.end_mark = self.get_event().end_mark  # type: ignore[attr-defined]
        return node

    def _mapping(self, start: MappingStartEvent, anchor: str | None) -> MappingNode:
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(MappingNode, None, start.implicit)  # type: ignore[attr-defined]
        node = MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        if anchor is not None:
            self.anchors[anchor] = node
        seen: dict[tuple[str, str], Mark] = {}
        while not self.check_event(MappingEndEvent):  # type: ignore[attr-defined]
            key = self.compose_node(node, None)
            # A key given twice is an error, where YAML would keep the last silently; keys
            # merged in with << may be overridden, that is what merging is for.
            if type(key) is ScalarNode and key.tag != _MERGE:
                first = seen.setdefault((key.tag, key.value), key.start_mark)
                if first is not key.start_mark:
                    raise ComposerError(
                        None,
                        None,
                        f"duplicate key {_short(key.value)} (first given on line {first.line + 1})",
                        key.start_mark,
                    )
            node.value.append((key, self.compose_node(node, key)))
        node.end_mark = self.get_event().end_mark  # type: ignore[attr-defined]
        return node

    def compose_document(self) -> Node:
        """Compose one document; anchors do not carry over to the next."""
        node: Node = super().compose_document()
        self._measured = {}
        return node


class _Constructor(SafeConstructor):
    """PyYAML's safe constructor, keeping text as written where YAML 1.1 guesses a type."""

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """Construct a value; a value Python cannot represent is a located YAML error."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError, TypeError) as exc:
            raise ConstructorError(
                None, None, f"cannot read this value: {str(exc)[:200]}", node.start_mark
            ) from None

    def construct_yaml_int(self, node: ScalarNode) -> int | str:
        """Return plain decimal integers as numbers, any other spelling as its text."""
        text: str = self.construct_scalar(node)
        if not _DECIMAL.fullmatch(text):
            return text
        try:
            return int(text)
        except ValueError:  # more digits than Python converts
            return text

    def construct_yaml_float(self, node: ScalarNode) -> float | str:
        """Return floats as numbers, except base-60 spellings such as 10:30.5."""
        text: str = self.construct_scalar(node)
        if ":" in text:
            return text
        return super().construct_yaml_float(node)  # type: ignore[no-any-return]

    def construct_yaml_bool(self, node: ScalarNode) -> bool | str:
        """Return true and false as booleans; yes, no, on, off stay text (Norway is NO)."""
        text: str = self.construct_scalar(node)
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        return text

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        """Return a date or time, or the text as written when it is not on the calendar."""
        if self.timestamp_regexp.match(node.value):
            try:
                return super().construct_yaml_timestamp(node)
            except (ValueError, OverflowError):
                pass
        return self.construct_scalar(node)


for _tag, _method in (
    ("int", _Constructor.construct_yaml_int),
    ("float", _Constructor.construct_yaml_float),
    ("bool", _Constructor.construct_yaml_bool),
    ("timestamp", _Constructor.construct_yaml_timestamp),
):
    _Constructor.add_constructor(f"tag:yaml.org,2002:{_tag}", _method)


class PythonLoader(Reader, Scanner, Parser, _BoundedComposer, _Constructor, Resolver):
    """The bounded loader on PyYAML's pure-Python parser."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self)
        _Constructor.__init__(self)
        Resolver.__init__(self)


BoundedLoader: type = PythonLoader
try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml
    CLoader: type | None = None
else:

    class _CLoader(_BoundedComposer, CParser, _Constructor, Resolver):  # type: ignore[misc]
        """The bounded loader on libyaml's parser; composing is the Python composer's."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _BoundedComposer.__init__(self)
            _Constructor.__init__(self)
            Resolver.__init__(self)

    CLoader = BoundedLoader = _CLoader


def _check_printable(text: str) -> None:
    """Refuse characters YAML does not allow, saying where the first one is."""
    found = _NON_PRINTABLE.search(text)
    if found is None:
        return
    index = found.start()
    line = text.count("\n", 0, index)
    column = index - (text.rfind("\n", 0, index) + 1)
    raise MarkedYAMLError(
        problem=f"character U+{ord(found.group()):04X} is not allowed (is this a binary file?)",
        problem_mark=Mark("<text>", index, line, column, None, None),
    )


def load_document(text: str, loader: type | None = None) -> Any:
    """Parse a file people wrote: plain data only, bounded, keys once, text kept as written."""
    _check_printable(text)
    return yaml.load(text, Loader=loader or BoundedLoader)


def load_yaml(text: str) -> Any:
    """Parse YAML text of our own (lexicons, fixtures) with libyaml's safe loader."""
    return yaml.load(text, Loader=SafeLoader)
