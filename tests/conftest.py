import sys
from pathlib import Path

import pytest

# tests/ helpers (variants.py, score.py) import as top-level modules.
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture()
def client(server):
    """An HTTP client of the module's ``server`` fixture (a real
    `converter serve` process, tests/service_server.py)."""
    with server.client() as c:
        yield c

