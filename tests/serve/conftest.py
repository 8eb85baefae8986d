"""The running preview the HTTP tests talk to."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from pipeline.serve.server import Running, open_preview
from tests.conftest import Project


@pytest.fixture
def server(minimal: Project) -> Iterator[Running]:
    """A preview of the minimal project, served from a thread on a free port of 127.0.0.1."""
    log: list[str] = []
    with open_preview(minimal.root, port=0, log=log.append) as running:
        thread = threading.Thread(target=running.server.serve_forever, args=(0.05,), daemon=True)
        thread.start()
        try:
            yield running
        finally:
            running.server.shutdown()
            thread.join(timeout=10)
