"""Secrets out of every log line: the bot's token and Discord's interaction tokens become `<token>`.

Why its own module: the client hides its token at login and the reply helpers mask routes in their
warnings; both sit above this module, which imports nothing of the bot. Interaction tokens let
anyone answer as the bot in that channel for 15 minutes, and discord.py logs them at DEBUG: in the
URL of every response and follow-up, and in each INTERACTION_CREATE it receives (logged whole).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

TOKEN_IN_URL_RE = re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/?#\s'\"]+")
TOKEN_FIELD_RE = re.compile(r"""(['"]token['"]\s*:\s*['"])[^'"]+""")
MASK = "<token>"

_hidden: set[str] = set()  # bot tokens this process logged in with


def redact(text: str) -> str:
    """`text` with the bot's token and any interaction token replaced by `<token>`."""
    for secret in _hidden:
        text = text.replace(secret, MASK)
    text = TOKEN_IN_URL_RE.sub(rf"\1{MASK}", text)
    return TOKEN_FIELD_RE.sub(rf"\1{MASK}", text)


class RedactingRecordFactory:
    """Makes log records with secrets masked, whichever logger (discord.py's, aiohttp's…) logs.

    A record factory rather than a `logging.Filter`: a filter on a logger misses records of its
    child loggers, and a filter on a handler misses handlers added later (pytest's, a log
    shipper's); every record of every logger is made here.
    """

    def __init__(self, wrapped: Callable[..., logging.LogRecord]) -> None:
        self.wrapped = wrapped

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.wrapped(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed call: logging reports it when the record is emitted
            return record
        if (masked := redact(message)) != message:
            record.msg, record.args = masked, None
        if record.exc_info and record.exc_info[1] is not None:
            text = logging.Formatter().formatException(record.exc_info)
            if (masked := redact(text)) != text:
                record.exc_text = masked  # formatters use this instead of formatting anew
        return record


def hide_in_logs(token: str) -> None:
    """Mask `token` and every interaction token in all log records from now on."""
    if token:
        _hidden.add(token)
    if not isinstance(logging.getLogRecordFactory(), RedactingRecordFactory):
        logging.setLogRecordFactory(RedactingRecordFactory(logging.getLogRecordFactory()))


def forget_hidden() -> None:
    """Stop masking: the tokens are forgotten and the original record factory is back (tests)."""
    _hidden.clear()
    factory = logging.getLogRecordFactory()
    if isinstance(factory, RedactingRecordFactory):
        logging.setLogRecordFactory(factory.wrapped)
