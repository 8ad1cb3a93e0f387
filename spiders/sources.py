"""One spider per registry entry, generated: ``scrapy crawl <source id>`` crawls one source.

Each is the archive spider fixed to its source, so there is one code path; adding a
``[[source]]`` block to the registry adds its spider.
"""

from __future__ import annotations

from baotinh import registry
from spiders.archive import ArchiveSpider


def _class_name(source_id: str) -> str:
    return "".join(part.capitalize() for part in source_id.replace("-", "_").split("_")) + "Spider"


def _spider_for(source: registry.Source) -> type[ArchiveSpider]:
    return type(
        _class_name(source.id),
        (ArchiveSpider,),
        {
            "name": source.id,
            "only_source": source.id,
            "__module__": __name__,
            "__doc__": f"Crawl {source.name} ({', '.join(source.domains)}) alone.",
        },
    )


SOURCE_SPIDERS: dict[str, type[ArchiveSpider]] = {
    source.id: _spider_for(source) for source in registry.sources().values()
}
globals().update({cls.__name__: cls for cls in SOURCE_SPIDERS.values()})
