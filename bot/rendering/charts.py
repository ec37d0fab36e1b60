"""Charts as PNG bytes: bars, a line over dates, a heatmap — plain numbers in, a picture out.

Why here and fed plain data: a chart is a rendering of an answer, like an embed; it never sees the
engine, so it is tested with a few numbers and no corpus. matplotlib draws on its Agg canvas (no
display, no pyplot state), one figure at a time under a lock, because its text layout is not
documented as thread-safe and the bot renders in several engine threads.

Made to be read where it is shown: Discord previews an embed's image about 400 pixels wide, so the
picture is 800 × 450 (16:9) with fonts large enough to survive halving, at most `MAX_BARS` bars,
and short labels. Colours are Okabe & Ito's palette and the "cividis" map, both readable with the
common colour-vision deficiencies. Every chart has a title and axis labels. matplotlib is imported
on first use, so the bot and the command line start without paying for it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

log = logging.getLogger(__name__)

WIDTH_PX, HEIGHT_PX, DPI = 800, 450, 100
MAX_BYTES = 1_000_000  # Discord takes far more; a chart this size never needs it
MAX_BARS = 15
MAX_LABEL_CHARS = 22
MAX_WRITTEN_CELLS = 80  # a heatmap writes its counts in the cells up to this many (each is text)
# Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour-vision type.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
HEATMAP_COLOURS = "cividis"  # perceptually uniform and colour-vision-deficiency safe
FONT = {"title": 18, "label": 15, "tick": 13, "note": 12, "cell": 12}
_LOCK = threading.Lock()


def short(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    """A label that fits an axis: whitespace collapsed, cut with an ellipsis."""
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    note: str | None = None,
) -> bytes:
    """Horizontal bars, first label on top, each bar with its value written at its end."""
    labels, values = list(labels)[:MAX_BARS], [float(v) for v in list(values)[:MAX_BARS]]

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        _margins(fig, left=_label_room([short(x) for x in labels]), note=note)
        positions = list(range(len(values)))
        ax.barh(positions, values, color=OKABE_ITO[0], height=0.7)
        ax.set_yticks(positions, [short(x) for x in labels], fontsize=FONT["tick"])
        ax.invert_yaxis()
        top = max(values, default=0.0) or 1.0
        ax.set_xlim(0, top * 1.18)
        for y, v in zip(positions, values, strict=True):
            ax.text(v + top * 0.01, y, _number(v), va="center", fontsize=FONT["note"])
        _frame(ax, title, xlabel, ylabel)
        ax.grid(axis="x", alpha=0.3)
        _note(fig, note)

    return _render(draw)


def line_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    note: str | None = None,
) -> bytes:
    """Values over dates: on a time axis when every label is a date (YYYY, YYYY-MM, YYYY-MM-DD),
    otherwise in the given order."""
    values = [float(v) for v in values]
    dates = _as_dates(labels)

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        _margins(fig, left=0.11, bottom=0.2, note=note)
        xs: list[Any] = list(dates) if dates is not None else list(range(len(values)))
        ax.plot(xs, values, color=OKABE_ITO[0], marker="o", markersize=7, linewidth=2.5)
        if dates is None:
            step = max(1, len(labels) // 10)
            ax.set_xticks(xs[::step], [short(x, 12) for x in labels][::step])
        else:
            fig.autofmt_xdate(bottom=0.3 if note else 0.24)  # slanted dates, room kept below
        ax.tick_params(labelsize=FONT["tick"])
        ax.set_ylim(bottom=0, top=(max(values, default=0.0) or 1.0) * 1.15)
        _frame(ax, title, xlabel, ylabel)
        ax.grid(alpha=0.3)
        _note(fig, note)

    return _render(draw)


def heatmap(
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    shares: Sequence[Sequence[float]],
    counts: Sequence[Sequence[int]],
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    colour_label: str,
    note: str | None = None,
) -> bytes:
    """Rows × columns coloured by share (0–1), the counts written in up to `MAX_WRITTEN_CELLS`."""
    rows, columns = len(row_labels), len(column_labels)

    def draw(fig: Figure) -> None:
        ax = fig.add_subplot()
        _margins(
            fig, left=_label_room([short(x) for x in row_labels], tick=FONT["tick"] - 1), note=note
        )
        data = [[float(v) for v in row] for row in shares] or [[0.0]]
        top = max((max(row, default=0.0) for row in data), default=0.0) or 1.0
        image = ax.imshow(data, cmap=HEATMAP_COLOURS, vmin=0.0, vmax=top, aspect="auto")
        crowded = columns > 8
        ax.set_xticks(
            range(columns),
            [short(x, 10) for x in column_labels],
            fontsize=FONT["tick"] - (3 if crowded else 0),
            rotation=90 if crowded else 0,
        )
        ax.set_yticks(range(rows), [short(x) for x in row_labels], fontsize=FONT["tick"] - 1)
        if rows * columns <= MAX_WRITTEN_CELLS:
            cmap = image.get_cmap()
            for r in range(rows):
                for c in range(columns):
                    n = counts[r][c]
                    if not n:
                        continue
                    red, green, blue, _ = cmap(data[r][c] / top)
                    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                    ax.text(
                        c,
                        r,
                        str(n),
                        ha="center",
                        va="center",
                        fontsize=FONT["cell"],
                        color="white" if dark else "black",
                    )
        bar = fig.colorbar(image, ax=ax, format=_percent_formatter())
        bar.set_label(colour_label, fontsize=FONT["note"])
        bar.ax.tick_params(labelsize=FONT["note"])
        _frame(ax, title, xlabel, ylabel)
        _note(fig, note)

    return _render(draw)


# -- shared --------------------------------------------------------------------------------------


def _render(draw: Any) -> bytes:
    """Draw a fresh figure and return it as PNG bytes of exactly WIDTH_PX × HEIGHT_PX."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _LOCK:
        # Margins are set by hand (`_margins`): a layout engine draws the figure twice more.
        fig = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
        FigureCanvasAgg(fig)
        draw(fig)
        out = io.BytesIO()
        # No "Software" metadata: the same data gives the same bytes across matplotlib versions.
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    data = out.getvalue()
    if len(data) > MAX_BYTES:  # cannot happen at this size; say so loudly if it ever does
        log.warning("a chart of %d bytes is over the %d byte budget", len(data), MAX_BYTES)
    return data


def _frame(ax: Any, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(short(title, 60), fontsize=FONT["title"], loc="left")
    ax.set_xlabel(xlabel, fontsize=FONT["label"])
    ax.set_ylabel(ylabel, fontsize=FONT["label"])
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _note(fig: Any, note: str | None) -> None:
    if note:
        fig.text(0.01, 0.015, short(note, 110), fontsize=FONT["note"], color="#444444")


def _margins(fig: Any, *, left: float, bottom: float = 0.16, note: str | None = None) -> None:
    """Room for the tick labels on the left, the x label below (and a note under it), the title."""
    fig.subplots_adjust(left=left, right=0.96, top=0.89, bottom=bottom + (0.06 if note else 0.0))


def _label_room(labels: Sequence[str], tick: int = FONT["tick"]) -> float:
    """The left margin (a share of the width) that fits the longest tick label and the y label."""
    longest = max((len(x) for x in labels), default=3)
    char_px = tick * DPI / 72 * 0.6  # an average character of DejaVu Sans is ~0.6 em wide
    return min(0.45, (longest * char_px + 50) / WIDTH_PX)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _percent_formatter() -> Any:
    from matplotlib.ticker import PercentFormatter

    return PercentFormatter(xmax=1.0, decimals=0)


def _as_dates(labels: Sequence[str]) -> list[dt.date] | None:
    """The labels as dates (a year is its 1 January, a month its first day), or None."""
    out = []
    for label in labels:
        text = label.strip()
        try:
            if len(text) == 4 and text.isdigit():
                out.append(dt.date(int(text), 1, 1))
            elif len(text) == 7 and text[4] == "-":
                out.append(dt.date(int(text[:4]), int(text[5:]), 1))
            else:
                out.append(dt.date.fromisoformat(text[:10]))
        except ValueError:
            return None
    return out
