"""The release's pictures (matplotlib, PNG): coverage by province and month, by language, and
field coverage per source."""

from __future__ import annotations

from pathlib import Path

from baotinh.release.stats import ReleaseStats
from baotinh.schema import FIELDS

PLOTS = {
    "province_month": ("plots/articles-per-province-month.png", "Articles per province per month"),
    "language": ("plots/articles-per-language.png", "Articles per language"),
    "coverage": ("plots/field-coverage-per-source.png", "Field coverage per source"),
}
DPI = 100


def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")  # no display: files only
    import matplotlib.pyplot as plt

    return plt


def _heatmap(plt, matrix, rows, cols, title, path, fmt="{:.0f}", cmap="YlGnBu", vmax=None):  # type: ignore[no-untyped-def]
    width = min(24, max(6, 1.2 + 0.45 * len(cols)))
    height = min(30, max(3, 1.2 + 0.32 * len(rows)))
    fig, ax = plt.subplots(figsize=(width, height))
    image = ax.imshow(matrix, aspect="auto", cmap=cmap, vmin=0, vmax=vmax)
    ax.set_xticks(range(len(cols)), labels=cols, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), labels=rows, fontsize=8)
    ax.set_title(title)
    if len(rows) * len(cols) <= 400:
        for i, row in enumerate(matrix):
            for j, value in enumerate(row):
                if value:
                    ax.text(j, i, fmt.format(value), ha="center", va="center", fontsize=6)
    fig.colorbar(image, ax=ax, fraction=0.03)
    fig.tight_layout()
    fig.savefig(path, dpi=DPI)
    plt.close(fig)


def draw_plots(stats: ReleaseStats, out: Path) -> dict[str, str]:
    """Draw every plot under ``out``; returns {plot id: relative path}."""
    plt = _pyplot()
    (out / "plots").mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}

    # Articles per province per month (heatmap).
    rel, title = PLOTS["province_month"]
    provinces = sorted({r["province"] for r in stats.province_month})
    months = sorted({r["month"] for r in stats.province_month})
    matrix = [[0] * len(months) for _ in provinces]
    for r in stats.province_month:
        matrix[provinces.index(r["province"])][months.index(r["month"])] = r["rows"]
    if not provinces:
        provinces, months, matrix = ["(no dated articles)"], ["-"], [[0]]
    _heatmap(plt, matrix, provinces, months, title, out / rel)
    written["province_month"] = rel

    # Articles per language (bars, translations marked).
    rel, title = PLOTS["language"]
    languages = [r["language"] for r in stats.per_language] or ["-"]
    originals = [r["rows"] - (r["translations"] or 0) for r in stats.per_language] or [0]
    translated = [r["translations"] or 0 for r in stats.per_language] or [0]
    fig, ax = plt.subplots(figsize=(max(4, 1 + 0.8 * len(languages)), 3.5))
    ax.bar(languages, originals, label="original")
    ax.bar(languages, translated, bottom=originals, label="translation")
    for i, total in enumerate(o + t for o, t in zip(originals, translated, strict=True)):
        ax.text(i, total, str(total), ha="center", va="bottom", fontsize=8)
    ax.set_ylabel("articles (latest versions)")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / rel, dpi=DPI)
    plt.close(fig)
    written["language"] = rel

    # Field coverage per source (share of rows with a value).
    rel, title = PLOTS["coverage"]
    sources = sorted(stats.coverage) or ["-"]
    fields = [f.name for f in FIELDS]
    matrix = [[stats.coverage.get(s, {}).get(name, 0.0) for s in sources] for name in fields]
    _heatmap(
        plt,
        matrix,
        fields,
        sources,
        title + " (share of rows with a value)",
        out / rel,
        fmt="{:.2f}",
        cmap="RdYlGn",
        vmax=1.0,
    )
    written["coverage"] = rel
    return written
