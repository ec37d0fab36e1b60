"""Helpers for the summary, theme and related-passage tests: engines over made-up corpora.

Not a conftest.py (those are shared); the test modules import from here.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine import Engine
from bot.settings import Settings, SummarySettings, ThemeSettings

# Seed passages the tests name (ids are derived from the words, so they are stable).
EXTRAJUDICIAL = "f899896a8ccd"  # 000 ¶32, "Human rights concerns": extrajudicial killings, torture
HR_CONCERNS = "0d169ce32441"  # 000 ¶31, opens the "Human rights concerns" section
US_MEXICO_HR = "c786de9a2b52"  # 003 ¶8: human rights, extrajudicial killings, abuses
CIVIL_SOCIETY_HR = "aeb93a44f330"  # 001 ¶36: civil society highlighting human rights abuses
DRUG_ABUSE = "a0b7d867a5cb"  # 002 ¶42: "community resilience against drug abuse"
DOC_000 = "000_c034f933b67255ab"
DOC_001 = "001_92383304b1d2c274"
DOC_002 = "002_8cf809adbd8e0d4a"
DOC_003 = "003_121f44817b1ca664"
DOC_004 = "004_d3ba802543a45c7e"


def make_engine(
    folder: Path,
    files: dict[str, str],
    themes: str | None = None,
    max_chars: int = 1500,
) -> Engine:
    """An engine over `files` written to `folder/corpus`, with `themes` as its codebook."""
    corpus = folder / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    if themes is not None:
        (folder / "themes.yaml").write_text(themes, encoding="utf-8")
    settings = Settings(
        base_dir=str(folder),
        summary=SummarySettings(max_chars=max_chars),
        themes=ThemeSettings(file="themes.yaml"),
    )
    return Engine.load(settings, folder=corpus)
