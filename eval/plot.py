"""hit@k curves (k = 1..10), one line per retriever, one panel per group: hitk.png beside report.md."""

from __future__ import annotations

from pathlib import Path

from .metrics import CURVE_KS, groups_of, hit_curve

COLORS = {"bm25": "tab:orange", "dense": "tab:green", "hybrid": "tab:blue"}


def plot_panels(rows_by_retriever: dict[str, list[dict]]) -> list[str]:
    """Groups worth a panel: overall, each language, and cross-lingual / monolingual when both exist."""
    rows = next(iter(rows_by_retriever.values()))
    groups = groups_of(rows)
    panels = ["overall"]
    langs = [g for g in groups if g.startswith("lang=")]
    if len(langs) > 1:
        panels += langs
    if any(r["answerable"] for r in groups["cross-lingual"]) and any(r["answerable"] for r in groups["monolingual"]):
        panels += ["cross-lingual", "monolingual"]
    return panels


def write_hitk_plot(path: Path, title: str, rows_by_retriever: dict[str, list[dict]]) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = plot_panels(rows_by_retriever)
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.6), sharey=True, squeeze=False)
    for ax, panel in zip(axes[0], panels):
        n = 0
        for retriever, rows in rows_by_retriever.items():
            group = groups_of(rows)[panel]
            n = sum(r["answerable"] for r in group)
            curve = hit_curve(group)
            if all(v is None for v in curve):
                continue
            ax.plot(CURVE_KS, curve, marker="o", markersize=3, label=retriever, color=COLORS.get(retriever))
        ax.set_title(f"{panel} (n={n})", fontsize=10)
        ax.set_xlabel("k")
        ax.set_xticks(CURVE_KS)
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("hit@k")
    axes[0][0].legend(loc="lower right")
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
