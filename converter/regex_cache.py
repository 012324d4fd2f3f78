"""Compiled regular expressions kept on disk, so a fresh process need not
compile them again.

Compiling the reader's chrome patterns (converter/data/chrome.toml: some
350 alternatives, matched case-insensitively, whose CJK ranges the compiler
case-folds one character at a time) takes 85 ms, a quarter of a cold
`converter convert --to docx`; reading the compiled programs back takes
1-2 ms.  Python has no public way to keep a compiled pattern (pickling one
keeps its source, and unpickling compiles it again), so this keeps what
CPython's compiler hands to ``_sre`` in the last step of
``re._compiler.compile``: the program, the flags and the groups.

Those are interpreter details, hence:

- an entry is keyed by the interpreter (its version and build, ``_sre``'s
  MAGIC and code size) and by the patterns' sources and flags, so another
  Python, or an edited chrome.toml, never reads it;
- an entry carries the sha256 of its contents, is used only when it names
  exactly the sources and flags asked for, and ``_sre`` checks the program
  it is given; anything amiss (a
  damaged or foreign file, a Python whose ``re`` internals moved, not
  CPython) and the patterns are compiled as usual, by ``re.compile``;
- the folder is ``$XDG_CACHE_HOME/converter/patterns``; one that cannot be
  read or written is no error, only a slower start.

A pattern from an entry equals (``==``: same source, flags and program) the
one ``re.compile`` returns; tests/test_regex_cache.py checks it.
"""

from __future__ import annotations

import array
import hashlib
import marshal
import re
import sys
from collections.abc import Sequence
from pathlib import Path

# Bumped when an entry's layout changes (old entries are then ignored).
VERSION = 1

Spec = tuple[str, int]  # a pattern's source and its flags


def folder() -> Path:
    from .cachedir import root

    return root() / "patterns"


def compile_all(specs: Sequence[Spec]) -> list[re.Pattern[str]]:
    """``[re.compile(source, flags) for source, flags in specs]``, read from
    the disk cache when an entry is there, compiled (and stored) otherwise."""
    specs = [(source, int(flags)) for source, flags in specs]
    try:
        path = _entry_path(specs)
    except Exception:  # no CPython internals, no home folder: compile as usual
        path = None
    if path is not None:
        found = _load(path, specs)
        if found is not None:
            return found
        compiled = _compile(specs)
        if compiled is not None:
            patterns, entries = compiled
            from .cachedir import write

            payload = marshal.dumps(entries)
            write(path, hashlib.sha256(payload).digest() + payload)
            return patterns
    return [re.compile(source, flags) for source, flags in specs]


def _entry_path(specs: list[Spec]) -> Path | None:
    import _sre

    if sys.implementation.name != "cpython" or array.array("I").itemsize != _sre.CODESIZE:
        return None
    key = hashlib.sha256(repr((VERSION, sys.version, _sre.MAGIC, _sre.CODESIZE, _sre.MAXREPEAT, specs)).encode("utf-8"))
    return folder() / f"{key.hexdigest()}.v{VERSION}"


def _load(path: Path, specs: list[Spec]) -> list[re.Pattern[str]] | None:
    """The patterns of the entry at ``path``, or None (missing, damaged, or
    not for ``specs``)."""
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
    try:
        import _sre

        if len(entries) != len(specs):
            return None
        out = []
        for (source, flags), (e_source, e_flags, final_flags, code, groups, groupindex, indexgroup) in zip(specs, entries):
            if e_source != source or e_flags != flags:
                return None
            program = array.array("I")
            program.frombytes(code)
            out.append(_sre.compile(source, final_flags, program.tolist(), groups, groupindex, indexgroup))
        return out
    except Exception:  # a damaged entry (_sre rejects a bad program), re's internals changed
        return None


def _compile(specs: list[Spec]) -> tuple[list[re.Pattern[str]], list[tuple]] | None:
    """The patterns and their entries, as ``re._compiler.compile`` makes
    them; None when re's internals are not what this expects."""
    try:
        import _sre
        from re import _compiler, _parser  # type: ignore[attr-defined]

        patterns, entries = [], []
        for source, flags in specs:
            if flags & re.DEBUG:
                return None  # re.compile prints the program
            parsed = _parser.parse(source, flags)
            code = [int(c) for c in _compiler._code(parsed, flags)]
            groupindex = dict(parsed.state.groupdict)
            indexgroup: list[str | None] = [None] * parsed.state.groups
            for name, i in groupindex.items():
                indexgroup[i] = name
            final_flags = int(flags | parsed.state.flags)
            groups = parsed.state.groups - 1
            patterns.append(_sre.compile(source, final_flags, code, groups, groupindex, tuple(indexgroup)))
            entries.append((source, flags, final_flags, array.array("I", code).tobytes(), groups, groupindex, tuple(indexgroup)))
        return patterns, entries
    except Exception:
        return None
