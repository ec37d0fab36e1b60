"""Charts: PNG pictures of the expected size, under the byte budget, from plain numbers."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.rendering import charts


def decode(data: bytes) -> Image.Image:
    """The picture, after checking it is a PNG within the budget."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) <= charts.MAX_BYTES
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


def test_bar_chart_is_a_png_of_the_preview_size() -> None:
    image = decode(
        charts.bar_chart(
            ["000", "001", "a very long document title that will not fit"],
            [210.1, 0.0, 16.3],
            title="“police” by document",
            xlabel="occurrences per 10,000 words",
            ylabel="document",
            note="5 documents",
        )
    )
    assert image.size == (charts.WIDTH_PX, charts.HEIGHT_PX) == (800, 450)


def test_many_bars_are_capped_and_still_fit() -> None:
    """A thousand documents do not make an unreadable or oversized picture."""
    data = charts.bar_chart(
        [f"doc{i}" for i in range(1000)], list(range(1000)), title="t", xlabel="x", ylabel="y"
    )
    assert decode(data).size == (800, 450)


def test_line_chart_over_dates_and_over_plain_labels() -> None:
    dated = charts.line_chart(
        ["2019", "2020-06", "2021-05-01"], [1.0, 2.0, 3.0], title="t", xlabel="date", ylabel="y"
    )
    plain = charts.line_chart(["spring", "autumn"], [1.0, 0.0], title="t", xlabel="x", ylabel="y")
    assert decode(dated).size == decode(plain).size == (800, 450)


def test_heatmap_with_counts_in_its_cells() -> None:
    rows = [f"theme-{i}" for i in range(12)]
    shares = [[(r * c % 7) / 10 for c in range(5)] for r in range(12)]
    counts = [[r * c % 7 for c in range(5)] for r in range(12)]
    data = charts.heatmap(
        rows,
        ["000", "001", "002", "003", "004"],
        shares,
        counts,
        title="Themes × documents",
        xlabel="document",
        ylabel="theme",
        colour_label="share",
    )
    assert decode(data).size == (800, 450)


def test_empty_data_still_draws() -> None:
    """Nothing to show is a blank chart, never an exception."""
    decode(charts.bar_chart([], [], title="t", xlabel="x", ylabel="y"))
    decode(charts.line_chart([], [], title="t", xlabel="x", ylabel="y"))
    decode(charts.heatmap([], [], [], [], title="t", xlabel="x", ylabel="y", colour_label="c"))


def test_the_palette_is_okabe_ito() -> None:
    """Bars use the first Okabe–Ito colour: (0, 114, 178) is in the picture."""
    image = decode(charts.bar_chart(["a"], [1.0], title="t", xlabel="x", ylabel="y"))
    colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=100_000)}
    assert (0x00, 0x72, 0xB2) in colours


@pytest.mark.parametrize(
    ("label", "expected"),
    [("short", "short"), ("  two\nlines ", "two lines"), ("x" * 30, "x" * 21 + "…")],
)
def test_axis_labels_are_short(label: str, expected: str) -> None:
    assert charts.short(label) == expected
