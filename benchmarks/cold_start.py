#!/usr/bin/env python3
"""Cold start: how long one fresh `converter` process takes, per command.

    .venv/bin/python benchmarks/cold_start.py [--runs 10] [--module] [--skip-others]

Runs each command ``--runs`` times as a new process (the `converter` script
installed beside this Python, or ``python -m converter`` with --module),
each writing into a new temporary folder, and prints the median and the
fastest run (wall clock), and the median CPU time (user + system: on a
machine shared with other work, the wall clock also counts the waiting):

- `converter convert examples/lecture.txt --to docx` (and pdf, pptx, all);
- `converter outline examples/lecture.txt`;
- for comparison, when pandoc is installed: `pandoc -f markdown -t docx`
  (and pptx) on the same lecture as Markdown (the outline `converter
  outline --to md` prints, as benchmarks/run.py gives pandoc).

The commands run in turn within each round (docx, pdf, ... docx, pdf, ...),
so a burst of load on a shared machine spreads over all of them rather than
falling on one.  Run by hand; it is not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from run import EXAMPLE, timed  # noqa: E402  (the main benchmark's input and timer)

FORMATS = ("docx", "pdf", "pptx", "all")


def converter_command(module: bool) -> list[str]:
    """The `converter` entry point beside this Python (what a user runs), or
    ``python -m converter``."""
    script = Path(sys.executable).parent / "converter"
    if module or not script.exists():
        return [sys.executable, "-m", "converter"]
    return [str(script)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10, help="fresh processes per command (default 10)")
    ap.add_argument("--module", action="store_true", help="run `python -m converter` instead of the script")
    ap.add_argument("--skip-others", action="store_true", help="do not run pandoc")
    args = ap.parse_args()

    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    converter = converter_command(args.module)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("SOURCE_DATE_EPOCH", None)
    # The untimed first run writes the .pyc files a user's first run writes;
    # with PYTHONDONTWRITEBYTECODE set (some sandboxes and CI images set it),
    # every run would compile each edited module's source again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    pandoc = None if args.skip_others else shutil.which("pandoc")

    with tempfile.TemporaryDirectory(prefix="converter-cold-") as tmp:
        work = Path(tmp)
        commands: dict[str, list[str]] = {}
        for fmt in FORMATS:
            commands[f"convert --to {fmt}"] = [*converter, "convert", str(EXAMPLE), "--to", fmt, "-q", "-o"]
        commands["outline"] = [*converter, "outline", str(EXAMPLE), "-q", "-o"]
        if pandoc:
            markdown = work / "lecture.md"
            subprocess.run([*converter, "outline", str(EXAMPLE), "--to", "md", "-q", "-o", str(markdown)],
                           check=True, env=env, cwd=REPO)
            for fmt in ("docx", "pptx"):
                commands[f"pandoc -f markdown -t {fmt}"] = [pandoc, "-f", "markdown", "-t", fmt, str(markdown), "-o"]

        def out(name: str, run: int) -> str:
            """A new output for each run: a folder for convert, a file otherwise."""
            folder = work / f"{name.replace(' ', '_')}-{run}"
            if name.startswith("convert"):
                return str(folder)
            folder.mkdir()
            suffix = ".json" if name == "outline" else "." + name.rsplit(" ", 1)[1]
            return str(folder / f"lecture{suffix}")

        for name, cmd in commands.items():  # once untimed: .pyc files written, disk caches warm
            timed([*cmd, out(name, -1)], env=env, cwd=REPO)
        seconds: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for run in range(args.runs):
            for name, cmd in commands.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                seconds[name].append(timed([*cmd, out(name, run)], env=env, cwd=REPO))
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    print(f"{' '.join(converter)}: {args.runs} fresh processes per command; "
          f"load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'command':32} {'median':>8} {'min':>8} {'CPU median':>11}")
    for name, times in seconds.items():
        print(f"{name:32} {statistics.median(times):7.3f}s {min(times):7.3f}s {statistics.median(cpu[name]):10.3f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
