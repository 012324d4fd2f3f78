"""Imported once by the process template (the multiprocessing forkserver,
see pool.py): load every bundled theme, every font it names, and render a
small sample in every registered format, so each conversion process forked
from the template starts with all of it in memory (a cold PDF render takes
three times as long as a warm one).

Nothing here may raise: the forkserver would die with it.  What failed is
kept in ``ERRORS`` and reported by the pool's health probe.
"""

from __future__ import annotations

import gc

ERRORS: list[str] = []

SAMPLE = (
    "关于加强学习的讲话\n\n同志们：\n\n今天我们召开会议，研究部署学习工作。\n\n"
    "一、提高认识\n\n（一）深刻理解重要意义。学习是立身之本，2024年要抓好10项任务。\n\n"
    "二、狠抓落实\n\n各级党组织要把学习作为重要任务，确保取得实效。\n"
).encode()


def _warm() -> None:
    try:
        # multiprocessing runs the server's script again in every forked
        # process (as __mp_main__); with what the console scripts import
        # already loaded here, that costs nothing.
        import click  # noqa: F401
        import uvicorn  # noqa: F401

        from .. import cli  # noqa: F401
        from ..convert import warm_theme
        from ..render import RENDERERS
        from ..theme import available_themes
        from .process_tasks import ConvertTask, convert_in_process, theme_named
    except Exception as err:  # noqa: BLE001 - reported by the health probe, never raised here
        ERRORS.append(f"import: {type(err).__name__}: {err}")
        return
    for name in available_themes():
        try:
            warm_theme(name)  # the metrics of every font the theme names
            theme_named(name)
        except Exception as err:  # noqa: BLE001
            ERRORS.append(f"theme {name}: {type(err).__name__}: {err}")
    for fmt in RENDERERS:
        try:
            convert_in_process(ConvertTask(SAMPLE, formats=(fmt,)))
        except Exception as err:  # noqa: BLE001
            ERRORS.append(f"render {fmt}: {type(err).__name__}: {err}")


_warm()

# Move everything loaded so far out of the collector's reach: a collection in
# a forked child would otherwise walk (and so copy) the whole warm heap,
# which costs each conversion tens of milliseconds.
gc.collect()
gc.freeze()
