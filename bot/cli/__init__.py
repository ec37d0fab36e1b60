"""Command line: `python -m bot` / `corpus-bot` — search, read and run the bot.

One module per command family (as the cogs are), each adding its subcommands to the parser;
`bot.cli.main` builds the parser, reads the settings and reports errors.
"""

from bot.cli.main import main

__all__ = ["main"]
