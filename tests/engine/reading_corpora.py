"""Made-up corpora for the summary, theme and related-passage tests, and the seed ids they name.

A plain module the test modules import from (not a conftest: nothing here is a fixture).
"""

from __future__ import annotations

from pathlib import Path

from bot.engine import Summary, ThemeResult, Workspace
from bot.engine.summary import summarize
from bot.engine.themes import theme_result
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


def make_workspace(
    folder: Path,
    files: dict[str, str],
    themes: str | None = None,
    max_chars: int = 1500,
) -> Workspace:
    """A workspace over `files` written to `folder/corpus`, with `themes` as its codebook."""
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
    return Workspace.load(settings, folder=corpus)


def summary_of(ws: Workspace, document: str, focus: str | None = None) -> Summary:
    """What `/summary document focus` summarises: the named document, the codebook's themes."""
    return summarize(ws.engine, ws.engine.find_document(document), focus, codebook=ws.codebook)


def theme_of(ws: Workspace, name: str, top: int = 10) -> ThemeResult:
    """What `/theme name` ranks."""
    return theme_result(ws.themes(), name, top)
