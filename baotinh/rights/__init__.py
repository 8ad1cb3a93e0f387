"""Rights: what a site and a page say about reuse, and the takedown list (pure functions).

- :mod:`baotinh.rights.directives`: robots meta tags and ``X-Robots-Tag`` header directives;
- :mod:`baotinh.rights.tdmrep`: the W3C TDM Reservation Protocol (header, meta, well-known file);
- :mod:`baotinh.rights.tombstones`: the takedown list, its matching and its hashed publication;
- :mod:`baotinh.rights.policy`: what each signal does to fetching, keeping and releasing a page.
"""

from baotinh.rights.directives import robots_meta_directives, x_robots_tag_directives
from baotinh.rights.policy import RULES, withheld_reason
from baotinh.rights.tdmrep import TdmDeclaration, resolve_tdm
from baotinh.rights.tombstones import PublishedTombstones, Tombstone, TombstoneList

__all__ = [
    "RULES",
    "PublishedTombstones",
    "TdmDeclaration",
    "Tombstone",
    "TombstoneList",
    "resolve_tdm",
    "robots_meta_directives",
    "withheld_reason",
    "x_robots_tag_directives",
]
