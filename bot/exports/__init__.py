"""File formats for the team's work: plain functions from store records to bytes.

Every function is deterministic — the same records give the same bytes — except for the one
timestamp a format requires (`project_qdpx(exported_at=...)`), which the caller passes.
"""

from bot.exports.files import write_atomically
from bot.exports.markdown import codings_markdown, collection_markdown
from bot.exports.refi import codebook_qdc, project_qdpx, read_qdc
from bot.exports.tabular import codings_csv, collection_csv
from bot.exports.web_annotation import web_annotations

__all__ = [
    "codebook_qdc",
    "codings_csv",
    "codings_markdown",
    "collection_csv",
    "collection_markdown",
    "project_qdpx",
    "read_qdc",
    "web_annotations",
    "write_atomically",
]
