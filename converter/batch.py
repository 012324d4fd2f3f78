"""Batch conversion: many inputs, a pool of worker processes, a manifest.

- Inputs are files, folders (recursing into *.txt, *.md, outline *.json and
  *.docx, but never a converter's own outputs) or globs; outputs mirror the
  input tree under the output folder.
- Each worker process loads the theme and the fonts once (its initialiser).
  A worker that dies (killed, out of memory) fails only the documents it had,
  which are tried once more; the batch goes on.  A document with bad input
  fails alone with the reader's error.
- manifest.json records, per input, the key of what was made (hash of the
  input bytes, the options, the theme and template contents and the version)
  and each output's hash, so a rerun skips what is up to date and redoes an
  output that was deleted or changed; it is rewritten after every document,
  so a rerun after a crash does only what is missing.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import signal
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

from . import __version__
from .atomic import TEMP_SUFFIX, remove_stale_temps, write_atomic
from .convert import Overrides, read_outline, render_document, warm_theme
from .errors import ConverterError, InputNotFoundError, OutputError, describe_os_error, os_reason
from .load import DEFAULT_MAX_BYTES, read_input_bytes
from .outline_json import looks_like_outline_json
from .markers import chinese_number
from .render import RenderOptions, RenderResult
from .theme import Theme, load_theme

MANIFEST = "manifest.json"
INPUT_SUFFIXES = (".txt", ".md", ".json", ".docx")
TEXT_SUFFIXES = (".txt", ".md", ".json")
MAX_ATTEMPTS = 2  # a document whose worker died is tried once more


# ---------------------------------------------------------------------------
# Finding the inputs


@dataclass(frozen=True, slots=True)
class BatchInput:
    path: Path  # absolute
    rel: Path  # where it sits under the common folder; outputs mirror it


# Digit runs and Chinese numeral runs: 第2讲, 第十二讲, 二〇二五年.
_NUMBER_RUN = re.compile(r"(\d+|[零〇一二两三四五六七八九十百]+)")


def natural_key(text: str) -> list[object]:
    """第2讲 before 第10讲, and 第二讲 before 第十讲: numbers in a name,
    written in digits or in Chinese numerals, compare as numbers."""
    key: list[object] = []
    for i, part in enumerate(_NUMBER_RUN.split(text)):
        if i % 2 == 0:
            key.append(part.lower())
        elif part.isdigit():
            key.append(int(part))
        elif len(part) > 1 and not set(part) & set("十百"):
            # 二〇二五: digit by digit, as years are written.
            key.append(int("".join(str(chinese_number(ch)) for ch in part)))
        else:
            key.append(chinese_number(part) or 0)
    key.append(text)  # 第2讲 and 第二讲 tie: the name decides, the same way on every system
    return key


def _is_input(path: Path, outdir: Path) -> bool:
    if path.name == MANIFEST or path.name.endswith(TEMP_SUFFIX) or path.name.startswith((".", "~$")):
        return False  # (~$讲稿.docx: the lock file Word keeps beside a document it has open)
    if outdir == path or outdir in path.parents:
        return False
    if path.suffix.lower() not in INPUT_SUFFIXES:
        return False
    if path.suffix.lower() == ".docx":
        return not _made_here(path, outdir)
    if path.suffix.lower() == ".json":
        try:
            return looks_like_outline_json(path.read_text("utf-8", errors="replace"))
        except OSError:
            return False
    return True


def _made_here(path: Path, outdir: Path) -> bool:
    """Is the .docx ``path`` a converter's output rather than a lecture?
    ``讲稿.docx`` beside an input ``讲稿.txt`` (``.md``, outline ``.json``)
    is that text's handout (``converter convert`` writes it there, and the
    two would make outputs of the same names), and ``讲稿.converted.docx``
    the handout of ``讲稿.docx``.  (Another batch's output folder, which
    holds a manifest, is not walked at all.)"""
    from .convert import CONVERTED_INFIX

    stem = path.stem
    if stem.endswith(CONVERTED_INFIX) and path.with_name(stem.removesuffix(CONVERTED_INFIX) + path.suffix).exists():
        return True
    return any(_is_input(path.with_suffix(suffix), outdir) for suffix in TEXT_SUFFIXES
               if path.with_suffix(suffix).is_file())


def _batch_output_folder(folder: Path) -> bool:
    """Does ``folder`` hold a batch's manifest (it is another batch's output folder)?"""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return False
    try:
        data = json.loads(manifest.read_text("utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and isinstance(data.get("documents"), list) and "options" in data


def _walk(folder: Path, outdir: Path) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted((d for d in dirs if not d.startswith(".") and (root_path / d).resolve() != outdir
                          and not _batch_output_folder(root_path / d)),
                         key=natural_key)
        for name in sorted(files, key=natural_key):
            path = (root_path / name).resolve()
            if _is_input(path, outdir):
                found.append(path)
    return found


def discover(paths: Iterable[str], outdir: Path) -> list[BatchInput]:
    """The input files, in the order given (natural order inside folders),
    each once.  A path that names nothing is an error."""
    outdir = outdir.resolve()
    files: list[Path] = []
    for raw in paths:
        matches = [Path(m) for m in sorted(glob.glob(raw), key=natural_key)] if glob.has_magic(raw) else [Path(raw)]
        if not matches or not any(m.exists() for m in matches):
            raise InputNotFoundError(f"{raw}: no such file or folder")
        for match in matches:
            if match.is_dir():
                files += _walk(match, outdir)
            elif match.exists():
                files.append(match.resolve())
    unique = list(dict.fromkeys(files))
    if not unique:
        return []
    common = Path(os.path.commonpath([str(p.parent) for p in unique]))
    return [BatchInput(p, p.relative_to(common)) for p in unique]


# ---------------------------------------------------------------------------
# One document, in a worker process


@dataclass(frozen=True, slots=True)
class BatchOptions:
    formats: tuple[str, ...]
    theme: str = "official"
    template: str | None = None
    from_format: str | None = None
    encoding: str | None = None
    title: str | None = None
    speaker: str | None = None
    date: str | None = None
    force: bool = False
    jobs: int = 0  # 0: the number of cores
    truncation_note: bool = True  # end a truncated text with the theme's note
    max_bytes: int = DEFAULT_MAX_BYTES  # a longer input fails (load.read_input_bytes)

    def key_fields(self) -> dict[str, object]:
        """What changes the outputs (jobs, force and the input limit do not)."""
        return {k: v for k, v in asdict(self).items() if k not in ("jobs", "force", "max_bytes")}

    def render_options(self) -> RenderOptions:
        """The renderers' options (SOURCE_DATE_EPOCH from the environment)."""
        return RenderOptions.from_env(template=self.template, truncation_note=self.truncation_note)


@dataclass(frozen=True, slots=True)
class BatchTask:
    """One input file of a batch: where its outputs go and the key of what
    they will be made from (the unit a TaskRunner runs)."""

    input: BatchInput
    outputs: dict[str, str]  # format -> output path
    key: str
    options: BatchOptions


@dataclass(slots=True)
class DocResult:
    input: str  # relative path, as in the manifest
    state: str  # "done", "skipped" (up to date), "failed"
    key: str = ""
    title: str = ""
    outputs: dict[str, dict[str, object]] = field(default_factory=dict)
    warnings: int = 0
    seconds: float = 0.0
    error: str | None = None
    attempts: int = 1


_worker_theme: Theme | None = None


def init_worker(theme: str) -> None:
    """Load the theme and every font it names once per worker process."""
    global _worker_theme
    # The batch's main process decides how a batch stops (Ctrl-C, SIGTERM):
    # a worker neither raises on Ctrl-C nor inherits its SIGTERM handler.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_theme = warm_theme(theme)


def convert_batch_task(task: BatchTask) -> DocResult:
    """Convert one input of a batch to every format (the core's read_outline
    and render_document); outputs are written atomically.  Bad input is a
    failed result, not an exception."""
    started = time.perf_counter()
    result = DocResult(str(task.input.rel), "done", task.key)
    opts = task.options
    try:
        theme = _worker_theme if _worker_theme is not None and _worker_theme.name == opts.theme else load_theme(opts.theme)
        data = read_input_bytes(str(task.input.path), opts.max_bytes)
        outline = read_outline(data, fmt=opts.from_format, encoding=opts.encoding, source=task.input.path.name,
                               overrides=Overrides(opts.title, opts.speaker, opts.date))
        result.title = outline.title or task.input.path.stem
        result.warnings = len(outline.warnings)

        def write(fmt: str, rendered: RenderResult) -> None:
            target = Path(task.outputs[fmt])
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, rendered.data)
            result.warnings += len(rendered.warnings)
            result.outputs[fmt] = {
                "path": str(target),
                "bytes": len(rendered.data),
                "sha256": hashlib.sha256(rendered.data).hexdigest(),
                "pages": rendered.pages,
            }

        render_document(outline, opts.formats, theme, opts.render_options(), write)
    except ConverterError as err:
        result.state, result.error = "failed", str(err)
    except OSError as err:
        result.state, result.error = "failed", describe_os_error(err)
    except Exception as err:  # noqa: BLE001 - one document's bug must not stop the batch
        result.state, result.error = "failed", f"internal error: {type(err).__name__}: {err}"
    result.seconds = round(time.perf_counter() - started, 3)
    return result


# ---------------------------------------------------------------------------
# The manifest and the up-to-date check


def theme_fingerprint(theme: Theme) -> str:
    """Every resolved value of the theme (so an edited parent theme counts)."""
    return hashlib.sha256(repr(theme).encode()).hexdigest()


def task_key(data: bytes, options: BatchOptions, theme: Theme) -> str:
    h = hashlib.sha256()
    h.update(data)
    h.update(json.dumps(options.key_fields(), sort_keys=True, ensure_ascii=False).encode())
    h.update(theme_fingerprint(theme).encode())
    if options.template:
        h.update(Path(options.template).read_bytes())
    h.update(__version__.encode())
    return h.hexdigest()


def read_manifest(outdir: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads((outdir / MANIFEST).read_text("utf-8"))
        documents = data.get("documents", []) if isinstance(data, dict) else []  # a damaged manifest: start over
        return {d["input"]: d for d in documents if isinstance(d, dict) and "input" in d}
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        return {}


def _relative(outdir: Path, path: str) -> str:
    """An output's path as the manifest keeps it: relative to OUTDIR, so
    the folder can be moved or copied and its manifest still holds."""
    return Path(os.path.relpath(path, outdir)).as_posix()


def write_manifest(outdir: Path, options: BatchOptions, results: dict[str, DocResult], order: list[str]) -> None:
    docs = [asdict(results[name]) for name in order if name in results]
    for doc in docs:
        for info in doc["outputs"].values():
            info["path"] = _relative(outdir, str(info["path"]))
    data = {"version": __version__, "options": options.key_fields(), "documents": docs}
    write_atomic(outdir / MANIFEST, (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def is_up_to_date(entry: dict[str, object] | None, key: str, outputs: dict[str, str], outdir: Path) -> bool:
    if not entry or entry.get("key") != key or entry.get("state") not in ("done", "skipped"):
        return False
    made = entry.get("outputs")
    if not isinstance(made, dict):
        return False
    for fmt, path in outputs.items():
        info = made.get(fmt)
        if (not isinstance(info, dict) or info.get("path") != _relative(outdir, path)
                or _sha256(Path(path)) != info.get("sha256")):
            return False
    return True


# ---------------------------------------------------------------------------
# Running a batch


@dataclass(slots=True)
class BatchReport:
    results: list[DocResult]

    @property
    def failed(self) -> list[DocResult]:
        return [r for r in self.results if r.state == "failed"]


ProgressFn = Callable[[str, BatchInput, DocResult | None], None]  # event "start"/"done", input, result


def output_paths(item: BatchInput, outdir: Path, formats: Iterable[str]) -> dict[str, str]:
    base = outdir / item.rel.parent / item.rel.stem
    return {fmt: str(base.with_name(f"{base.name}.{fmt}")) for fmt in formats}


def run_batch(inputs: list[BatchInput], outdir: Path, options: BatchOptions,
              progress: ProgressFn | None = None, runner: TaskRunner | None = None) -> BatchReport:
    """Convert what is not up to date with ``runner`` (default: a local pool
    of worker processes) and keep the manifest current."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{outdir}: cannot make the output folder ({os_reason(err)})") from None
    theme = load_theme(options.theme)
    previous = read_manifest(outdir)
    order = [str(i.rel) for i in inputs]
    results: dict[str, DocResult] = {}
    todo: deque[BatchTask] = deque()
    input_paths = {i.path for i in inputs}
    for item in inputs:
        outputs = output_paths(item, outdir, options.formats)
        replaced = [p for p in outputs.values() if Path(p).resolve() in input_paths]
        if replaced:
            # An input named inside OUTDIR (converter batch out/讲稿.docx -o out/): never replaced.
            results[str(item.rel)] = DocResult(str(item.rel), "failed",
                                               error=f"its output {replaced[0]} is an input; an input is never replaced")
            continue
        for folder in {Path(p).parent for p in outputs.values()}:
            if folder.is_dir():
                remove_stale_temps(folder)
        try:
            key = task_key(read_input_bytes(str(item.path), options.max_bytes), options, theme)
        except ConverterError as err:  # unreadable, or longer than max_bytes
            results[str(item.rel)] = DocResult(str(item.rel), "failed", error=str(err))
            continue
        entry = previous.get(str(item.rel))
        if not options.force and is_up_to_date(entry, key, outputs, outdir):
            assert entry is not None
            skipped = DocResult(**{k: v for k, v in entry.items() if k in DocResult.__slots__})  # type: ignore[arg-type]
            skipped.state = "skipped"
            skipped.outputs = {fmt: {**info, "path": outputs[fmt]} for fmt, info in skipped.outputs.items()}
            results[str(item.rel)] = skipped
            if progress:
                progress("done", item, skipped)
            continue
        todo.append(BatchTask(item, outputs, key, options))

    def started(task: BatchTask) -> None:
        if progress:
            progress("start", task.input, None)

    def finished(task: BatchTask, result: DocResult) -> None:
        results[str(task.input.rel)] = result
        write_manifest(outdir, options, results, order)
        if progress:
            progress("done", task.input, result)

    (runner or LocalPoolRunner(options.jobs or os.cpu_count() or 1, options.theme)).run(list(todo), started, finished)
    write_manifest(outdir, options, results, order)
    return BatchReport([results[name] for name in order if name in results])


class TaskRunner(Protocol):
    """Runs a batch's tasks somewhere (LocalPoolRunner here; the Celery
    runner in converter.distributed) and reports each one's result."""

    def run(self, tasks: list[BatchTask], started: Callable[[BatchTask], None],
            finished: Callable[[BatchTask, DocResult], None]) -> None: ...


class LocalPoolRunner:
    """A pool of worker processes on this machine.  At most ``jobs`` tasks
    are in flight, so when a worker dies the tasks to try again are known."""

    def __init__(self, jobs: int, theme: str) -> None:
        self.jobs = max(1, jobs)
        self.theme = theme

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.jobs, initializer=init_worker, initargs=(self.theme,))

    def run(self, tasks: list[BatchTask], started: Callable[[BatchTask], None],
            finished: Callable[[BatchTask, DocResult], None]) -> None:
        todo = deque(tasks)
        attempts: dict[str, int] = {}
        pool = self._pool()
        running: dict[Future[DocResult], BatchTask] = {}
        try:
            while todo or running:
                while todo and len(running) < self.jobs:
                    task = todo.popleft()
                    name = str(task.input.rel)
                    attempts[name] = attempts.get(name, 0) + 1
                    started(task)
                    running[pool.submit(convert_batch_task, task)] = task
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                broken = False
                for future in done:
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        broken = True
                        continue  # stays in running: handled with the others below
                    task = running.pop(future)
                    result.attempts = attempts[str(task.input.rel)]
                    finished(task, result)
                if broken:
                    # A worker died: every document in flight is tried once
                    # more (the pool cannot say which one it was working on).
                    pool.shutdown(wait=False, cancel_futures=True)
                    for task in running.values():
                        _remove_partial(task)
                        name = str(task.input.rel)
                        if attempts[name] < MAX_ATTEMPTS:
                            todo.appendleft(task)
                        else:
                            finished(task, DocResult(name, "failed", task.key, attempts=attempts[name],
                                                     error="the worker converting it died (killed or out of memory), twice"))
                    running.clear()
                    pool = self._pool()
        except BaseException:  # Ctrl-C or SIGTERM (errors.Terminated): stop now, leave nothing half-written
            _kill_workers(pool)
            for task in running.values():
                _remove_partial(task)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill a pool's worker processes (a conversion in flight cannot be
    cancelled otherwise; waiting for it would hold a stopping batch for
    its whole length)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def _remove_partial(task: BatchTask) -> None:
    """A killed worker leaves its temp files: remove them now."""
    for path in task.outputs.values():
        target = Path(path)
        for tmp in target.parent.glob(f".{target.name}.*{TEMP_SUFFIX}"):
            try:
                tmp.unlink()
            except OSError:
                pass
