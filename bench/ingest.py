"""Ingest: pages per second of our PDF path against pypdf and pdfminer.six, on the same files.

Why these peers: pypdf (pure Python) and pdfminer.six (pure Python, with layout analysis) are
what a Python project reaches for to get text out of a PDF. "ours" is the whole PDF reader
(PDFium text and boxes, reading order, running headers removed, paragraphs, outline, labels);
"ours → passages" goes on to cleaned lines, sections and located passages, as the corpus does;
"pypdfium2 raw" is PDFium's plain page text, to show what our processing costs on top of it.

The files: a synthetic set written with fpdf2 (multi-page documents with headings, a running
header, page numbers and an outline) plus the real multi-page PDF of ../shared/fixtures.
Every extractor reads the same bytes from memory, one after the other, in one process; each
figure is the best of `--repeat` runs (the least disturbed by other work on a shared machine).

    .venv/bin/python -m bench.ingest                      # 12 documents x 12 pages + fixtures
    .venv/bin/python -m bench.ingest --docs 40 --pages 25 --repeat 5 --json
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.engine.cleaning import Cleaner
from bot.engine.corpus import build_document
from bot.engine.readers import read_document
from bot.settings import Settings

FIXTURES = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures" / "pdf"
# simple1.pdf is left out: pypdf cannot open it ("startxref not found"); PDFium and pdfminer can.
FIXTURE_FILES = ("dmca.pdf",)
WORDS = (
    "police army border patrol cartel report ministry state federal municipal training "
    "cooperation security violence trafficking checkpoint community trust agreement court "
    "judge prosecutor reform rights abuse investigation operation region city town market"
).split()

Extractor = Callable[[bytes], int]  # returns the characters of text it got, as a sanity check


def synthetic_pdfs(n_docs: int, n_pages: int, seed: int = 11) -> list[tuple[str, bytes]]:
    """`n_docs` PDFs of `n_pages` pages: headings, paragraphs, a running header, page numbers,
    and one bookmark per page."""
    from fpdf import FPDF

    rng = random.Random(seed)

    def sentence() -> str:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
        return " ".join(words).capitalize() + "."

    class Pdf(FPDF):
        running_header = ""

        def header(self) -> None:
            self.set_font("helvetica", "I", 8)
            self.cell(0, 6, self.running_header, align="C")
            self.ln(10)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("helvetica", size=8)
            self.cell(0, 6, str(self.page_no()), align="C")

    out = []
    for d in range(n_docs):
        pdf = Pdf()
        pdf.running_header = f"Synthetic Report {d} - Security Cooperation"
        pdf.set_title(f"Synthetic Report {d}")
        for p in range(n_pages):
            pdf.add_page()
            pdf.start_section(f"Section {p + 1}")
            pdf.set_font("helvetica", "B", 13)
            pdf.cell(0, 8, f"Section {p + 1}")
            pdf.ln(10)
            pdf.set_font("helvetica", size=10)
            for _ in range(5):
                pdf.multi_cell(0, 5, " ".join(sentence() for _ in range(rng.randint(3, 6))))
                pdf.ln(3)
        out.append((f"synthetic{d:03d}.pdf", bytes(pdf.output())))
    return out


def page_count(raw: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(raw)
    try:
        return len(pdf)
    finally:
        pdf.close()


def ours(raw: bytes) -> int:
    reading = read_document(raw, "x.pdf")
    return sum(len(b.text) for b in reading.blocks)


def ours_to_passages(raw: bytes) -> int:
    settings = Settings()
    reading = read_document(raw, "x.pdf")
    built = build_document(reading, "x", "x.pdf", raw, Cleaner(settings.cleaning), settings, 0)
    return sum(len(p.text) for p in built[1]) if built else 0


def pypdfium2_raw(raw: bytes) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(raw)
    chars = 0
    try:
        for page in pdf:
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return chars


def pypdf_text(raw: bytes) -> int:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(raw))
    return sum(len(page.extract_text() or "") for page in reader.pages)


def pdfminer_text(raw: bytes) -> int:
    from pdfminer.high_level import extract_text

    return len(extract_text(io.BytesIO(raw)))


EXTRACTORS: dict[str, Extractor] = {
    "ours": ours,
    "ours → passages": ours_to_passages,
    "pypdfium2 raw": pypdfium2_raw,
    "pypdf": pypdf_text,
    "pdfminer.six": pdfminer_text,
}


def run(n_docs: int, n_pages: int, repeat: int) -> dict[str, Any]:
    """Time every extractor over the same files; pages per second and the ratio to ours."""
    files = synthetic_pdfs(n_docs, n_pages)
    for name in FIXTURE_FILES:
        if (FIXTURES / name).is_file():
            files.append((name, (FIXTURES / name).read_bytes()))
    pages = sum(page_count(raw) for _, raw in files)
    results: dict[str, Any] = {}
    for name, extract in EXTRACTORS.items():
        extract(files[0][1])  # imports and first-call set-up are not what we measure
        best = float("inf")
        chars = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            chars = sum(extract(raw) for _, raw in files)
            best = min(best, time.perf_counter() - t0)
        results[name] = {"seconds": round(best, 4), "pages_per_s": round(pages / best, 1)}
        results[name]["chars"] = chars
    base = results["ours"]["pages_per_s"]
    for r in results.values():
        r["ratio_to_ours"] = round(r["pages_per_s"] / base, 3)
    return {
        "files": len(files),
        "pages": pages,
        "repeat": repeat,
        "fixtures": [n for n, _ in files if not n.startswith("synthetic")],
        "extractors": results,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=12, help="synthetic PDFs (default 12)")
    parser.add_argument("--pages", type=int, default=12, help="pages each (default 12)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per extractor; best counts")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    out = run(args.docs, args.pages, args.repeat)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    print(f"{out['files']} PDFs, {out['pages']} pages (fixtures: {', '.join(out['fixtures'])})")
    print(f"{'extractor':<18}{'pages/s':>10}{'x ours':>9}{'seconds':>10}{'chars':>10}")
    for name, r in out["extractors"].items():
        print(
            f"{name:<18}{r['pages_per_s']:>10.1f}{r['ratio_to_ours']:>9.2f}"
            f"{r['seconds']:>10.3f}{r['chars']:>10}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
