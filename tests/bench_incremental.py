"""``make bench``, incremental scenario: a paper's site that keeps publishing (SYNTHETIC).

A bench copy of baohatinh (family B: two feeds, a sitemap index of 50-URL children with
lastmods, a homepage listing and a section listing with pagination) is served by the fixture
web, which answers conditional requests. Measured with the real ``baotinh crawl``:

1. **Steady state**: after a first full crawl, rounds that add ``new`` articles and edit one;
   per round the article 200-responses against new + edited, the discovery 200-responses
   against the documents that changed, the share of polls of unchanged feeds and sitemaps
   answered 304, and 200-responses per new article (robots.txt apart and included).
2. **Lag**: cron every 15 minutes running ``crawl --due`` while articles appear, on a clock
   scaled 1 s = ``SCALE`` s (feed interval, cron period and the gaps between articles are
   divided by it; the crawl's own run time is not, so the figure is conservative), with and
   without a job that holds the folder's lock in bursts (the short locked merge step of a
   staged backfill; simulated by a process taking the writer lock, as the staging area is not
   merged yet). Lag = from the article appearing in the feed to its row being published.
3. **Memory**: peak RSS of an incremental crawl over a ledger that knows 10,000 and then
   1,000,000 URLs of the source (bulk-inserted: urls, versions, articles).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from tests.fixtureweb.process import REPO, FixtureWebProcess, set_args
from tests.fixtureweb.server import SITES_DIR

HOST = "baohatinh.vn"
TEMPLATE_PAGES = (
    "nong-dan-ha-tinh-thu-hoach-cam-bu-som-post300101.html",
    "khoi-cong-tuyen-duong-ven-bien-xuan-hoi-post300105.html",
    "hoi-cho-nong-san-an-toan-2025-post300108.html",
    "ky-uc-nga-ba-dong-loc-post300111.html",
)
FAST = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "BAOTINH_RETRY_AFTER_MAX": "1",
    "BAOTINH_PUBLISH_INTERVAL": "4",
}
CHUNK = 50  # URLs per child sitemap
FEED_ITEMS = 20
LISTING_ITEMS = 20
SCALE = 30  # the lag scenario's clock: 1 real second = SCALE seconds
BAOTINH = [sys.executable, "-m", "baotinh.cli"]
MiB = 1024


@dataclass
class Article:
    n: int
    at: datetime  # publication time (the site's clock)
    edits: int = 0
    modified: datetime | None = None  # the last edit (the site's clock)

    @property
    def path(self) -> str:
        return f"bai-viet-thu-{self.n}-post{900000 + self.n}.html"

    @property
    def url(self) -> str:
        return f"https://{HOST}/{self.path}"

    @property
    def lastmod(self) -> datetime:
        return self.modified or self.at


@dataclass
class BenchSite:
    """The site's state; ``write`` renders it, rewriting only files whose bytes changed."""

    root: Path
    articles: list[Article] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.templates = [(SITES_DIR / HOST / n).read_text("utf-8") for n in TEMPLATE_PAGES]
        (self.root / HOST).mkdir(parents=True, exist_ok=True)

    def publish(self, count: int, at: datetime) -> list[Article]:
        new = []
        for _ in range(count):
            article = Article(len(self.articles), at)
            self.articles.append(article)
            new.append(article)
        return new

    def edit(self, article: Article, at: datetime) -> None:
        article.edits += 1
        article.modified = at

    def _page(self, a: Article) -> str:
        template_name = TEMPLATE_PAGES[a.n % len(TEMPLATE_PAGES)]
        html = self.templates[a.n % len(TEMPLATE_PAGES)].replace(template_name, a.path)
        suffix = f" số {a.n}" + (f" (sửa lần {a.edits})" if a.edits else "")
        return html.replace("</h1>", f"{suffix}</h1>", 1)

    def _feed(self, newest: list[Article]) -> str:
        items = "".join(
            f"<item><title>Bài {a.n}</title><link>{a.url}</link><guid>{a.url}</guid>"
            f"<pubDate>{format_datetime(a.at)}</pubDate></item>"
            for a in newest
        )
        head = f"<title>Báo Hà Tĩnh</title><link>https://{HOST}/</link>"
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{head}{items}</channel></rss>'

    def _listing(self, links: list[Article], next_url: str | None) -> str:
        body = "".join(
            f'<article class="story"><h2 class="story__heading"><a class="cms-link" '
            f'href="{a.url}">Bài {a.n}</a></h2></article>'
            for a in links
        )
        more = f'<a href="{next_url}">Trang sau</a>' if next_url else ""
        nav = "<nav><a href='/'>Trang chủ</a></nav>"
        return f"<!doctype html><html><body>{nav}{body}{more}</body></html>"

    def files(self) -> dict[str, str]:
        newest = sorted(self.articles, key=lambda a: a.at, reverse=True)
        out = {"robots.txt": f"User-agent: *\nSitemap: https://{HOST}/sitemap.xml\n"}
        for a in self.articles:
            out[a.path] = self._page(a)
        out["rss"] = self._feed(newest[:FEED_ITEMS])
        out["feed"] = self._feed(newest[:FEED_ITEMS])
        chunks = [self.articles[i : i + CHUNK] for i in range(0, len(self.articles), CHUNK)]
        children = []
        for k, chunk in enumerate(chunks):
            entries = "".join(
                f"<url><loc>{a.url}</loc><lastmod>{a.lastmod.isoformat()}</lastmod></url>"
                for a in chunk
            )
            out[f"sitemaps/part-{k}.xml"] = (
                '<?xml version="1.0" encoding="UTF-8"?><urlset '
                f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
            )
            newest_in = max(a.lastmod for a in chunk).isoformat()
            children.append(f"<sitemap><loc>https://{HOST}/sitemaps/part-{k}.xml</loc>"
                            f"<lastmod>{newest_in}</lastmod></sitemap>")  # fmt: skip
        out["sitemap.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{"".join(children)}</sitemapindex>'
        )
        out["index.html"] = self._listing(newest[:LISTING_ITEMS], None)
        out["ve-ha-tinh/index.html"] = self._listing(
            newest[:LISTING_ITEMS], f"https://{HOST}/ve-ha-tinh/?page=2"
        )
        out["ve-ha-tinh/index@page=2.html"] = self._listing(
            newest[LISTING_ITEMS : 2 * LISTING_ITEMS], None
        )
        return out

    def write(self) -> set[str]:
        """Render; the URLs of the files that changed (their mtime moves on)."""
        stamp = time.time() + 1
        changed = set()
        for rel, text in self.files().items():
            path = self.root / HOST / rel
            data = text.encode("utf-8")
            if path.is_file() and path.read_bytes() == data:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            os.utime(path, (stamp, stamp))
            url_path = rel.replace("index@page=2.html", "?page=2").replace("index.html", "")
            changed.add(f"https://{HOST}/{url_path}")
        return changed


def _crawl(web: FixtureWebProcess, out: Path, *extra: str, settings: dict[str, str] | None = None
           ) -> tuple[int, dict]:  # fmt: skip
    report = out.parent / f".{out.name}-{time.monotonic_ns()}.json"
    env = {**os.environ, **web.proxy_env(), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [*BAOTINH, "crawl", "--source", "baohatinh", "--out", str(out), "--report", str(report),
         *set_args({**FAST, **(settings or {})}), *extra],
        env=env, capture_output=True, text=True, timeout=600, cwd="/",
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"crawl failed ({done.returncode}): {done.stderr[-2000:]}")
    if not report.exists():  # a busy folder under --due: no report
        return done.returncode, {}
    data = json.loads(report.read_text())
    report.unlink()
    return done.returncode, data


def _is_article(url: str) -> bool:
    return url.endswith(".html") and "-post" in url


def steady_state(work: Path, base: int, new: int, rounds: int) -> dict[str, float]:
    site = BenchSite(work / "sites")
    start = datetime(2025, 12, 1, tzinfo=UTC)
    site.publish(base, start)
    site.write()
    out = work / "steady"
    totals = {"article_200": 0, "expected_articles": 0, "discovery_200": 0, "changed_docs": 0,
              "unchanged_polls": 0, "unchanged_304": 0, "all_200": 0, "robots_200": 0,
              "stored": 0, "unchanged_200": 0}  # fmt: skip
    with FixtureWebProcess(sites=site.root) as web:
        _crawl(web, out)
        for r in range(1, rounds + 1):
            at = start + timedelta(days=r)
            fresh = site.publish(new, at)
            edited = random.Random(r).choice(site.articles[: base // 2])
            site.edit(edited, at + timedelta(hours=1))
            changed = site.write()
            web.reset()
            _, report = _crawl(web, out)
            answers = web.responses()
            article_urls = {a.url for a in fresh} | {edited.url}
            docs_changed = {
                u for u in changed if u not in article_urls and not u.endswith("robots.txt")
            }
            for url, by in answers.items():
                ok = by.get("200", 0)
                totals["all_200"] += ok
                if url.endswith("/robots.txt"):
                    totals["robots_200"] += ok
                elif _is_article(url):
                    totals["article_200"] += ok
                else:
                    totals["discovery_200"] += ok
                    if url not in changed:
                        totals["unchanged_200"] += ok
                _count_unchanged_polls(totals, url, by, changed)
            totals["expected_articles"] += len(article_urls)
            totals["changed_docs"] += len(docs_changed)
            totals["stored"] += report["total"]["stored"]
            print(f"  round {r}: stored {report['total']['stored']} of {len(article_urls)} new "
                  f"or edited; 200s {report['total']['responses'].get('200', 0)}, "
                  f"304s {report['total']['responses'].get('304', 0)}", flush=True)  # fmt: skip
        web.reset()
        _, last = _crawl(web, out)
        answers = web.responses()
        quiet_downloads = sum(by.get("200", 0) for u, by in answers.items()
                              if not u.endswith("/robots.txt"))  # fmt: skip
        for url, by in answers.items():
            _count_unchanged_polls(totals, url, by, set())
    totals["unchanged_web_downloads"] = quiet_downloads
    totals["unchanged_web_stored"] = last["total"]["stored"]
    return totals


def _count_unchanged_polls(totals: dict, url: str, by: dict[str, int], changed: set[str]) -> None:
    """Polls of feeds and sitemaps that had not changed since the last run, and their 304s."""
    if url not in changed and ("sitemap" in url or url.endswith(("/rss", "/feed"))):
        totals["unchanged_polls"] += sum(by.values())
        totals["unchanged_304"] += by.get("304", 0)


def _published_at(out: Path) -> dict[str, datetime]:
    with sqlite3.connect(out / "state.sqlite") as db:
        rows = db.execute(
            "SELECT url, min(published_at) FROM versions WHERE version = 1 GROUP BY url"
        )
        return {url: datetime.fromisoformat(at) for url, at in rows}


def _lock_holder(out: Path, hold: float, every: float) -> subprocess.Popen:
    code = (
        "import sys, time\n"
        "from baotinh.dataset.ledger import WriterLock, LockedError\n"
        f"hold, every = {hold}, {every}\n"
        "while True:\n"
        "    try:\n"
        f"        with WriterLock({str(out)!r}):\n"
        "            time.sleep(hold)\n"
        "    except LockedError:\n"
        "        pass\n"
        "    time.sleep(every - hold)\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(REPO)}
    )


def lag(
    work: Path, sim_hours: float, long_job: bool, seed: int
) -> tuple[list[float], int, int, int, tuple[int, int]]:
    """Simulated minutes from appearance to publication, runs, busy runs, and the
    200-responses of the simulation (robots.txt apart)."""
    rng = random.Random(seed)
    site = BenchSite(work / f"lag-sites-{int(long_job)}")
    site.publish(60, datetime(2025, 12, 1, tzinfo=UTC))
    site.write()
    out = work / f"lag-{int(long_job)}"
    cadence = {
        "BAOTINH_FEED_INTERVAL": str(3600 / SCALE),
        "BAOTINH_FULL_INTERVAL": str(86400 / SCALE),
        "BAOTINH_RECHECK_INTERVAL": str(6 * 3600 / SCALE),
    }
    appeared: dict[str, float] = {}
    runs = busy = 0
    feed_changes = 0  # changes of the feeds and sitemaps (each needs at most one 200)
    with FixtureWebProcess(sites=site.root) as web:
        _crawl(web, out, settings=cadence)
        web.reset()
        holder = _lock_holder(out, hold=5.0, every=20.0) if long_job else None
        try:
            begin = time.monotonic()
            end = begin + sim_hours * 3600 / SCALE
            next_article = begin + rng.expovariate(1 / (3600 / SCALE / 3))  # ~3 an hour
            next_cron = begin
            while time.monotonic() < end:
                now = time.monotonic()
                if now >= next_article:
                    for a in site.publish(1, datetime.now(UTC)):
                        changed = site.write()
                        appeared[a.url] = time.time()
                        feed_changes += sum(1 for u in changed if _is_feed_or_sitemap(u))
                    next_article = now + rng.expovariate(1 / (3600 / SCALE / 3))
                if now >= next_cron:
                    next_cron += 15 * 60 / SCALE
                    _, report = _crawl(web, out, "--due", settings=cadence)
                    runs += 1
                    busy += not report
                    continue
                time.sleep(0.2)
            # Articles still waiting are measured by the runs that follow.
            for _ in range(8):
                if all(u in _published_at(out) for u in appeared):
                    break
                time.sleep(max(0.0, next_cron - time.monotonic()))
                next_cron += 15 * 60 / SCALE
                _, report = _crawl(web, out, "--due", settings=cadence)
                runs += 1
                busy += not report
        finally:
            if holder is not None:
                os.kill(holder.pid, signal.SIGTERM)
                holder.wait()
        answers = web.responses()
        downloads = sum(by.get("200", 0) for u, by in answers.items()
                        if not u.endswith("/robots.txt"))  # fmt: skip
        polls = Counter[str]()
        for url, by in answers.items():
            if _is_feed_or_sitemap(url):
                polls.update(by)
    published = _published_at(out)
    lags = [
        (published[u].timestamp() - t) * SCALE / 60 for u, t in appeared.items() if u in published
    ]
    missing = len(appeared) - len(lags)
    if missing:
        print(f"  warning: {missing} articles were not published by the end", flush=True)
    # Polls of a feed or sitemap beyond its changes found it unchanged; their 304 share:
    unchanged = sum(polls.values()) - min(polls["200"], feed_changes)
    not_modified = polls["304"]
    return lags, runs, busy, downloads, (not_modified, unchanged)


def _is_feed_or_sitemap(url: str) -> bool:
    return "sitemap" in url or url.endswith(("/rss", "/feed"))


def _bulk_ledger(out: Path, known: int) -> None:
    """``known`` archived URLs of baohatinh, first seen a year ago: rows in urls, versions and
    articles, inserted in one transaction."""
    old = (datetime.now(UTC) - timedelta(days=365)).isoformat(timespec="microseconds")
    with sqlite3.connect(out / "state.sqlite") as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executemany(
            "INSERT INTO urls (url, source_id, status, article_id, content_sha256, first_seen_at,"
            " last_seen_at, fetched_at, lastmod)"
            " VALUES (?, 'baohatinh', 'stored', ?, ?, ?, ?, ?, ?)",
            ((f"https://{HOST}/cu-{n}-post{2_000_000 + n}.html", f"a{n:031d}", f"{n:064x}",
              old, old, old, old) for n in range(known)),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO versions (article_id, version, content_sha256, url, file, published_at,"
            " captured_at) VALUES (?, 1, ?, ?, 'articles/old.parquet', ?, ?)",
            ((f"a{n:031d}", f"{n:064x}", f"https://{HOST}/cu-{n}-post{2_000_000 + n}.html", old,
              old) for n in range(known)),
        )  # fmt: skip
        db.executemany(
            "INSERT INTO articles (article_id, latest_version, content_sha256, first_seen_at)"
            " VALUES (?, 1, ?, ?)",
            ((f"a{n:031d}", f"{n:064x}", old) for n in range(known)),
        )


def memory(work: Path, sizes: tuple[int, ...]) -> dict[int, tuple[float, float]]:
    """Peak RSS (MiB) and seconds of an incremental crawl over ``n`` known URLs."""
    site = BenchSite(work / "mem-sites")
    site.publish(300, datetime(2025, 12, 1, tzinfo=UTC))
    site.write()
    base = work / "mem-base"
    result = {}
    with FixtureWebProcess(sites=site.root) as web:
        _crawl(web, base)
        site.publish(30, datetime(2025, 12, 2, tzinfo=UTC))
        site.edit(site.articles[3], datetime(2025, 12, 2, 1, tzinfo=UTC))
        site.write()
        for known in sizes:
            out = work / f"mem-{known}"
            shutil.copytree(base, out)
            began = time.monotonic()
            _bulk_ledger(out, known)
            built = time.monotonic() - began
            ledger_bytes = sum(f.stat().st_size for f in out.glob("state.sqlite*"))
            print(f"  {known:>9,} known URLs: ledger {ledger_bytes / 2**20:.0f} MiB, "
                  f"{ledger_bytes / known:.0f} bytes per URL (urls, versions, articles, indexes)",
                  flush=True)  # fmt: skip
            _, report = _crawl(web, out)
            seconds = (datetime.fromisoformat(report["finished_at"])
                       - datetime.fromisoformat(report["started_at"])).total_seconds()  # fmt: skip
            result[known] = (report["max_rss_kib"] / MiB, seconds)
            print(f"  {known:>9,} known URLs: ledger built in {built:.0f} s, "
                  f"crawl {seconds:.1f} s, "
                  f"stored {report['total']['stored']}, peak RSS {result[known][0]:.0f} MiB",
                  flush=True)  # fmt: skip
            shutil.rmtree(out)
    return result


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(
        prog="make bench (incremental)", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--base", type=int, default=300, help="articles before the first run")
    parser.add_argument("--new", type=int, default=10, help="new articles per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--lag-hours", type=float, default=3.0, help="simulated hours per lag run")
    parser.add_argument("--known", default="10000,1000000", help="ledger sizes for the RSS runs")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="baotinh-bench-incremental-"))
    try:
        print("incremental: steady state", flush=True)
        t = steady_state(work, args.base, args.new, args.rounds)
        print("incremental: lag (cron every 15 min, crawl --due)", flush=True)
        quiet = lag(work, args.lag_hours, long_job=False, seed=1)
        loaded = lag(work, args.lag_hours, long_job=True, seed=2)
        print("incremental: memory", flush=True)
        sizes = tuple(int(s) for s in args.known.split(","))
        rss = memory(work, sizes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    articles = t["expected_articles"]
    print(f"\nincremental scenario: {args.base} articles, {args.rounds} rounds of {args.new} new "
          "+ 1 edited, every document polled (conditionally) each round")  # fmt: skip
    print(f"  article 200-responses:         {t['article_200']:>5} for {articles} new or edited "
          "(target: equal)")  # fmt: skip
    print(f"  discovery 200-responses:       {t['discovery_200']:>5} for {t['changed_docs']} "
          f"documents that changed (target <= +5 %: {t['changed_docs'] * 1.05:.1f}); "
          f"{t['unchanged_200']} of them unchanged")  # fmt: skip
    share = t["unchanged_304"] / t["unchanged_polls"] if t["unchanged_polls"] else 0.0
    print(f"  304 share, unchanged polls:    {share:>6.0%} of {t['unchanged_polls']} polls of "
          "unchanged feeds and sitemaps (target >= 90 %)")  # fmt: skip
    print(f"  200-responses per new article: {(t['all_200'] - t['robots_200']) / articles:>6.2f} "
          f"robots.txt apart, {t['all_200'] / articles:.2f} with it (goal <= 1.2)")  # fmt: skip
    print(f"  run on the unchanged web:      {t['unchanged_web_downloads']:>5} downloads, "
          f"{t['unchanged_web_stored']} stored (target 0)")  # fmt: skip
    print(f"cron every 15 min, `crawl --due` (feeds hourly, the rest daily), {args.lag_hours:g} "
          f"simulated hours, clock x{SCALE}, about 3 new articles an hour")  # fmt: skip
    for name, (lags, runs, busy, downloads, (hits, polls)) in (
        ("alone", quiet),
        ("beside a locking job", loaded),
    ):
        median = statistics.median(lags) if lags else float("nan")
        per = downloads / len(lags) if lags else float("nan")
        print(f"  median lag, {name + ':':<21} {median:>4.0f} min over {len(lags)} articles "
              f"(target <= 60); {runs} runs, {busy} busy; {per:.2f} 200-responses per new "
              f"article, robots.txt apart; 304 share of unchanged feed and sitemap polls "
              f"{hits / polls if polls else 0:.0%} of {polls} (target >= 90 %)")  # fmt: skip
    small, large = min(rss), max(rss)
    print("incremental crawl (30 new, 1 edited) over a ledger of known URLs")
    print(f"  peak RSS at {small:>9,} known URLs: {rss[small][0]:>5.0f} MiB")
    print(f"  peak RSS at {large:>9,} known URLs: {rss[large][0]:>5.0f} MiB (target <= "
          f"{rss[small][0] + 64:.0f} MiB, +64 MiB)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
