"""The command line: `converter outline`, `converter convert`, …

Errors are one line on stderr and an exit code from converter.errors; no
traceback reaches the user (``-v`` shows one for internal errors)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, outline_json, outline_md
from .errors import EXIT_SOFTWARE, ConverterError, exit_code_for
from .load import INPUT_FORMATS, load_outline, read_input_bytes
from .model import Outline
from .atomic import write_atomic

EXIT_CODES_HELP = """\b
Exit codes: 0 done; 1 some batch inputs failed; 2 usage error;
65 bad input data; 66 input not found; 70 internal error;
73 cannot write output."""


def _fail(err: BaseException, verbose: bool) -> None:
    if isinstance(err, ConverterError):
        click.echo(f"converter: error: {err}", err=True)
    elif isinstance(err, OSError):
        click.echo(f"converter: error: {err.filename or ''}: {err.strerror or err}", err=True)
    else:
        click.echo(f"converter: internal error: {type(err).__name__}: {err}", err=True)
        if verbose:
            import traceback

            traceback.print_exception(err)
    sys.exit(exit_code_for(err))


def _print_warnings(outline: Outline, quiet: bool) -> None:
    if quiet:
        return
    for w in outline.warnings:
        where = f"line {w.line}: " if w.line else ""
        click.echo(f"warning: {where}{w.message} [{w.code}]", err=True)


@click.group(
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
@click.option("-q", "--quiet", is_flag=True, help="Print no warnings.")
@click.option("-v", "--verbose", is_flag=True, help="Show detail on internal errors.")
def outline(input: str, to: str, output: str | None, encoding: str | None, from_: str | None, quiet: bool, verbose: bool) -> None:
    """Read INPUT (a file, or - for stdin) and print its outline.

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
        data = read_input_bytes(input)
        source = None if input == "-" else Path(input).name
        result = load_outline(data, fmt=from_, encoding=encoding, source=source)  # type: ignore[arg-type]
        text = outline_json.dumps(result) if to == "json" else outline_md.dumps(result)
        if output:
            write_atomic(Path(output), text.encode("utf-8"))
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        _print_warnings(result, quiet)
    except Exception as err:  # noqa: BLE001 - every error leaves as one line and an exit code
        _fail(err, verbose)


def main() -> None:
    try:
        cli(prog_name="converter")
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as err:  # noqa: BLE001
        _fail(err, False)
        sys.exit(EXIT_SOFTWARE)
