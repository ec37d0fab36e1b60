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
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
import discord
from discord.ext import commands

from bot.cooldowns import UserCooldowns
from bot.engine import CorpusError, Workspace
from bot.engine.loading import ProgressLog
from bot.redaction import hide_in_logs
from bot.rendering.team_answers import sync_workspace
from bot.settings import TOKEN_ENV, Settings, read_token, token_problem
from bot.store import ReanchorReport, Store, StoreError

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
# aiohttp's own failures and the OS's (DNS, refused, unreachable, timed out) at login or sync.
NETWORK_ERRORS = (aiohttp.ClientError, OSError, TimeoutError)
EXTENSIONS = "bot.exts"  # the package whose modules are cogs (modules named "_…" are helpers)
EXTENSIONS_DIR = Path(__file__).resolve().parent / "exts"


class CorpusBot(commands.Bot):
    """A slash-command-only bot holding the workspace (corpus, index, codebook) it answers from.

    `workspace` is swapped whole by `/reload`; handlers read it once per answer.
    """

    def __init__(
        self,
        settings: Settings,
        workspace: Workspace | None,
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
            **options,
        )
        self._workspace = workspace
        self.sync_on_start = sync_on_start
        # Re-reads the settings file for /reload; without one, /reload re-reads the corpus only.
        self.settings_loader = settings_loader
        self.reload_lock = asyncio.Lock()
        self.engine_jobs = 0  # engine calls running or queued
        # The team's database (codings, memos, saved quotes), opened in `setup_hook`; when it
        # cannot be used, `store_problem` says why (to the log once, to members who ask).
        self.store: Store | None = None
        self.store_problem: str | None = None
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
    def workspace(self) -> Workspace:
        if self._workspace is None:
            raise CorpusError("The corpus is not loaded yet; try again in a moment.")
        return self._workspace

    @workspace.setter
    def workspace(self, workspace: Workspace) -> None:
        self._workspace = workspace  # one assignment: readers see the old corpus or the new one

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
        store, self.store = self.store, None
        if store is not None:
            await asyncio.to_thread(store.close)

    async def open_store(self) -> ReanchorReport | None:
        """Open the team's database in a worker thread; an unusable one is logged, not fatal.

        Search needs no database, so a file that is read-only, locked, corrupt, foreign or from
        a newer corpus-bot leaves the bot answering searches; the store commands say why they
        cannot work. The store refuses such files before writing anything to them. Returns
        what re-anchoring the quotes to the corpus did (None when the database is unusable).
        """
        path = self.settings.store_path
        self.store_problem = None
        try:
            self.store = await asyncio.to_thread(
                Store, path, busy_timeout=self.settings.store.busy_timeout
            )
            # The codebook's themes become codes; quotes are re-anchored to the corpus as it is
            # now (its files may have changed while the bot was stopped).
            report = await asyncio.to_thread(sync_workspace, self.workspace, self.store)
        except StoreError as exc:
            if self.store is not None:
                await asyncio.to_thread(self.store.close)
                self.store = None
            self.store_problem = str(exc)
            log.warning("team database unavailable (search keeps working): %s", exc)
            return None
        log.info(
            "team database %s opened: %d quotes checked, %d need attention",
            path,
            report.checked,
            len(report.lost) + report.still_lost,
        )
        return report

    async def setup_hook(self) -> None:
        if self._workspace is not None:  # `sync` logs in without a corpus and needs no database
            await self.open_store()
        for name in walk_extensions():
            await self.load_extension(name)
        if self.sync_on_start and self.settings.discord.guild_ids:
            await sync_to_guilds(self, self.settings.discord.guild_ids)


class ShardedCorpusBot(CorpusBot, commands.AutoShardedBot):
    """The same bot on discord.py's auto-sharded client, for very large deployments."""


def walk_extensions() -> Iterator[str]:
    """Every cog module of `bot.exts`, by name; modules starting with "_" are helpers, not cogs.

    Found by listing the folder, not by importing the package: the extensions import this module,
    and this module imports none of them (discord.py loads each by name in `setup_hook`).
    """
    for module in pkgutil.iter_modules([str(EXTENSIONS_DIR)]):
        if not module.name.startswith("_"):
            yield f"{EXTENSIONS}.{module.name}"


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
    workspace: Workspace | None = None,
    *,
    sync_on_start: bool = True,
    settings_loader: Callable[[], Settings] | None = None,
) -> CorpusBot:
    """The bot with its workspace (loaded now if not given); cogs load in `setup_hook` at login."""
    settings = settings or Settings()
    if workspace is None:
        workspace = Workspace.load(settings)
    cls = ShardedCorpusBot if settings.discord.shards is not None else CorpusBot
    return cls(settings, workspace, sync_on_start=sync_on_start, settings_loader=settings_loader)


def checked_token() -> str | None:
    """The token from the environment, or None after saying (on stderr) why it cannot be used."""
    token = read_token()
    problem = NO_TOKEN if token is None else token_problem(token)
    if problem is not None:
        print(problem, file=sys.stderr)
        return None
    return token


def cannot_connect(exc: BaseException) -> str:
    """One line for a network failure at login; the reason, never a traceback or the token."""
    reason = str(exc).strip() or type(exc).__name__
    return f"Cannot connect to discord.com: {reason.splitlines()[0][:200]}"


def run_bot(settings: Settings, settings_loader: Callable[[], Settings] | None = None) -> int:
    """Run until SIGINT/SIGTERM; 2 without a usable token, 1 when the corpus or the login fails.

    `settings_loader` re-reads the settings file (with the command line's overrides) so that
    `/reload` picks up config changes too; without it, `/reload` re-reads the corpus only.
    """
    token = checked_token()
    if token is None:
        return 2
    _setup_logging()
    try:
        workspace = Workspace.load(settings, progress=ProgressLog(log))
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for problem in workspace.problems:
        log.warning("%s", problem)
    corpus = workspace.engine.corpus
    log.info(
        "corpus %s: %d documents, %d passages",
        corpus.version,
        len(corpus.documents),
        len(corpus.passages),
    )
    bot = create_bot(settings, workspace, settings_loader=settings_loader)
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
    except NETWORK_ERRORS as exc:
        print(cannot_connect(exc), file=sys.stderr)
        return 1
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
    return 0


def sync_commands(settings: Settings, global_sync: bool = False) -> int:
    """Register the slash commands: in the configured guilds (instant) or globally (`--global`)."""
    token = checked_token()
    if token is None:
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
    bot = CorpusBot(settings, workspace=None, sync_on_start=False)
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
    except NETWORK_ERRORS as exc:
        print(cannot_connect(exc), file=sys.stderr)
        return 1
    return 0


def _setup_logging() -> None:
    """discord.py's log format on stderr, unless the program already configured logging."""
    if not logging.getLogger().handlers:
        discord.utils.setup_logging(level=logging.INFO, root=True)
