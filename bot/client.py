"""The Discord bot: built around a loaded engine, cogs registered in `setup_hook`, run from the CLI.

Why `create_bot` never connects: tests (and anyone embedding the bot) build the real bot with its
real command tree, then log in against an offline fake of Discord's HTTP API. `run_bot` and
`sync_commands` are the two entry points that use a real token, read only from `$DISCORD_TOKEN`;
the token is handed to discord.py and never formatted into a message, a log line or a repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import pkgutil
import re
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot import exts
from bot.engine import CorpusError, Engine
from bot.exts._checks import UserCooldowns
from bot.rendering.answers import load_engine
from bot.settings import TOKEN_ENV, Settings, read_token

log = logging.getLogger(__name__)

T = TypeVar("T")

# Slash commands need no privileged intent (no message content, no members list); `guilds` keeps
# the server's roles cached, which the admin-role check reads.
INTENTS = discord.Intents(guilds=True)
NO_TOKEN = (
    f"{TOKEN_ENV} is not set: copy your bot's token from the Discord Developer Portal "
    f"(Applications → your app → Bot → Reset Token), then run: export {TOKEN_ENV}=<token>"
)
ENGINE_THREAD = "engine"  # name prefix of the threads that run searches
SHUTDOWN_GRACE = 10.0  # seconds the gateway gets to close after SIGINT/SIGTERM
BAD_TOKEN = (
    f"Discord rejected the token in {TOKEN_ENV}: copy it again from the Developer Portal "
    "(Bot → Reset Token) and set the variable anew."
)
# Interaction tokens let anyone answer as the bot in that channel for 15 minutes. discord.py logs
# them at DEBUG: in the URL of every response and follow-up, and in each INTERACTION_CREATE it
# receives from the gateway (logged whole).
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


class CorpusTree(app_commands.CommandTree):
    """The command tree; every command's error reaches the user as one private sentence."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        from bot.exts._replies import report_error

        await report_error(interaction, error)


class CorpusBot(commands.Bot):
    """A slash-command-only bot holding the engine it answers from.

    `engine` is swapped whole by `/reload`; handlers read it once per answer.
    """

    def __init__(
        self,
        settings: Settings,
        engine: Engine | None,
        *,
        sync_on_start: bool = True,
        settings_loader: Callable[[], Settings] | None = None,
    ) -> None:
        options: dict[str, Any] = {}
        if settings.discord.shards is not None:
            options["shard_count"] = settings.discord.shards
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=INTENTS,
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=CorpusTree,
            **options,
        )
        self._engine = engine
        self.sync_on_start = sync_on_start
        # Re-reads the settings file for /reload; without one, /reload re-reads the corpus only.
        self.settings_loader = settings_loader
        self.reload_lock = asyncio.Lock()
        self.engine_jobs = 0  # engine calls running or queued
        self.apply_settings(settings)

    def apply_settings(self, settings: Settings) -> None:
        """Use these settings from now on (at start, and after a /reload that re-read them)."""
        old = getattr(self, "settings", None)
        self.settings = settings
        d = settings.discord
        # Kept across a reload that does not change them: a new pool would let the searches
        # queued in the old one run beside new ones (up to twice the cap), and new buckets would
        # wipe everyone's cooldown.
        if old is None or old.discord.max_concurrent_searches != d.max_concurrent_searches:
            previous = getattr(self, "engine_threads", None)
            self.engine_capacity = max(1, d.max_concurrent_searches)
            self.engine_threads = ThreadPoolExecutor(
                self.engine_capacity, thread_name_prefix=ENGINE_THREAD
            )
            if previous is not None:
                previous.shutdown(wait=False)  # what it runs or holds still finishes
        if old is None or (old.discord.cooldown_rate, old.discord.cooldown_seconds) != (
            d.cooldown_rate,
            d.cooldown_seconds,
        ):
            self.cooldowns = UserCooldowns(d.cooldown_rate, d.cooldown_seconds)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} guilds={self.settings.discord.guild_ids}>"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise CorpusError("The corpus is not loaded yet; try again in a moment.")
        return self._engine

    @engine.setter
    def engine(self, engine: Engine) -> None:
        self._engine = engine  # one assignment: readers see the old engine or the new one

    def run_engine(self, func: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run slow engine work in a worker thread, at most `max_concurrent_searches` at once.

        The bot's own pool, not `asyncio.to_thread`'s: that shared pool has min(32, CPUs + 4)
        threads (6 on two cores), so it would cap searches below the setting, and a /reload's
        build queued behind slow searches would wait for them. Submitted now (not when the
        caller first awaits), so `engine_busy` counts it at once.
        """
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self.engine_threads, functools.partial(func, *args))
        self.engine_jobs += 1
        future.add_done_callback(self._engine_job_done)
        return future

    def _engine_job_done(self, _: asyncio.Future[Any]) -> None:
        self.engine_jobs -= 1

    @property
    def engine_busy(self) -> bool:
        """Every engine thread is taken: new work will wait in the queue."""
        return self.engine_jobs >= self.engine_capacity

    async def login(self, token: str) -> None:
        hide_in_logs(token)
        await super().login(token)

    async def close(self) -> None:
        await super().close()
        self.engine_threads.shutdown(wait=False)

    async def setup_hook(self) -> None:
        from bot.exts._views import answer_stale_control

        # Clicks on controls no live view owns (after a restart, or a view that timed out).
        self.add_listener(answer_stale_control, "on_interaction")
        for name in walk_extensions():
            await self.load_extension(name)
        if self.sync_on_start and self.settings.discord.guild_ids:
            await sync_to_guilds(self, self.settings.discord.guild_ids)


class ShardedCorpusBot(CorpusBot, commands.AutoShardedBot):
    """The same bot on discord.py's auto-sharded client, for very large deployments."""


def walk_extensions() -> Iterator[str]:
    """Every cog module of `bot.exts`; modules starting with "_" are helpers, not cogs."""
    for module in pkgutil.iter_modules(exts.__path__, f"{exts.__name__}."):
        if not module.name.rsplit(".", 1)[-1].startswith("_"):
            yield module.name


async def sync_to_guilds(bot: commands.Bot, guild_ids: tuple[int, ...]) -> int:
    """Copy the global commands to each guild and sync there (instant, unlike a global sync)."""
    count = 0
    for guild_id in guild_ids:
        guild = discord.Object(guild_id)
        bot.tree.copy_global_to(guild=guild)
        synced = await bot.tree.sync(guild=guild)
        count = len(synced)
        log.info("synced %d commands to guild %s", count, guild_id)
    return count


def create_bot(
    settings: Settings | None = None,
    engine: Engine | None = None,
    *,
    sync_on_start: bool = True,
    settings_loader: Callable[[], Settings] | None = None,
) -> CorpusBot:
    """The bot with its engine (loaded now if not given); cogs load in `setup_hook` at login."""
    settings = settings or Settings()
    if engine is None:
        engine = Engine.load(settings)
    cls = ShardedCorpusBot if settings.discord.shards is not None else CorpusBot
    return cls(settings, engine, sync_on_start=sync_on_start, settings_loader=settings_loader)


def run_bot(settings: Settings, settings_loader: Callable[[], Settings] | None = None) -> int:
    """Run until SIGINT/SIGTERM; 2 without a token, 1 when the corpus or the login fails.

    `settings_loader` re-reads the settings file (with the command line's overrides) so that
    `/reload` picks up config changes too; without it, `/reload` re-reads the corpus only.
    """
    token = read_token()
    if token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    _setup_logging()
    try:
        engine, problems = load_engine(settings)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        log.warning("%s", problem)
    log.info(
        "corpus %s: %d documents, %d passages",
        engine.corpus.version,
        len(engine.corpus.documents),
        len(engine.corpus.passages),
    )
    bot = create_bot(settings, engine, settings_loader=settings_loader)
    return asyncio.run(serve(bot, token))


async def serve(bot: CorpusBot, token: str, stop: asyncio.Event | None = None) -> int:
    """Log in, connect and answer until `stop` is set (by SIGINT/SIGTERM), then close cleanly."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    try:
        async with bot:
            runner = asyncio.create_task(bot.start(token))
            stopper = asyncio.create_task(stop.wait())
            await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if stopper.done():
                log.info("shutting down")
                await bot.close()
            stopper.cancel()
            try:
                await asyncio.wait_for(runner, timeout=SHUTDOWN_GRACE)
            except TimeoutError:
                log.warning("the gateway did not close within %s s; stopped it", SHUTDOWN_GRACE)
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 1
    except discord.PrivilegedIntentsRequired:
        print("error: Discord refused an intent this bot asked for.", file=sys.stderr)
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
    return 0


def sync_commands(settings: Settings, global_sync: bool = False) -> int:
    """Register the slash commands: in the configured guilds (instant) or globally (`--global`)."""
    token = read_token()
    if token is None:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if not global_sync and not settings.discord.guild_ids:
        print(
            "No guild ids in discord.guild_ids of the settings: add your server's id there, "
            "or sync everywhere with --global (Discord may take up to an hour).",
            file=sys.stderr,
        )
        return 2
    _setup_logging()
    return asyncio.run(sync_with_token(settings, token, global_sync))


async def sync_with_token(settings: Settings, token: str, global_sync: bool) -> int:
    """Log in over HTTP only (no gateway), sync, log out; the corpus is not needed for this."""
    bot = CorpusBot(settings, engine=None, sync_on_start=False)
    try:
        async with bot:
            await bot.login(token)
            if global_sync:
                synced = await bot.tree.sync()
                print(f"Synced {len(synced)} commands globally (may take up to an hour to show).")
            else:
                count = await sync_to_guilds(bot, settings.discord.guild_ids)
                guilds = len(settings.discord.guild_ids)
                print(f"Synced {count} commands to {guilds} guild{'s' if guilds != 1 else ''}.")
    except discord.LoginFailure:
        print(BAD_TOKEN, file=sys.stderr)
        return 1
    except discord.HTTPException as exc:
        print(f"error: Discord refused the sync ({exc.status}): {exc.text}", file=sys.stderr)
        return 1
    return 0


def _setup_logging() -> None:
    """discord.py's log format on stderr, unless the program already configured logging."""
    if not logging.getLogger().handlers:
        discord.utils.setup_logging(level=logging.INFO, root=True)
