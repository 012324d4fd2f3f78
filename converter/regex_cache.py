"""Compiled regular expressions kept on disk, so a fresh process need not
compile them again.

Compiling the reader's chrome patterns (converter/data/chrome.toml: some
350 alternatives, matched case-insensitively, whose CJK ranges the compiler
case-folds one character at a time) takes 85 ms, a quarter of a cold
`converter convert --to docx`, and the reader's and renderers' own patterns
(compiled as their modules load) 35 ms more; reading the compiled programs
back takes a few milliseconds.  Python has no public way to keep a compiled
pattern (pickling one keeps its source, and unpickling compiles it again),
so this keeps what CPython's compiler hands to ``_sre`` in the last step of
``re._compiler.compile``: the program, the flags and the groups.

Two kinds of entry:

- ``compile_all(specs)``: a set of patterns built from data (the chrome
  patterns), one entry per set, keyed by the sources;
- ``ModulePatterns(__name__).compile(source, flags)``: a module's own
  patterns, one entry per module, holding the patterns the module compiled;
  a pattern missing from it (the module was edited) is compiled, and the
  entry is written again, with exactly the patterns asked for, when the
  process ends.

Those are interpreter details, hence:

- an entry is keyed by the interpreter (its version and build, ``_sre``'s
  MAGIC and code size), so another Python never reads it;
- an entry carries the sha256 of its contents, a pattern is taken from it
  only under exactly the source and flags asked for, and ``_sre`` checks
  the program it is given; anything amiss (a damaged or foreign file, a
  Python whose ``re`` internals moved, not CPython) and the pattern is
  compiled as usual, by ``re.compile``;
- the folder is ``$XDG_CACHE_HOME/converter/patterns``; one that cannot be
  read or written is no error, only a slower start.

A pattern from an entry equals (``==``: same source, flags and program) the
one ``re.compile`` returns; tests/test_regex_cache.py checks it.
"""

from __future__ import annotations

import array
import atexit
import hashlib
import marshal
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Bumped when an entry's layout changes (old entries are then ignored).
VERSION = 2

Spec = tuple[str, int]  # a pattern's source and its flags
# (source, flags asked, flags compiled, program as bytes, groups, groupindex, indexgroup)
Entry = tuple[str, int, int, bytes, int, dict[str, int], tuple[str | None, ...]]


def folder() -> Path:
    from .cachedir import root

    return root() / "patterns"


def compile_all(specs: Sequence[Spec]) -> list[re.Pattern[str]]:
    """``[re.compile(source, flags) for source, flags in specs]``, read from
    the disk cache when an entry is there, compiled (and stored) otherwise."""
    specs = [(source, int(flags)) for source, flags in specs]
    path = _path(repr(specs))
    if path is None:
        return [re.compile(source, flags) for source, flags in specs]
    entries = _read(path)
    if entries is not None and _specs(entries) == specs:
        found = [_build(e) for e in entries]
        if all(p is not None for p in found):
            return found  # type: ignore[return-value]
    made = [_compile(source, flags) for source, flags in specs]
    if all(m is not None for m in made):
        _write(path, [m[1] for m in made])  # type: ignore[index]
    return [m[0] if m is not None else re.compile(source, flags) for m, (source, flags) in zip(made, specs)]


class ModulePatterns:
    """A module's patterns, read from its entry: ``_re = ModulePatterns(__name__)``,
    then ``_re.compile(source, flags)`` where the module would call ``re.compile``."""

    def __init__(self, module: str) -> None:
        # Keyed by the module's file too: two checkouts of different
        # versions (a worktree, an installed copy) keep apart entries.
        self._path = _path(f"{module}:{getattr(sys.modules.get(module), '__file__', '')}")
        entries = _read(self._path) if self._path is not None else None
        self._stored: dict[Spec, Entry] = dict(zip(_specs(entries or []) or [], entries or []))
        self._asked: dict[Spec, Entry] = {}
        self._missed = False

    def compile(self, source: str, flags: int = 0) -> re.Pattern[str]:
        spec = (source, int(flags))
        entry = self._stored.get(spec)
        if entry is not None:
            found = _build(entry)
            if found is not None:
                self._asked[spec] = entry
                return found
        made = _compile(*spec) if self._path is not None else None
        if made is None:
            return re.compile(*spec)
        pattern, self._asked[spec] = made
        if not self._missed:
            self._missed = True
            _unsaved.append(self)
        return pattern

    def save(self) -> None:
        """Write the entry again when a pattern was missing from it."""
        if self._missed and self._path is not None:
            _write(self._path, list(self._asked.values()))
            self._stored, self._missed = dict(self._asked), False


_unsaved: list[ModulePatterns] = []


@atexit.register
def save_all() -> None:
    while _unsaved:
        _unsaved.pop().save()


def _path(name: str) -> Path | None:
    """Where the entry named ``name`` is kept for this interpreter, or None
    when there is no keeping it (not CPython, no home folder)."""
    try:
        import _sre

        if sys.implementation.name != "cpython" or array.array("I").itemsize != _sre.CODESIZE:
            return None
        key = repr((VERSION, sys.version, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, name))
        return folder() / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.v{VERSION}"
    except Exception:
        return None


def _read(path: Path) -> list[Entry] | None:
    """The entries kept at ``path``, or None (missing or damaged)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    digest, payload = data[:32], data[32:]
    if hashlib.sha256(payload).digest() != digest:
        return None  # damaged (or cut short by a full disk)
    try:
        entries = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return entries if isinstance(entries, list) else None


def _specs(entries: list[Any]) -> list[Spec] | None:
    """The (source, flags) of each entry, or None when they are not entries."""
    try:
        return [(e[0], e[1]) for e in entries]
    except (TypeError, IndexError, KeyError):
        return None


def _write(path: Path, entries: list[Entry]) -> None:
    from .cachedir import write

    payload = marshal.dumps(entries)
    write(path, hashlib.sha256(payload).digest() + payload)


def _build(entry: Any) -> re.Pattern[str] | None:
    """The pattern an entry holds, or None when it does not hold one."""
    try:
        import _sre

        source, _, flags, code, groups, groupindex, indexgroup = entry
        program = array.array("I")
        program.frombytes(code)
        return _sre.compile(source, flags, program.tolist(), groups, groupindex, indexgroup)  # type: ignore[no-any-return]
    except Exception:  # a damaged entry (_sre rejects a bad program), re's internals changed
        return None


def _compile(source: str, flags: int) -> tuple[re.Pattern[str], Entry] | None:
    """The pattern and its entry, as ``re._compiler.compile`` makes them;
    None when re's internals are not what this expects."""
    if flags & re.DEBUG:
        return None  # re.compile prints the program
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(source, flags)
        code = [int(c) for c in _compiler._code(parsed, flags)]
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, i in groupindex.items():
            indexgroup[i] = name
        entry: Entry = (source, flags, int(flags | parsed.state.flags), array.array("I", code).tobytes(),
                        parsed.state.groups - 1, groupindex, tuple(indexgroup))
        pattern = _build(entry)
        return (pattern, entry) if pattern is not None else None
    except Exception:
        return None
