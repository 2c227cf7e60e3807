"""Read a YAML data file and validate it, reporting errors with the file and line they are on."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml as pyyaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from defence_kg.errors import DataFileError

M = TypeVar("M", bound=BaseModel)


class _TextDates(RoundTripConstructor):
    """Leaves dates as text, so the schema parses them and a bad one gets its line number."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", _TextDates.construct_yaml_str)


class _FastLoader(getattr(pyyaml, "CSafeLoader", pyyaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's loader (C), about 20x faster than ruamel's pure-Python one, made to read
    scalars as YAML 1.2 does where it matters here: only true/false are booleans (so Norway's
    `NO` stays a string) and dates stay text."""


_DROPPED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"}
_FastLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in pyyaml.SafeLoader.yaml_implicit_resolvers.items()
}
_FastLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _line_of(tree: Any, loc: tuple[int | str, ...]) -> int | None:
    """1-based line of the node at `loc` in a ruamel round-trip tree (deepest known node)."""
    line = None
    node = tree
    for key in loc:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(key, int) and isinstance(node, list):
                if lc is not None:
                    line = lc.item(key)[0] + 1
                node = node[key]
            elif isinstance(node, dict) and key in node:
                if lc is not None:
                    line = lc.key(key)[0] + 1
                node = node[key]
            else:
                break
        except (IndexError, KeyError, TypeError):
            break
    return line


def _describe(error: dict[str, Any]) -> str:
    path = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
    return f"{path}: {error['msg']}" if path else error["msg"]


def read_yaml(path: Path) -> Any:
    """Parse a YAML file into a ruamel round-trip tree that remembers line numbers."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        yaml = YAML(typ="rt", pure=True)
        yaml.Constructor = _TextDates
        return yaml.load(text)
    except MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataFileError(str(path), f"invalid YAML: {exc.problem}", line) from None
    except YAMLError as exc:
        raise DataFileError(str(path), f"invalid YAML: {exc}") from None


def load_model(path: Path, model: type[M]) -> tuple[M, Any]:
    """Validate a YAML file against `model`; returns the model and a tree for line look-ups.

    The file is parsed with libyaml first; only when it is invalid is it parsed again with
    ruamel, whose tree knows the line of every node, so the error can name it.
    """
    try:
        fast = pyyaml.load(path.read_bytes(), Loader=_FastLoader)
        return model.model_validate(fast), _LazyTree(path)
    except (OSError, UnicodeDecodeError, pyyaml.YAMLError, ValidationError, TypeError):
        pass
    tree = read_yaml(path)
    if tree is None:
        raise DataFileError(str(path), "the file is empty")
    try:
        return model.model_validate(tree), tree
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if not str(p).startswith("function-"))
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise DataFileError(str(path), _describe(first) + more, _line_of(tree, loc)) from None


class _LazyTree:
    """Stands for the line-aware tree of a valid file; parsed only if a later check fails."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tree: Any = None

    def resolve(self) -> Any:
        if self._tree is None:
            self._tree = read_yaml(self.path)
        return self._tree


def line_of(tree: Any, *loc: int | str) -> int | None:
    """Line of a node in a tree returned by `load_model`, for errors found after validation."""
    if isinstance(tree, _LazyTree):
        tree = tree.resolve()
    return _line_of(tree, loc)
