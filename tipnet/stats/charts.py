"""Charts drawn on the server as SVG with matplotlib: the funnel, bars by country, trend lines.

Each chart is drawn from controlled cells only (a hidden cell is drawn as a gap and named in the
caption) and always shown beside its table, which is what screen readers read. Labels come in
the user's language; fonts are DejaVu, which has Cyrillic and Uzbek Latin letters.
"""

import io
from functools import cache

from .control import TOTAL, Controlled

COLOUR = "#1f4e79"


@cache
def _pyplot():
    """matplotlib's pyplot, set up on first use: importing it takes a second of CPU, which every
    `tipnet` command and worker would otherwise pay at start-up, chart or no chart."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.family"] = "DejaVu Sans"
    # Text stays text: searchable, and selectable when printed.
    plt.rcParams["svg.fonttype"] = "none"
    return plt


def _out(fig, fmt: str):
    """The figure as SVG text, or as PNG bytes for Word (which python-docx cannot give SVG)."""
    plt = _pyplot()
    if fmt == "png":
        data = io.BytesIO()
        fig.savefig(data, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        return data.getvalue()
    out = io.StringIO()
    fig.savefig(out, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = out.getvalue()
    return text[text.index("<svg") :]


def funnel(table: Controlled, title: str, fmt: str = "svg"):
    labels = [label for code, label in table.rows if code != TOTAL]
    values = [row[0].value for row in table.cells[: len(labels)]]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    shown = [v or 0 for v in values]
    bars = ax.barh(range(len(labels)), shown, color=COLOUR)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    for bar, v in zip(bars, values, strict=True):
        text = "<5" if v is None else str(v)
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {text}", va="center")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _out(fig, fmt)


def bars(table: Controlled, title: str, column: str = TOTAL, keep: int = 12, fmt: str = "svg"):
    col = [code for code, _l in table.cols].index(column)
    pairs = [
        (label, table.cells[i][col].value)
        for i, (code, label) in enumerate(table.rows)
        if code != TOTAL
    ][:keep]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 0.35 * max(len(pairs), 3) + 1))
    ax.barh(range(len(pairs)), [v or 0 for _l, v in pairs], color=COLOUR)
    ax.set_yticks(range(len(pairs)), [label for label, _v in pairs])
    ax.invert_yaxis()
    for i, (_l, v) in enumerate(pairs):
        ax.text(v or 0, i, " <5" if v is None else f" {v}", va="center")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _out(fig, fmt)


def trend(table: Controlled, title: str, fmt: str = "svg"):
    months = [label for code, label in table.rows if code != TOTAL]
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6.5, 2.8))
    for j, (code, label) in enumerate(table.cols):
        if code == TOTAL:
            continue
        ys = [table.cells[i][j].value for i in range(len(months))]
        ax.plot(
            range(len(months)),
            [float("nan") if y is None else y for y in ys],
            marker="o",
            label=label,
        )
    ax.set_xticks(range(len(months)), months, rotation=45, ha="right")
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _out(fig, fmt)
