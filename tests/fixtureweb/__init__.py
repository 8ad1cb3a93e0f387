"""The synthetic fixture web (see README.md): start it with ``start_fixture_web()``."""

from tests.fixtureweb.server import FixtureWeb, start_fixture_web

__all__ = ["FixtureWeb", "start_fixture_web"]
