"""A document as a CSL-JSON item and as a BibTeX entry; a passage as a citation locator.

Why CSL-JSON: it is the input every CSL processor (citeproc-py here, citeproc-js in Zotero,
pandoc's citeproc) reads, so one item renders in any of the thousands of official styles, and
`cite --json` hands it to a reference manager as is. BibTeX is generated directly: it is a record
format, not a style, and needs no processor.

What is missing stays missing — no author, no date — and the styles degrade as their authors
meant ("n.d.", the title in the author's place); nothing is invented.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from bot.engine.model import Document, Passage

# The CSL type of each format: a PDF is most often a report (government, NGO, working paper), a
# web page a webpage; everything else a generic document (CSL 1.0.2).
CSL_TYPES = {"pdf": "report", "html": "webpage"}
DEFAULT_CSL_TYPE = "document"
# Words that make an author an organisation, whose name is never split into given and family.
ORGANISATION_WORDS = frozenset(
    """
    academy agency association board bureau center centre commission committee council court
    department foundation government group inc institute institution league ltd ministry network
    office organisation organization party press program programme project service society staff
    team tribunal union university
    """.split()
)
MAX_PERSON_WORDS = 4  # "Ana María López Obrador"; longer is taken for an organisation
BIBTEX_SPECIAL_RE = re.compile(r"([\\{}%&$#_^~])")
BIBTEX_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
KEY_WORD_RE = re.compile(r"[a-z0-9]+")
SHORT_WORDS = frozenset(
    {"the", "and", "for", "los", "las", "del", "une", "des", "der", "die", "das"}
)


@dataclass(frozen=True, slots=True)
class Locator:
    """Where in the document a passage stands, as CSL names it: a page, a time or a paragraph."""

    label: str  # "page", "timestamp" or "paragraph" (CSL locator terms)
    value: str  # "12", "12–13", "00:12:31", "4"

    @property
    def short(self) -> str:
        """`p. 12`, `pp. 12–13`, `at 00:12:31`, `¶4`: how our source lines say it."""
        if self.label == "page":
            return f"pp. {self.value}" if "–" in self.value else f"p. {self.value}"
        if self.label == "timestamp":
            return f"at {self.value}"
        return f"¶{self.value}"

    @property
    def latex(self) -> str:
        """The optional argument of `\\cite[…]{key}`."""
        if self.label == "page":
            return ("pp.~" if "–" in self.value else "p.~") + self.value.replace("–", "--")
        if self.label == "timestamp":
            return self.value
        return f"para.~{self.value}"


def passage_locator(passage: Passage) -> Locator:
    """The page (or page range) where the document has pages, else the time of a subtitle cue,
    else the paragraph number every passage has."""
    if passage.page is not None:
        pages = passage.page
        if passage.page_end and passage.page_end != passage.page:
            pages += f"–{passage.page_end}"
        return Locator("page", pages)
    if passage.timestamp:
        return Locator("timestamp", passage.timestamp)
    return Locator("paragraph", str(passage.ordinal))


def csl_item(doc: Document) -> dict[str, Any]:
    """The document as a CSL-JSON item (id = the document id); absent fields are left out."""
    kind = CSL_TYPES.get(doc.format, DEFAULT_CSL_TYPE)
    item: dict[str, Any] = {"id": doc.doc_id, "type": kind, "title": doc.title}
    if doc.authors:
        item["author"] = [csl_name(a) for a in doc.authors]
    if doc.date:
        item["issued"] = {"date-parts": [[int(part) for part in doc.date.split("-")]]}
    if doc.site:
        item["container-title" if kind == "webpage" else "publisher"] = doc.site
    if doc.url:
        item["URL"] = doc.url
    if doc.pages:
        item["number-of-pages"] = str(doc.pages)
    if doc.language:
        item["language"] = doc.language
    return item


def csl_name(author: str) -> dict[str, str]:
    """`Smith, John` and `John Smith` → family and given; an organisation or a single word stays
    whole (`literal`), so "U.S. Copyright Office" is never "Office, U. S. C."."""
    name = " ".join(author.split())
    if "," in name:
        family, _, given = name.partition(",")
        if family.strip() and given.strip() and not _is_organisation(family):
            return {"family": family.strip(), "given": given.strip()}
        return {"literal": name}
    words = name.split(" ")
    if len(words) < 2 or len(words) > MAX_PERSON_WORDS or _is_organisation(name):
        return {"literal": name}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def _is_organisation(name: str) -> bool:
    return any(w.strip(".,&").lower() in ORGANISATION_WORDS for w in name.split())


def bibtex_key(doc: Document) -> str:
    """`lopez2021harbour`: the first author's first name word (an initial skipped: "U.S.
    Copyright Office" → "copyright"), the year, the title's first significant word, in ASCII;
    the document id when nothing usable is left."""
    first = csl_name(doc.authors[0]) if doc.authors else {}
    who = [w for w in _ascii_words(first.get("family") or first.get("literal") or "") if len(w) > 1]
    title_words = [w for w in _ascii_words(doc.title) if len(w) > 2 and w not in SHORT_WORDS]
    parts = [who[0] if who else "", (doc.date or "")[:4], title_words[0] if title_words else ""]
    key = "".join(parts)
    return key or "".join(_ascii_words(doc.doc_id)) or "document"


def bibtex_entry(doc: Document) -> str:
    """A BibTeX entry: `@techreport` for a PDF whose publisher is known, else `@misc`."""
    item = csl_item(doc)
    institution = item.get("publisher")
    kind = "techreport" if item["type"] == "report" and institution else "misc"
    fields: list[tuple[str, str]] = []
    if doc.authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in doc.authors)))
    fields.append(("title", "{" + bibtex_escape(doc.title) + "}"))  # keep the title's case
    if doc.date:
        year, *rest = doc.date.split("-")
        fields.append(("year", year))
        if rest:
            fields.append(("month", MONTHS[int(rest[0]) - 1]))
    if institution:
        fields.append(("institution", bibtex_escape(institution)))
    elif doc.site:
        fields.append(("howpublished", bibtex_escape(doc.site)))
    if doc.url:
        fields.append(("url", doc.url.replace("{", "%7B").replace("}", "%7D")))
    if doc.language:
        fields.append(("langid", doc.language))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{kind}{{{bibtex_key(doc)},\n{body}\n}}"


def _bibtex_name(author: str) -> str:
    name = csl_name(author)
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"  # an organisation: never split
    return f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}"


def bibtex_escape(text: str) -> str:
    """LaTeX's special characters escaped (`&` → `\\&`); other characters stay (UTF-8)."""
    return BIBTEX_SPECIAL_RE.sub(lambda m: BIBTEX_REPLACEMENTS.get(m[1], "\\" + m[1]), text)


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return KEY_WORD_RE.findall(folded)
