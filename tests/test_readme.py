"""The README's examples stay true: every `$ …` command in its text blocks is run and compared.

How a block is read: a line starting with `$ ` is a command (`.venv/bin/corpus-bot` runs as
`python -m bot`, from the repository root); the lines up to the next command are its output
(stdout and stderr together), compared line by line after trailing spaces. A line that is only
`…` stands for any number of lines (an elided table). In a console session, `> /…` lines and the
paging keys (`> n`, `> c 2`, …) are what is typed: they are fed to the console on stdin.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass

import pytest

from bot.engine import Engine
from tests.conftest import ROOT

README = ROOT / "README.md"
PROGRAM = ".venv/bin/corpus-bot"
BLOCK_RE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)
TYPED_RE = re.compile(r"^> (/.*|[npbq]|[cr] \d+)$")
ELIDED = "…"


@dataclass(frozen=True)
class Example:
    command: str
    typed: tuple[str, ...]  # console input lines
    output: tuple[str, ...]

    def __str__(self) -> str:
        return self.command


def blocks(kind: str) -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [body for lang, body in BLOCK_RE.findall(text) if lang == kind]


def examples() -> list[Example]:
    found = []
    for body in blocks("text"):
        command: str | None = None
        typed: list[str] = []
        output: list[str] = []
        for line in [*body.splitlines(), "$ "]:
            if line.startswith("$ "):
                if command:
                    found.append(Example(command, tuple(typed), tuple(output)))
                command, typed, output = line[2:].strip(), [], []
            elif command and TYPED_RE.match(line):
                typed.append(line[2:])
            elif command:
                output.append(line)
    return found


def run_example(example: Example) -> list[str]:
    argv = shlex.split(example.command)
    assert argv[0] == PROGRAM, f"README example does not run the program: {example.command}"
    env = {k: v for k, v in os.environ.items() if k not in ("CORPUS_BOT_CONFIG", "DISCORD_TOKEN")}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", *argv[1:]],
        input="".join(f"{line}\n" for line in example.typed),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    return [line.rstrip() for line in proc.stdout.splitlines()]


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line by line; a line of only `…` matches any run of lines (none included)."""
    if not expected:
        return not actual
    head, *rest = expected
    if head.strip() == ELIDED:
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and head == actual[0] and matches(rest, actual[1:])


def strip_blank_edges(lines: list[str] | tuple[str, ...]) -> list[str]:
    out = [line.rstrip() for line in lines]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


EXAMPLES = examples()
# The team section's examples build on one another in README order, from an empty database.
DEMO_FILES = "data/demo*"


@pytest.fixture(scope="module", autouse=True)
def empty_demo_store() -> None:
    """Each run starts the team examples from no database (and no exported files)."""
    for path in ROOT.glob(DEMO_FILES):
        path.unlink()


def test_the_readme_has_examples() -> None:
    """The parser finds the README's terminal examples (a test over nothing would pass)."""
    assert len(EXAMPLES) >= 8
    assert any(e.typed for e in EXAMPLES)  # the console session


@pytest.mark.parametrize("example", EXAMPLES, ids=str)
def test_readme_example_output_is_what_the_program_prints(example: Example) -> None:
    """Each `$ corpus-bot …` example prints exactly what the README shows."""
    expected = strip_blank_edges(example.output)
    actual = strip_blank_edges(run_example(example))
    assert matches(expected, actual), "\n".join(
        ["README shows:", *expected, "", "the program prints:", *actual]
    )


def query_syntax_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    table = text.split("### Query syntax", 1)[1].split("\n\n", 1)[0]
    cells = [row.split("|")[1] for row in table.splitlines()[3:] if row.startswith("|")]
    return [q for cell in cells for q in re.findall(r"`([^`]+)`", cell)]


@pytest.mark.parametrize("query", query_syntax_rows())
def test_query_syntax_examples_find_passages(seeds_engine: Engine, query: str) -> None:
    """Every query in the README's syntax table finds passages in the seeds."""
    result = seeds_engine.search(query)
    assert result.hits, result.message


def test_no_command_runs_a_placeholder_as_the_token() -> None:
    """No shell block sets DISCORD_TOKEN to a literal (`DISCORD_TOKEN=…` would log in with "…")."""
    for body in blocks("sh"):
        for line in body.splitlines():
            assert not re.search(r"(?<![\w$])DISCORD_TOKEN=(?!\$)", line), line
