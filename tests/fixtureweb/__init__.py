"""The synthetic fixture web (see README.md): ``FixtureWebProcess`` starts its proxy server."""

from tests.fixtureweb.process import FixtureWebProcess

__all__ = ["FixtureWebProcess"]
