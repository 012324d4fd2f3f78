#!/usr/bin/env python3
"""The reader's time against input size: 1/8, 1/2 and 1 MB of the example
lecture as a site serves it (hard-wrapped, joined by spaces, site chrome),
and three hostile shapes (a page of short menu-like lines, one unbroken
line, numbered lines, space-separated page furniture).  Prints seconds
(best of 3) and the ratio of each step's time to its size ratio: near 1
is linear.

  .venv/bin/python benchmarks/reader_scaling.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from converter.reader import read_bytes  # noqa: E402
from variants import VARIANTS, make_raw  # noqa: E402

MB = 1_048_576


def best_of(data: bytes, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        read_bytes(data)
        best = min(best, time.perf_counter() - start)
    return best


def sized(text: str, size: int) -> bytes:
    data = (text * (size // max(len(text.encode()), 1) + 1)).encode()[:size]
    return data.decode("utf-8", "ignore").encode()


def main() -> int:
    gold = json.loads((ROOT / "examples" / "lecture.gold.json").read_text("utf-8"))
    wrapped = make_raw(gold, next(v for v in VARIANTS if v.name == "w27-space")).decode()
    shapes = {
        "wrapped lecture (site copy)": wrapped,
        "short menu-like lines": "\n".join(["首页", "登录 | 注册", "讲话稿", "一、总体要求", "正文。"] * 50),
        "one unbroken line": "同志们今天我们召开会议" * 500,
        "numbered lines": "\n".join(f"（{i % 9 + 1}）坚持学习，努力工作。" for i in range(300)),
        "page furniture between words": " ".join(f"第{i}页 共9页 学习资料 正文内容很多很多，" for i in range(300)),
    }
    read_bytes(sized(wrapped, 10_000))  # compile the patterns once
    print(f"{'input':32} {'1/8 MB':>8} {'1/2 MB':>8} {'1 MB':>8}  time ratio per size ratio (1 = linear)")
    for name, text in shapes.items():
        times = [best_of(sized(text, MB // 8)), best_of(sized(text, MB // 2)), best_of(sized(text, MB))]
        ratios = f"{times[1] / times[0] / 4:.2f} {times[2] / times[1] / 2:.2f}"
        print(f"{name:32} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f}  {ratios}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
