"""The metadata sidecar: `metadata.yaml` or `metadata.csv` in the corpus folder, by document id.

Why a sidecar: what a file says about itself is often missing or wrong (a PDF titled "untitled",
a web page without its author), and a researcher citing it needs it right. The sidecar completes
or overrides it without touching the files. A mistake in it is a warning that names the file, the
document and the key; the rest of the sidecar and the corpus load.

    # metadata.yaml
    003_121f44817b1ca664:
      title: US-Mexico Cooperation in Fighting Organized Crime
      authors: [Ana López, John Smith]      # or "Ana López; John Smith"
      date: 2021-03-15                      # 2021, 2021-03 or 2021-03-15
      url: https://example.org/report
      site: Example Review
      language: en

    # metadata.csv (authors separated by ";")
    id,title,authors,date,url,site,language
    003_121f44817b1ca664,US-Mexico Cooperation,Ana López; John Smith,2021-03-15,,,en
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from bot.engine.readers.base import ISO_DATE_RE, Metadata, split_authors
from bot.engine.readers.text import decode_text

SIDECAR_NAMES = ("metadata.yaml", "metadata.yml", "metadata.csv")
FIELDS = ("title", "authors", "date", "url", "site", "language")
ID_COLUMNS = ("id", "doc_id")


class SidecarValueError(ValueError):
    """One value of the sidecar that cannot be used; the message says what was expected."""


@dataclass(slots=True)
class Sidecar:
    """Metadata by document id and the warnings reading it gave (`raw` feeds the version)."""

    entries: dict[str, Metadata] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    name: str | None = None
    raw: bytes = b""


def read_sidecar(folder: Path) -> Sidecar:
    """The sidecar of a corpus folder (an empty one when there is none)."""
    present = [name for name in SIDECAR_NAMES if (folder / name).is_file()]
    if not present:
        return Sidecar()
    name = present[0]
    out = Sidecar(name=name)
    for other in present[1:]:
        out.warnings.append(f"{other}: ignored, {name} is the metadata sidecar")
    try:
        out.raw = (folder / name).read_bytes()
    except OSError as exc:
        out.warnings.append(f"{name}: cannot be read ({exc.strerror or exc}); ignored")
        return out
    text, guessed = decode_text(out.raw)
    if guessed:
        out.warnings.append(f"{name}: {guessed}")
    rows = _csv_rows(text, name, out.warnings) if name.endswith(".csv") else _yaml_rows(text, name)
    if isinstance(rows, str):
        out.warnings.append(rows)
        return out
    for where, doc_id, values in rows:
        out.entries[doc_id] = _entry(values, f"{where}{doc_id}", out.warnings)
    return out


def merge(extracted: Metadata, sidecar: Metadata | None) -> Metadata:
    """The extracted metadata with every field the sidecar sets replaced."""
    if sidecar is None:
        return extracted
    return replace(
        extracted,
        title=sidecar.title or extracted.title,
        authors=sidecar.authors or extracted.authors,
        date=sidecar.date or extracted.date,
        url=sidecar.url or extracted.url,
        site=sidecar.site or extracted.site,
        language=sidecar.language or extracted.language,
    )


Rows = list[tuple[str, str, dict[str, Any]]]


def _yaml_rows(text: str, name: str) -> Rows | str:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return f"{name}: not valid YAML ({_one_line(exc)}); ignored"
    if data is None:
        return []
    if not isinstance(data, dict):
        return f"{name}: expected a mapping of document ids to metadata, got {_show(data)}; ignored"
    rows: Rows = []
    for doc_id, values in data.items():
        if not isinstance(values, dict):
            values = {"": values}  # reported by _entry as "expected a mapping"
        rows.append((f"{name}: ", str(doc_id), values))
    return rows


def _csv_rows(text: str, name: str, warnings: list[str]) -> Rows | str:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    id_column = next((c for c in ID_COLUMNS if c in columns), None)
    if id_column is None:
        return f"{name}: no 'id' column (the first row names the columns); ignored"
    rows: Rows = []
    for row in reader:
        values = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k != id_column}
        doc_id = (row.get(id_column) or "").strip()
        line = reader.line_num
        if not doc_id:
            warnings.append(f"{name}: line {line}: no document id; row ignored")
            continue
        rows.append((f"{name}: line {line}: ", doc_id, {k: v for k, v in values.items() if v}))
    return rows


def _entry(values: dict[str, Any], where: str, warnings: list[str]) -> Metadata:
    """Validate one document's metadata; a bad key is reported and left out."""
    if "" in values and len(values) == 1:
        warnings.append(f"{where}: expected a mapping of metadata keys, got {_show(values[''])}")
        return Metadata()
    fields: dict[str, Any] = {}
    for key, value in values.items():
        if key not in FIELDS:
            warnings.append(f"{where}: unknown key '{key}' (expected one of: {', '.join(FIELDS)})")
            continue
        if value is None:
            continue
        try:
            fields[key] = _value(key, value)
        except SidecarValueError as exc:
            warnings.append(f"{where}: {key}: {exc}")
    return Metadata(**fields)


def _value(key: str, value: Any) -> Any:
    if key == "authors":
        if isinstance(value, str):
            return split_authors(value)
        if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
            return tuple(" ".join(v.split()) for v in value)
        raise SidecarValueError(f"expected a name or a list of names, got {_show(value)}")
    if key == "date":
        return _date(value)
    if (
        isinstance(value, bool)
        or not isinstance(value, str | int | float)
        or not str(value).strip()
    ):
        raise SidecarValueError(f"expected text, got {_show(value)}")
    return " ".join(str(value).split())


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if ISO_DATE_RE.match(text):
        return text
    raise SidecarValueError(f"expected a date like 2021, 2021-03 or 2021-03-15, got {_show(value)}")


def _show(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:160]
