"""The corpus engine: passages, analysis, BM25 index, search (no Discord here, ever)."""

from bot.engine.codebook import Codebook, Theme, UnknownTheme
from bot.engine.engine import Engine
from bot.engine.errors import (
    AmbiguousDocument,
    CorpusError,
    EngineError,
    UnknownDocument,
    UnknownPassage,
)
from bot.engine.model import Document, Hit, Passage, PassageContext, SearchResult, Snippet, Source
from bot.engine.summary import Summary, SummarySentence
from bot.engine.themes import ThemeOverview, ThemeResult
from bot.engine.workspace import Workspace

__all__ = [
    "AmbiguousDocument",
    "Codebook",
    "CorpusError",
    "Document",
    "Engine",
    "EngineError",
    "Hit",
    "Passage",
    "PassageContext",
    "SearchResult",
    "Snippet",
    "Source",
    "Summary",
    "SummarySentence",
    "Theme",
    "ThemeOverview",
    "ThemeResult",
    "UnknownDocument",
    "UnknownPassage",
    "UnknownTheme",
    "Workspace",
]
