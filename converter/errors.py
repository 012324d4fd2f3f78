"""The project's error hierarchy and the one table that maps it to exit codes.

Every error a user can cause is a ``ConverterError`` with a message meant for
that user.  Front doors (the CLI, the HTTP API) map errors through the
tables here; this module imports neither click nor any web framework.
"""

from __future__ import annotations

import os

# sysexits.h values, as documented in README and `converter --help`.
EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_DATAERR = 65
EXIT_NOINPUT = 66
EXIT_SOFTWARE = 70
EXIT_CANTCREAT = 73


class Terminated(BaseException):
    """SIGTERM (systemd, docker stop, timeout): stop as for Ctrl-C, cleaning
    up on the way out, and exit 143.  A BaseException, so that no
    ``except Exception`` swallows it, and not a KeyboardInterrupt, which
    click turns into "Aborted!" and exit 1."""


class ConverterError(Exception):
    """Base class: something the user can fix.  ``str(err)`` is the message."""

    exit_code = EXIT_SOFTWARE
    http_status = 500
    code = "internal"


class InputError(ConverterError):
    """The input cannot be read as a lecture text (binary, empty, undecodable)."""

    exit_code = EXIT_DATAERR
    http_status = 422
    code = "bad_input"


class OutlineFormatError(InputError):
    """An outline JSON or Markdown file that does not follow the schema."""

    code = "bad_outline"


class InputNotFoundError(ConverterError):
    exit_code = EXIT_NOINPUT
    http_status = 404
    code = "not_found"


class OutputError(ConverterError):
    """The output cannot be written (folder missing, no permission, disk full)."""

    exit_code = EXIT_CANTCREAT
    http_status = 500
    code = "cannot_write"


def exit_code_for(err: BaseException) -> int:
    if isinstance(err, ConverterError):
        return err.exit_code
    if isinstance(err, FileNotFoundError):
        return EXIT_NOINPUT
    return EXIT_SOFTWARE


def os_reason(err: OSError) -> str:
    """Why an OSError happened, in the system's words ("Permission denied")."""
    return err.strerror or (os.strerror(err.errno) if err.errno else str(err))


def describe_os_error(err: OSError) -> str:
    """A one-line message for an OSError, without a traceback."""
    reason = os_reason(err)
    return f"{err.filename}: {reason}" if err.filename else reason


class UsageError(ConverterError):
    """A command used in a way it cannot be (conflicting options)."""

    exit_code = EXIT_USAGE
    http_status = 400
    code = "usage"


class MissingFontError(ConverterError):
    """The theme names a face this machine has no font file for, and the
    format asked for must draw or measure text with it (the PDF, the slide
    deck's fitting, --embed-fonts).  The message names the face and how to
    get it.  Exit 65, as for any theme the data cannot be made with; over
    HTTP a 400, like an unknown format or theme: the request asks for
    something this server cannot make, whatever the upload."""

    exit_code = EXIT_DATAERR
    http_status = 400
    code = "missing_font"
