"""Dataset releases: cut (``build``), describe (``card``, ``plots``, ``site``, ``manifest``),
validate (``datadocs``), and read back (``download``, ``export``). A job over a dataset folder,
not a crawl step: it reads published files through ``baotinh.dataset`` only."""
