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
    assert regex_cache._read(entry) is not None


def test_an_entry_for_other_patterns_is_not_used(cache_home: Path) -> None:
    """A file under the right name that holds other sources (a hash
    collision, a hand-copied file) is ignored."""
    regex_cache.compile_all(SPECS[:1])
    (other,) = cache_home.iterdir()
    target = regex_cache._path(repr([(s, int(f)) for s, f in SPECS[1:2]]))
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
    monkeypatch.setattr(regex_cache, "_compile", lambda source, flags: None)
    _same(regex_cache.compile_all(SPECS), SPECS)
    store = regex_cache.ModulePatterns("tests.no_internals")
    _same([store.compile(s, f) for s, f in SPECS], SPECS)
    store.save()
    assert not cache_home.exists()
    monkeypatch.setattr(regex_cache, "_path", lambda name: None)  # no home folder
    _same(regex_cache.compile_all(SPECS), SPECS)


def test_a_modules_patterns_are_stored_when_one_was_missing(cache_home: Path) -> None:
    store = regex_cache.ModulePatterns("tests.some_module")
    _same([store.compile(s, f) for s, f in SPECS], SPECS)
    regex_cache.save_all()
    (entry,) = cache_home.iterdir()
    stamp = entry.stat().st_mtime_ns

    again = regex_cache.ModulePatterns("tests.some_module")  # a fresh process
    _same([again.compile(s, f) for s, f in SPECS], SPECS)
    assert again not in regex_cache._unsaved  # all read from the entry: nothing to write
    regex_cache.save_all()
    assert entry.stat().st_mtime_ns == stamp

    # The module was edited: one pattern gone, one new; the entry then holds exactly what it asks for.
    edited = [*SPECS[1:], ("new", 0)]
    third = regex_cache.ModulePatterns("tests.some_module")
    _same([third.compile(s, f) for s, f in edited], edited)
    regex_cache.save_all()
    kept = regex_cache._read(entry)
    assert kept is not None and regex_cache._specs(kept) == [(s, int(f)) for s, f in edited]


def test_a_damaged_module_entry_is_compiled_again(cache_home: Path) -> None:
    store = regex_cache.ModulePatterns("tests.some_module")
    _same([store.compile(s, f) for s, f in SPECS], SPECS)
    store.save()
    (entry,) = cache_home.iterdir()
    entry.write_bytes(entry.read_bytes()[:-7])
    again = regex_cache.ModulePatterns("tests.some_module")
    _same([again.compile(s, f) for s, f in SPECS], SPECS)
    again.save()
    assert regex_cache._read(entry) is not None


def test_the_key_names_the_interpreter_and_the_sources() -> None:
    a = regex_cache._path(repr([("a", 0)]))
    assert a is not None
    assert a == regex_cache._path(repr([("a", 0)]))
    assert a != regex_cache._path(repr([("a", int(re.IGNORECASE))]))
    assert a != regex_cache._path(repr([("b", 0)]))


PROBE = """\
import gc, json, re
import converter.reader, converter.render.layout, converter.render.pptx.text, converter.linebreak
from converter import regex_cache
from converter.reader.clean import chrome_patterns

chrome_patterns()
stores = [o for o in gc.get_objects() if isinstance(o, regex_cache.ModulePatterns)]
patterns = [o for o in gc.get_objects() if isinstance(o, re.Pattern)]
bad = []
for p in patterns:
    want = re.compile(p.pattern, p.flags)
    if p != want or (p.groups, p.groupindex) != (want.groups, want.groupindex):
        bad.append(p.pattern[:60])
print(json.dumps({"stores": len(stores), "missed": sum(s._missed for s in stores), "patterns": len(patterns), "bad": bad}))
"""


def test_every_pattern_a_fresh_process_reads_from_disk_is_the_compiled_one(tmp_path: Path) -> None:
    """Two fresh processes: the first compiles the modules' patterns and
    stores them, the second reads them all back; in both every pattern
    alive equals what re.compile makes of its source and flags."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    runs = []
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
        runs.append(json.loads(out.stdout))
    first, second = runs
    assert first["stores"] >= 10 and first["missed"] == first["stores"]
    assert second["stores"] == first["stores"] and second["missed"] == 0
    assert second["patterns"] >= 150
    assert first["bad"] == [] and second["bad"] == []
