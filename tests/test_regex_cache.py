"""Compiled patterns read from the disk cache (converter/regex_cache.py) are
the patterns re.compile makes, and a cache that is missing, damaged, foreign
or cannot be written only costs time."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from converter import regex_cache

SPECS = [
    (r"(?P<names>[^\s:：]{1,30})\s+\d{4}[-/.年]\d{1,2}", int(re.IGNORECASE)),
    (r"[\u4e00-\u9fff·]{2,4}(?:[、，,/\s][\u4e00-\u9fff·]{2,4}){0,4}", int(re.IGNORECASE)),
    (r"^(\d+)\.(?=\s)|VIP(?:会员)?$", int(re.MULTILINE)),
    (r"(?:a|b)*?c", 0),
]


def _same(got: list[re.Pattern[str]], specs: list[tuple[str, int]]) -> None:
    assert len(got) == len(specs)
    for pattern, (source, flags) in zip(got, specs):
        want = re.compile(source, flags)
        # Pattern equality compares the source, the flags and the compiled program.
        assert pattern == want
        assert (pattern.groups, pattern.groupindex) == (want.groups, want.groupindex)


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "converter" / "patterns"


def test_a_stored_entry_gives_the_patterns_re_compile_makes(cache_home: Path) -> None:
    _same(regex_cache.compile_all(SPECS), SPECS)  # compiled, stored
    (entry,) = cache_home.iterdir()
    stamp = entry.stat().st_mtime_ns
    _same(regex_cache.compile_all(SPECS), SPECS)  # read back
    assert entry.stat().st_mtime_ns == stamp  # not written again


def test_the_chrome_patterns_from_the_cache_are_the_compiled_ones(cache_home: Path) -> None:
    import importlib

    clean = importlib.import_module("converter.reader.clean")
    clean.chrome_patterns.cache_clear()
    try:
        stored = clean.chrome_patterns()
        assert len(list(cache_home.iterdir())) == 1
        clean.chrome_patterns.cache_clear()
        read = clean.chrome_patterns()
    finally:
        clean.chrome_patterns.cache_clear()
    for f in dataclasses.fields(read):
        a, b = getattr(stored, f.name), getattr(read, f.name)
        assert a == b, f.name
        assert a is not None and (not isinstance(a, tuple) or a), f.name  # the shipped file sets every kind
        for x, y in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
            assert (x.groups, x.groupindex) == (y.groups, y.groupindex)


@pytest.mark.parametrize("damage", ["flip", "cut", "empty", "garbage"])
def test_a_damaged_entry_is_compiled_again(cache_home: Path, damage: str) -> None:
    regex_cache.compile_all(SPECS)
    (entry,) = cache_home.iterdir()
    data = bytearray(entry.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01  # a program that might still pass _sre's checks: the digest catches it
    elif damage == "cut":
        del data[len(data) // 2 :]
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(b"\x00" * 32 + b"not marshal data")
    entry.write_bytes(bytes(data))
    _same(regex_cache.compile_all(SPECS), SPECS)
    _same(regex_cache.compile_all(SPECS), SPECS)  # and stored whole again
    assert regex_cache._load(entry, [(s, int(f)) for s, f in SPECS]) is not None


def test_an_entry_for_other_patterns_is_not_used(cache_home: Path) -> None:
    """A file under the right name that holds other sources (a hash
    collision, a hand-copied file) is ignored."""
    regex_cache.compile_all(SPECS[:1])
    (other,) = cache_home.iterdir()
    target = regex_cache._entry_path([(s, int(f)) for s, f in SPECS[1:2]])
    assert target is not None and target != other
    other.rename(target)
    _same(regex_cache.compile_all(SPECS[1:2]), SPECS[1:2])


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    _same(regex_cache.compile_all(SPECS), SPECS)
    _same(regex_cache.compile_all(SPECS), SPECS)


def test_without_cpythons_internals_the_patterns_are_compiled(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regex_cache, "_compile", lambda specs: None)
    _same(regex_cache.compile_all(SPECS), SPECS)
    assert not cache_home.exists()
    monkeypatch.setattr(regex_cache, "_entry_path", lambda specs: 1 / 0)
    _same(regex_cache.compile_all(SPECS), SPECS)


def test_the_key_names_the_interpreter_and_the_sources() -> None:
    a = regex_cache._entry_path([("a", 0)])
    assert a is not None
    assert a == regex_cache._entry_path([("a", 0)])
    assert a != regex_cache._entry_path([("a", int(re.IGNORECASE))])
    assert a != regex_cache._entry_path([("b", 0)])
