"""The README's layer diagram holds in the code: imports only point down, and never in a circle.

Every `import` of every module under `bot/` counts — at module level, inside functions and under
`TYPE_CHECKING` — because a lazy or type-only import that points up is still a module that cannot
be read without the one above it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BOT = ROOT / "bot"
# Lower numbers are lower layers; a module may import its own layer or any layer below.
LAYERS: tuple[tuple[str, int], ...] = (
    ("bot.settings", 0),
    ("bot.redaction", 0),
    ("bot.engine", 1),
    ("bot.store", 2),
    ("bot.exports", 2),
    ("bot.corpus_files", 2),
    ("bot.rendering", 3),
    ("bot.console", 4),
    ("bot.cooldowns", 4),
    ("bot.client", 4),
    ("bot.exts", 5),
    ("bot.cli", 6),
    ("bot.__main__", 6),
    ("bot", 0),  # the package itself: a docstring and a version
)
# Within or across layers, these may never import those (the Discord-free parts stay free of it).
FORBIDDEN = {
    "bot.engine": ("discord", "bot.client", "bot.exts"),
    "bot.store": ("discord", "bot.client", "bot.exts"),
    "bot.exports": ("discord", "bot.client", "bot.exts"),
    "bot.corpus_files": ("discord", "bot.client", "bot.exts", "bot.rendering"),
    "bot.rendering": ("discord", "bot.client", "bot.exts"),
    "bot.console": ("discord", "bot.client", "bot.exts"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(BOT.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Every module `name` imports (top level, in functions, under TYPE_CHECKING), resolved."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in MODULES else base)
    return found


def layer_of(name: str) -> tuple[str, int]:
    for prefix, rank in LAYERS:
        if name == prefix or name.startswith(prefix + "."):
            return prefix, rank
    raise AssertionError(f"{name} is in no layer: add it to LAYERS in {__file__}")


GRAPH = {name: {m for m in imports_of(name) if m in MODULES} for name in MODULES}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down(name: str) -> None:
    """A module imports only its own layer or layers below it, and nothing its layer forbids."""
    own, rank = layer_of(name)
    for target in sorted(imports_of(name)):
        for banned in FORBIDDEN.get(own, ()):
            assert not (target == banned or target.startswith(banned + ".")), (
                f"{name} imports {target}: {own} must not depend on {banned}"
            )
        if target in MODULES:
            _, target_rank = layer_of(target)
            assert target_rank <= rank, f"{name} (layer {rank}) imports {target} above it"


def test_no_import_circles() -> None:
    """No module reaches itself through its imports (TYPE_CHECKING and lazy ones included)."""
    circles = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(GRAPH[node]):
            if state.get(nxt) == 1:
                circles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(GRAPH):
        if node not in state:
            visit(node)
    assert not circles, "import circles: " + "; ".join(" → ".join(c) for c in circles)


def test_the_client_knows_the_extensions_only_by_name() -> None:
    """`bot.client` imports no module of `bot.exts`: the extensions import the client, not back."""
    assert not {m for m in GRAPH["bot.client"] if m.startswith("bot.exts")}


def test_the_checker_sees_lazy_and_type_checking_imports() -> None:
    """The walk counts an import inside a function and one under TYPE_CHECKING."""
    assert "bot.client" in imports_of("bot.cli.service")  # imported inside `run`
    assert "bot.client" in imports_of("bot.exts._checks")  # under TYPE_CHECKING


def test_the_whole_bot_type_checks() -> None:
    """`mypy bot` finds no error (the engine, rendering, Discord layer, console and CLI)."""
    mypy = str(Path(sys.executable).parent / "mypy")
    proc = subprocess.run([mypy, "bot"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]
