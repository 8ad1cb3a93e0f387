"""One crawl: its state (``run``), its accounting (``report``), the runner behind
``baotinh crawl`` (``runner``) and the live-site check (``check``)."""
