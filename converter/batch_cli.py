"""What `converter batch` shows a person: a progress bar per file and
overall on stderr (hidden when stderr is not a terminal), a summary table,
and the merged print file."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from .atomic import write_atomic
from .batch import BatchInput, BatchOptions, DocResult, TaskRunner, discover, run_batch
from .convert import parse_formats
from .load import DEFAULT_MAX_BYTES
from .errors import EXIT_OK, EXIT_SOME_FAILED, UsageError
from .printing import PrintDocument, merge_for_print


def run_batch_command(paths: tuple[str, ...], outdir: Path, to: tuple[str, ...], jobs: int,
                      print_file: str | None, booklet: bool, theme: str, template: str | None,
                      from_format: str | None, encoding: str | None, force: bool, quiet: bool,
                      runner: TaskRunner | None = None, truncation_note: bool = True,
                      max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    formats = parse_formats(to)
    if print_file and "pdf" not in formats:
        formats.append("pdf")  # --print implies PDF output
    if booklet and not print_file:
        raise UsageError("--booklet imposes the --print file; give --print FILE.pdf")
    inputs = discover(paths, outdir)
    console = Console(stderr=True, quiet=quiet)
    if not console.is_terminal:
        console = Console(stderr=True, quiet=quiet, width=160)  # a log file: no need to fold at 80
    if not inputs:
        console.print("no input files found (looked for *.txt, *.md, outline *.json and *.docx)")
        return EXIT_SOME_FAILED
    options = BatchOptions(tuple(formats), theme, template, from_format, encoding, force=force, jobs=jobs,
                           truncation_note=truncation_note, max_bytes=max_bytes)

    progress = Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=quiet or not console.is_terminal, transient=True,
    )
    overall = progress.add_task("全部 / all", total=len(inputs))
    per_file: dict[str, TaskID] = {}

    def on_event(event: str, item: BatchInput, result: DocResult | None) -> None:
        name = str(item.rel)
        if event == "start":
            per_file[name] = progress.add_task(f"  {name}", total=1)
            return
        if name in per_file:
            progress.remove_task(per_file.pop(name))
        progress.advance(overall)

    with progress:
        report = run_batch(inputs, outdir, options, on_event, runner)

    _summary(console, report.results)
    if print_file:
        docs = [PrintDocument(r.title or Path(r.input).stem, Path(str(r.outputs["pdf"]["path"])))
                for r in report.results if r.state != "failed" and "pdf" in r.outputs]
        if docs:
            write_atomic(Path(print_file), merge_for_print(docs, booklet=booklet))
            console.print(f"print file: {print_file} ({len(docs)} documents{', booklets' if booklet else ''})")
    for r in report.failed:
        # One clear line per failure, even with --quiet.
        Console(stderr=True).print(f"converter: error: {r.input}: {r.error}", highlight=False, markup=False,
                                   soft_wrap=True)
    return EXIT_SOME_FAILED if report.failed else EXIT_OK


def _summary(console: Console, results: list[DocResult]) -> None:
    table = Table(title="converter batch", show_lines=False)
    for column in ("file", "formats", "PDF pages", "deck slides", "warnings", "time", "result"):
        table.add_column(column, overflow="fold")
    for r in results:
        pdf = r.outputs.get("pdf", {}).get("pages") if r.outputs else None
        deck = r.outputs.get("pptx", {}).get("pages") if r.outputs else None
        outcome = {"done": "done", "skipped": "up to date"}.get(r.state, r.error or "failed")
        table.add_row(r.input, ",".join(r.outputs) or "-", str(pdf or "-"), str(deck or "-"), str(r.warnings),
                      f"{r.seconds:.2f}s", outcome)
    console.print(table)
