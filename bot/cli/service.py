"""`run`, `sync`, `console`: the bot itself, its slash commands, and the Discord-free console."""

from __future__ import annotations

import argparse
import sys

from bot.cli.context import Context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("run", help="start the Discord bot (token from $DISCORD_TOKEN)").set_defaults(
        handler=run
    )
    p = sub.add_parser("sync", help="sync slash commands to the configured guilds")
    p.add_argument("--global", dest="global_sync", action="store_true", help="sync globally")
    p.set_defaults(handler=sync)
    p = sub.add_parser("console", help="try the bot's commands in a terminal, no Discord needed")
    p.set_defaults(handler=console)


def run(ctx: Context) -> int:
    from bot.client import run_bot  # discord.py loads only for the commands that use it

    return run_bot(ctx.settings, settings_loader=ctx.reload_settings)


def sync(ctx: Context) -> int:
    from bot.client import sync_commands

    return sync_commands(ctx.settings, global_sync=ctx.args.global_sync)


def console(ctx: Context) -> int:
    from bot.console import run_console

    verbose = bool(getattr(ctx.args, "verbose", False))
    return run_console(ctx.settings, stdin=sys.stdin, stdout=ctx.out, verbose=verbose)
