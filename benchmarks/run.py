#!/usr/bin/env python3
"""Benchmark: our converter against the tools a user would pick instead.

    python3 benchmarks/run.py [--docs 200] [--skip-others]

Makes N lecture-sized inputs from the examples, each with different text (so
no cache can help), and measures in one run, printing figures and ratios:

- per document, warm (in-process, after imports and font loading): reader,
  docx, pdf, pptx;
- a cold `converter convert example --to all` process;
- batch throughput (documents per second) with --jobs 1 and --jobs 2, and
  the peak memory of a worker;
- the same inputs through pandoc (md -> docx, md -> pptx; Debian pandoc) and
  LibreOffice headless (docx -> pdf, one process per file and one process for
  all files), and the ratio ours/theirs.

Run by hand; it is not a test.  Needs pandoc and LibreOffice for the
comparison (apt-get install pandoc libreoffice-writer-nogui).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from converter import __version__, outline_md  # noqa: E402
from converter.batch import init_worker  # noqa: E402
from converter.reader import read_bytes  # noqa: E402
from converter.render import RENDERERS, RenderOptions  # noqa: E402
from converter.theme import load_theme  # noqa: E402

EXAMPLE = REPO / "examples" / "lecture.txt"


def make_inputs(folder: Path, count: int) -> list[Path]:
    """Lecture-sized raw texts, each different: the example and the test
    corpus rewritten with a per-document number in every paragraph."""
    sys.path.insert(0, str(REPO / "tests"))
    from variants import VARIANTS, make_raw  # the damage generator the tests use

    golds = [json.loads((REPO / "examples" / "lecture.gold.json").read_text("utf-8"))]
    golds += [json.loads(p.read_text("utf-8")) for p in sorted((REPO / "tests" / "data" / "gold").glob("*.json"))]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        gold = json.loads(json.dumps(golds[n % len(golds)]))
        for block in gold["blocks"]:
            if block["type"] == "paragraph" and not block.get("role"):
                block["text"] = f"第{n + 1}份材料。" + block["text"]
        raw = make_raw(gold, VARIANTS[n % len(VARIANTS)], seed=n)
        path = folder / f"lecture-{n + 1:03d}.txt"
        path.write_bytes(raw)
        paths.append(path)
    return paths


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(cmd: list[str], **kw) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, **kw)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--skip-others", action="store_true", help="do not run pandoc and LibreOffice")
    args = ap.parse_args()

    formats = [f for f in ("docx", "pdf", "pptx") if f in RENDERERS]
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
          f"converter {__version__}")
    for tool in ("pandoc", "soffice"):
        path = shutil.which(tool)
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout.splitlines()[0] if path else "missing"
        print(f"{tool}: {version}")

    with tempfile.TemporaryDirectory(prefix="converter-bench-") as tmp:
        work = Path(tmp)
        inputs = make_inputs(work / "in", args.docs)
        size = statistics.mean(p.stat().st_size for p in inputs)
        print(f"inputs: {len(inputs)} lectures, {size / 1024:.1f} KB each on average")

        # Warm, in-process, one core.
        init_worker("official")
        theme = load_theme("official")
        options = RenderOptions(source_date_epoch=0)
        data = EXAMPLE.read_bytes()
        outline = read_bytes(data)
        for fmt in formats:
            RENDERERS[fmt](outline, theme, options)  # load fonts, caches
        warm = {"reader": best_of(lambda: read_bytes(data))}
        for fmt in formats:
            warm[fmt] = best_of(lambda fmt=fmt: RENDERERS[fmt](outline, theme, options))
        print("warm, example, one core: " + ", ".join(f"{k} {v * 1000:.1f} ms" for k, v in warm.items())
              + f", all {sum(warm.values()) * 1000:.1f} ms")

        # Cold process.
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        cold = timed([sys.executable, "-m", "converter", "convert", str(EXAMPLE), "--to", ",".join(formats),
                      "-o", str(work / "cold"), "-q"], env=env)
        print(f"cold process, example, {'+'.join(formats)}: {cold:.2f} s")

        # Batch throughput.
        rates = {}
        for jobs in (1, 2):
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            seconds = timed([sys.executable, "-m", "converter", "batch", str(work / "in"), "-o",
                             str(work / f"out{jobs}"), "--to", ",".join(formats), "--jobs", str(jobs),
                             "--force", "-q"], env=env)
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
            rates[jobs] = len(inputs) / seconds
            print(f"batch --jobs {jobs}: {rates[jobs]:.1f} documents/s ({seconds:.1f} s), peak process memory {peak:.0f} MB")
        print(f"jobs 2 / jobs 1: {rates[2] / rates[1]:.2f}x")

        if args.skip_others:
            return 0
        pandoc, soffice = shutil.which("pandoc"), shutil.which("soffice")
        if not pandoc or not soffice:
            print("pandoc or LibreOffice missing: apt-get install pandoc libreoffice-writer-nogui")
            return 0
        md_dir = work / "md"
        md_dir.mkdir()
        mds = []
        for path in inputs:
            md = md_dir / f"{path.stem}.md"
            md.write_text(outline_md.dumps(read_bytes(path.read_bytes())), encoding="utf-8")
            mds.append(md)
        docx_dir = work / "pandoc"
        docx_dir.mkdir()
        start = time.perf_counter()
        for md in mds:
            subprocess.run([pandoc, str(md), "-o", str(docx_dir / f"{md.stem}.docx")], check=True, capture_output=True)
            subprocess.run([pandoc, str(md), "-o", str(docx_dir / f"{md.stem}.pptx")], check=True, capture_output=True)
        pandoc_s = time.perf_counter() - start
        docxs = sorted(docx_dir.glob("*.docx"))
        sample = docxs[: min(10, len(docxs))]
        with tempfile.TemporaryDirectory() as profile:
            start = time.perf_counter()
            for d in sample:
                subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                                "--outdir", str(work / "lo1"), str(d)], check=True, capture_output=True)
            per_file = (time.perf_counter() - start) / len(sample) * len(docxs)
            lo_all = timed([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                            "--outdir", str(work / "lo2"), *map(str, docxs)])
        theirs_best = pandoc_s + lo_all
        ours = len(inputs) / rates[2]
        print(f"pandoc md->docx+pptx: {pandoc_s:.1f} s for {len(mds)}")
        print(f"LibreOffice docx->pdf: one process per file {per_file:.1f} s (extrapolated from {len(sample)}), "
              f"one process for all {lo_all:.1f} s")
        print(f"ours (jobs 2, all formats) {ours:.1f} s vs pandoc+LibreOffice {theirs_best:.1f} s: "
              f"{theirs_best / ours:.1f}x the throughput")
    return 0


if __name__ == "__main__":
    sys.exit(main())
