"""corpus-bot: search and quote a fixed corpus of documents, from a terminal or from Discord."""

__version__ = "0.1.0"
