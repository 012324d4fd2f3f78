"""The command line: `converter outline`, `converter convert`, …

Errors are one line on stderr and an exit code from converter.errors; no
traceback reaches the user (``-v`` shows one for internal errors)."""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_SOFTWARE, ConverterError, OutputError, Terminated, UsageError, describe_os_error, exit_code_for
from .load import DEFAULT_MAX_BYTES, INPUT_FORMATS, load_outline, read_input_bytes
from .atomic import write_atomic

if TYPE_CHECKING:
    from .model import Outline

# Each command imports what it needs when it runs: `convert --to docx` loads
# the reader and python-docx, never the service, Celery, reportlab or
# python-pptx (tests/test_cold_imports.py).  `serve` is made on first use
# (_Commands), since its flags come from the service's settings.

EXIT_CODES_HELP = """\b
Exit codes: 0 done; 1 some batch inputs failed; 2 usage error;
65 bad input data; 66 input not found; 70 internal error;
73 cannot write output."""


def _fail(err: BaseException, verbose: bool) -> None:
    if isinstance(err, ConverterError):
        click.echo(f"converter: error: {err}", err=True)
    elif isinstance(err, OSError):
        click.echo(f"converter: error: {describe_os_error(err)}", err=True)
    else:
        click.echo(f"converter: internal error: {type(err).__name__}: {err}", err=True)
        if verbose:
            import traceback

            traceback.print_exception(err)
    sys.exit(exit_code_for(err))


# Every command that reads inputs refuses one longer than this (load.py).
MAX_BYTES_OPTION = click.option(
    "--max-bytes", type=click.IntRange(1), default=DEFAULT_MAX_BYTES, show_default=True, envvar="CONVERTER_MAX_BYTES",
    metavar="N", help="Refuse an input longer than N bytes (env CONVERTER_MAX_BYTES).")


def _pause_collector() -> Callable[[], None]:
    """Pause Python's cycle collector while a command loads the reader and
    its renderers and converts its first input; returns the function that
    resumes it, which also runs when the command ends (however it ends).

    Loading allocates hundreds of thousands of objects (modules, classes,
    functions) that live as long as the process, and the collector walks
    them again and again as they are made: 13 ms of a cold .docx, 50 ms of
    all three formats.  What one conversion leaves to the collector is
    small (the example to all three formats: 1,600 objects; a 1 MB text:
    3 MB more at the peak)."""
    enabled = gc.isenabled()
    gc.disable()

    def resume() -> None:
        if enabled:
            gc.enable()

    click.get_current_context().call_on_close(resume)
    return resume


def _print_warnings(outline: Outline, quiet: bool) -> None:
    if quiet:
        return
    for w in outline.warnings:
        where = f"line {w.line}: " if w.line else ""
        click.echo(f"warning: {where}{w.message} [{w.code}]", err=True)


class _Commands(click.Group):
    """The command group; ``serve`` is built the first time it is looked up
    (running it, or listing the commands for --help), so the other commands
    never import converter.service."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), "serve"})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name == "serve" and cmd_name not in self.commands:
            self.add_command(_serve_command())
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "--version", prog_name="converter")
def cli() -> None:
    """Turn raw Chinese lecture texts (讲稿, 讲话稿, 工作报告) into an outline,
    Word handouts, slide decks and print-ready PDFs.

    \b
    Examples:
      converter outline lecture.txt                 # outline as JSON on stdout
      converter outline lecture.txt --to md -o lecture.md
      cat lecture.txt | converter outline -
    """


@cli.command()
@click.argument("input", metavar="INPUT")
@click.option("--to", "to", type=click.Choice(["json", "md"]), default="json", show_default=True, help="Outline format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE instead of stdout.")
@click.option("--encoding", help="Input encoding (default: detect UTF-8, GB18030, others).")
@click.option("--from", "from_", type=click.Choice(INPUT_FORMATS), help="Input format (default: guess).")
@MAX_BYTES_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print no warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Show detail on internal errors.")
def outline(input: str, to: str, output: str | None, encoding: str | None, from_: str | None, max_bytes: int,
            quiet: bool, verbose: bool) -> None:
    """Read INPUT (a text or .docx file, or - for stdin) and print its outline.

    \b
    The outline lists title, bylines, salutation, headings with levels and
    paragraphs; warnings (what was removed, restored or doubted) go to stderr.
    Edit the JSON or Markdown and pass it back to `converter convert`.
    \b
    Examples:
      converter outline examples/lecture.txt
      converter outline examples/lecture.txt --to md -o lecture.md
    """
    try:
        _pause_collector()
        data = read_input_bytes(input, max_bytes)
        source = None if input == "-" else Path(input).name
        result = load_outline(data, fmt=from_, encoding=encoding, source=source)  # type: ignore[arg-type]
        if to == "json":
            from .outline_json import dumps
        else:
            from .outline_md import dumps  # PyYAML, for the front matter
        text = dumps(result)
        if output:
            write_atomic(Path(output), text.encode("utf-8"))
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        _print_warnings(result, quiet)
    except Exception as err:  # noqa: BLE001 - every error leaves as one line and an exit code
        _fail(err, verbose)


@cli.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("--to", "to", multiple=True, metavar="FORMATS",
              help="docx, pdf, pptx or all; a comma list or repeated (default: all).")
@click.option("-o", "--output", metavar="PATH",
              help="A file name (one input, one format) or a folder (default: beside each input).")
@click.option("--theme", default="official", show_default=True, metavar="NAME|FILE",
              help="A bundled theme (official, handout) or a theme .toml file.")
@click.option("--template", type=click.Path(dir_okay=False), help="A .pptx whose layouts the deck uses.")
@click.option("--from", "from_", type=click.Choice(INPUT_FORMATS), help="Input format (default: guess).")
@click.option("--encoding", help="Input encoding (default: detect).")
@click.option("--title", help="Use this title instead of the one the reader found.")
@click.option("--speaker", help="The speaker (document author).")
@click.option("--date", help="The date of the lecture.")
@click.option("--name", "name_from", type=click.Choice(["input", "title"]), default="input", show_default=True,
              help="Name outputs after the input file or the lecture's title.")
@click.option("--toc", is_flag=True, help="Word: add a table of contents.")
@click.option("--embed-fonts", is_flag=True, help="Word: embed the fonts in the .docx.")
@click.option("--truncation-note/--no-truncation-note", default=True, show_default=True,
              help="End a text the reader found cut off with the theme's note (（原文至此不完整）).")
@click.option("--force", is_flag=True, help="Replace output files that already exist.")
@MAX_BYTES_OPTION
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show detail on internal errors.")
def convert(inputs: tuple[str, ...], to: tuple[str, ...], output: str | None, theme: str, template: str | None,
            from_: str | None, encoding: str | None, title: str | None, speaker: str | None, date: str | None,
            name_from: str, toc: bool, embed_fonts: bool, truncation_note: bool, force: bool, max_bytes: int,
            quiet: bool, verbose: bool) -> None:
    """Convert lecture texts (or Word documents, or outlines) to Word, PDF and slides.

    \b
    Examples:
      converter convert examples/lecture.txt                      # all formats, beside the input
      converter convert examples/lecture.txt --to pdf -o 讲稿.pdf
      converter convert a.txt b.txt --to docx,pdf -o out/ --theme handout
      converter convert lecture.outline.json --to docx            # an outline you edited
      converter convert 讲稿.docx --to pdf                         # a Word document
    \b
    An input is never replaced: 讲稿.docx to docx beside it is written as
    讲稿.converted.docx.
    """
    from .convert import (
        Overrides, check_not_an_input, check_output, output_path, parse_formats, read_outline, render_document,
        safe_filename, spare_inputs,
    )
    from .render import RenderOptions, RenderResult
    from .theme import load_theme

    try:
        resume_collector = _pause_collector()
        formats = parse_formats(to)
        chosen = load_theme(theme)
        options = RenderOptions.from_env(toc=toc, embed_fonts=embed_fonts, template=template,
                                         truncation_note=truncation_note)
        overrides = Overrides(title, speaker, date)
        many = len(inputs) > 1 or len(formats) > 1
        check_output(output, formats, many=many)
        check_not_an_input(output, list(inputs))
        for item in inputs:
            data = read_input_bytes(item, max_bytes)
            path = None if item == "-" else Path(item)
            outline = read_outline(data, fmt=from_, encoding=encoding, source=path.name if path else None,
                                   overrides=overrides)
            _print_warnings(outline, quiet)
            stem = safe_filename(outline.title) if name_from == "title" else None
            # (An output never replaces an input: 讲稿.docx to docx writes 讲稿.converted.docx.)
            targets = {fmt: spare_inputs(output_path(path, fmt, output, many=many, stem=stem), list(inputs))
                       for fmt in formats}
            existing = [str(t) for t in targets.values() if t.exists()]
            if existing and not force:
                # A handout edited by hand in Word must not be replaced by accident.
                raise OutputError(f"{', '.join(existing)} already exists; use --force to replace it")

            def write(fmt: str, result: RenderResult, targets: dict[str, Path] = targets) -> None:
                write_atomic(targets[fmt], result.data)
                for w in result.warnings:
                    if not quiet:
                        click.echo(f"warning: {w.message} [{w.code}]", err=True)
                if not quiet:
                    unit = "slides" if fmt == "pptx" else "pages"
                    pages = f" ({result.pages} {unit})" if result.pages else ""
                    click.echo(f"{targets[fmt]}{pages}", err=True)

            render_document(outline, formats, chosen, options, write)
            resume_collector()  # what the next input needs is loaded
    except Exception as err:  # noqa: BLE001
        _fail(err, verbose)


@cli.command()
@click.option("--broker", envvar="CONVERTER_BROKER_URL", required=True, metavar="URL",
              help="The Redis broker, e.g. redis://10.0.0.5:6379/0 (env CONVERTER_BROKER_URL).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None,
              help="Conversion processes (default: the number of cores).")
@click.option("--results-dir", envvar="CONVERTER_RESULTS_DIR", type=click.Path(file_okay=False),
              help="The results store shared with clients (env CONVERTER_RESULTS_DIR).")
@click.option("--theme", default="official", show_default=True, help="The theme whose fonts each process preloads.")
@click.option("--loglevel", default="INFO", show_default=True)
def worker(broker: str, concurrency: int | None, results_dir: str | None, theme: str, loglevel: str) -> None:
    """Run conversions from the queue (a Celery worker, prefork pool).

    \b
    Example (each machine; the results folder shared, e.g. over NFS):
      converter worker --broker redis://10.0.0.5:6379/0 --results-dir /srv/converter-results
    """
    import os

    from .distributed.settings import DistributedSettings
    from .distributed.worker import run_worker

    try:
        settings = DistributedSettings.from_env(broker, results_dir)
    except ValueError as err:
        raise click.UsageError(str(err)) from None
    run_worker(settings, concurrency or os.cpu_count() or 1, theme, loglevel)


@cli.command()
@click.option("--theme", default="official", show_default=True, metavar="NAME|FILE")
@click.option("--check", "check", metavar="INPUT", help="List the characters of INPUT that no bundled font has.")
@click.option("-v", "--verbose", is_flag=True)
def fonts(theme: str, check: str | None, verbose: bool) -> None:
    """List each role's face, the file that draws it and its GB2312 coverage."""
    from .fonts import gb2312_coverage, resolve_face
    from .theme import load_theme

    try:
        chosen = load_theme(theme)
        if check:
            from .render.pdf.plan import plan_pdf

            outline = load_outline(read_input_bytes(check), source=Path(check).name)
            missing = [w for w in plan_pdf(outline, chosen).warnings if w.code == "missing_glyph"]
            for w in missing:
                click.echo(w.message)
            if not missing:
                click.echo("every character has a bundled font")
            return
        roles = {name: role.font for name, role in chosen.roles.items()}
        roles["page_number"] = chosen.page_number.font
        width = max(map(len, roles)) + 1
        for name, font in roles.items():
            path = resolve_face(font.face, font.fallbacks)
            if path is None:
                click.echo(f"{name:{width}} {font.face:10} (no font file)")
                continue
            have, total = gb2312_coverage(path)
            click.echo(f"{name:{width}} {font.face:10} {path.name:28} GB2312 {have}/{total} ({have / total:.0%})")
        latin = resolve_face(chosen.latin.face, chosen.latin.fallbacks)
        click.echo(f"{'latin':{width}} {chosen.latin.face:10} {latin.name if latin else '(no font file)'}")
    except Exception as err:  # noqa: BLE001
        _fail(err, verbose)


@cli.command()
@click.argument("paths", metavar="PATH...", nargs=-1, required=True)
@click.option("-o", "--output", "outdir", required=True, type=click.Path(file_okay=False), metavar="OUTDIR",
              help="The output folder; outputs mirror the input tree under it.")
@click.option("--to", "to", multiple=True, metavar="FORMATS", help="docx, pdf, pptx or all (default: all).")
@click.option("--jobs", type=click.IntRange(0, 64), default=0, help="Worker processes (default: the number of cores).")
@click.option("--print", "print_file", type=click.Path(dir_okay=False), metavar="FILE.pdf",
              help="Also write one merged print PDF (implies pdf): each document on an odd page, one bookmark each.")
@click.option("--booklet", is_flag=True, help="With --print: impose each document as a folded A3 booklet.")
@click.option("--theme", default="official", show_default=True, metavar="NAME|FILE")
@click.option("--template", type=click.Path(dir_okay=False, exists=True), help="A .pptx whose layouts decks use.")
@click.option("--from", "from_", type=click.Choice(INPUT_FORMATS), help="Input format (default: guess per file).")
@click.option("--encoding", help="Input encoding (default: detect per file).")
@click.option("--force", is_flag=True, help="Convert everything again, even what is up to date.")
@MAX_BYTES_OPTION
@click.option("--truncation-note/--no-truncation-note", default=True, show_default=True,
              help="End a text the reader found cut off with the theme's note (（原文至此不完整）).")
@click.option("--broker", envvar="CONVERTER_BROKER_URL", metavar="URL",
              help="Send the work to Celery workers through this Redis broker (env CONVERTER_BROKER_URL).")
@click.option("--results-dir", envvar="CONVERTER_RESULTS_DIR", type=click.Path(file_okay=False),
              help="With --broker: the results store the workers share (env CONVERTER_RESULTS_DIR).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Show detail on internal errors.")
def batch(paths: tuple[str, ...], outdir: str, to: tuple[str, ...], jobs: int, print_file: str | None,
          booklet: bool, theme: str, template: str | None, from_: str | None, encoding: str | None,
          force: bool, truncation_note: bool, max_bytes: int, broker: str | None, results_dir: str | None,
          quiet: bool, verbose: bool) -> None:
    """Convert many lectures at once, for printing.

    PATH may be files, folders (*.txt, *.md, outline *.json and *.docx
    inside them, recursively; never a converter's outputs) or globs.  Up-to-date outputs are skipped (see manifest.json
    in OUTDIR); one bad file never stops the batch: it is listed with its
    error and the exit code is 1.

    \b
    Examples:
      converter batch lectures/ -o out/
      converter batch 'lectures/*.txt' -o out/ --to pdf --print out/print.pdf
      converter batch lectures/ -o out/ --print out/booklets.pdf --booklet --jobs 2
    """
    from .batch_cli import run_batch_command

    try:
        runner = None
        if broker:
            from .distributed.runner import CeleryRunner
            from .distributed.settings import DistributedSettings

            runner = CeleryRunner(DistributedSettings.from_env(broker, results_dir))
        code = run_batch_command(paths, Path(outdir), to, jobs, print_file, booklet, theme, template,
                                 from_, encoding, force, quiet, runner, truncation_note, max_bytes)
    except Exception as err:  # noqa: BLE001
        _fail(err, verbose)
    sys.exit(code)


def _serve_command() -> click.Command:
    """``converter serve``, one flag per service setting."""
    from .service.settings import click_options

    return click.command("serve")(click_options(serve))


def serve(**flags: object) -> None:
    """Run the conversion service: the HTTP API and the web page.

    Every limit can also be set in the environment (CONVERTER_*); a flag
    wins over the environment.

    \b
    Examples:
      converter serve                                  # http://127.0.0.1:8000/
      converter serve --host 0.0.0.0 --auth-tokens tokens.txt   # other machines: tokens
      CONVERTER_TIME_LIMIT=30 converter serve
    """
    from .service.server import serve as run

    try:
        run(make_runner=_job_runner, **flags)
    except ValueError as err:  # a bad setting, named by its flag or variable
        _fail(UsageError(str(err)), False)


def _job_runner(pool: Any, metrics: Any, settings: Any) -> Any:
    """The service's job runner: each file of a job converted on Celery
    workers when a broker is named, in the server's own pool otherwise.
    (Wired here, at the front door, so the service never imports
    converter.distributed; distributed implements the service's public
    protocol for one file of a job, service/job_files.py.)"""
    from .service.jobs import InProcessRunner

    if not settings.broker:
        return InProcessRunner(pool, metrics, settings.results_dir, settings.job_ttl,
                               owner_share=settings.owner_share, min_free_bytes=settings.min_free_bytes)
    from .distributed.jobs import CeleryFileConverter
    from .distributed.settings import DistributedSettings

    distributed = DistributedSettings.from_env(settings.broker, settings.results_dir)
    return InProcessRunner(pool, metrics, settings.results_dir, settings.job_ttl,
                           converter=CeleryFileConverter(distributed), owner_share=settings.owner_share,
                           min_free_bytes=settings.min_free_bytes)


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main() -> None:
    """The `converter` script (and ``python -m converter``): the process
    ends when this returns."""
    # SIGTERM stops a command as Ctrl-C does: a batch kills its workers and
    # removes their half-written files, a conversion its temporary file.
    # (`serve` installs uvicorn's own handlers, which drain the server.)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        cli(prog_name="converter")
    except Terminated:
        sys.exit(143)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as err:  # noqa: BLE001
        _fail(err, False)
        sys.exit(EXIT_SOFTWARE)
    finally:
        # Python's exit walks every object once more looking for cycles
        # (15-20 ms after a .docx, 40-50 ms after all three formats); frozen
        # objects are left to the end of the process, which frees them all
        # at once.  atexit handlers still run.
        gc.freeze()
