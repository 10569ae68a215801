from __future__ import annotations

import pytest

from monitoring.fetcher import FetchConfig, Fetcher
from monitoring.tests.server import Site


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


@pytest.fixture
def allow_local(settings):
    settings.LONGDAN_MONITOR_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
    settings.LONGDAN_MONITOR_PAUSE = 0.0
    return settings


@pytest.fixture
def client_fetcher():
    return Fetcher(
        FetchConfig(allowed_private=frozenset({"127.0.0.1", "localhost"}), pause=0.0, backoff=0.0)
    )
