import os
import sys
import warnings
from pathlib import Path

import pytest

# tests/ helpers (variants.py, score.py) import as top-level modules.
sys.path.insert(0, str(Path(__file__).parent))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (tests/run.sh runs -n auto --dist loadgroup), the
    slow tier first: workers take tests in collection order, and a long test
    taken last (the wheel's install sorts last by name) would run alone on
    one worker while the others have finished.  The quick tests then fill
    the gaps.  A plain `pytest` keeps the collection order."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)  # (stable: files keep their order)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Say so when loadgroup did not group: pytest-xdist names a grouped
    test ``nodeid@group``, and a pytest it does not know may drop that
    (pytest-dev/pytest-xdist#1386).  The tests still pass, but each worker
    then makes the grouped modules' fixtures (servers, LibreOffice's PDFs)."""
    if os.environ.get("PYTEST_XDIST_WORKER") and session.config.getvalue("loadgroup"):
        lost = [item.nodeid for item in session.items if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
        if lost:
            warnings.warn(f"--dist loadgroup ignored the xdist_group marks ({lost[0]} and {len(lost) - 1} more): "
                          "pytest-xdist and this pytest disagree on node ids", stacklevel=1)


@pytest.fixture()
def client(server):
    """An HTTP client of the module's ``server`` fixture (a real
    `converter serve` process, tests/service_server.py)."""
    with server.client() as c:
        yield c
