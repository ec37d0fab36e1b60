"""What /reload reports: documents and passages added, removed and changed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.engine import Engine
from bot.rendering import limits
from bot.rendering.reload import compare_corpora, render_reload, render_reload_failed
from bot.settings import Settings

FIRST = (
    "The Mérida Initiative funded police training in Mexico, with equipment and intelligence "
    "sharing for the agencies on both sides of the border."
)


def _load(folder: Path) -> Engine:
    return Engine.load(replace(Settings(), base_dir=str(folder.parent)), folder=folder)


def test_compare_corpora_by_document_hash_and_passage_id(write_corpus) -> None:
    folder = write_corpus(
        {
            "a.txt": f"Alpha Report\n\n{FIRST}\n",
            "b.txt": "Beta Notes\n\nCartels moved fentanyl across the border near Juárez.\n",
        }
    )
    old = _load(folder)
    (folder / "a.txt").write_text(
        f"Alpha Report\n\n{FIRST}\n\n"
        "A second paragraph, new, about accountability and transparency rules for every joint "
        "operation of the police and the army.\n"
    )
    (folder / "b.txt").unlink()
    (folder / "c.txt").write_text("Gamma Brief\n\nCommunity programs built trust with police.\n")
    changes = compare_corpora(old.corpus, _load(folder).corpus)
    assert (changes.added, changes.removed, changes.changed) == (
        ("Gamma Brief",),
        ("Beta Notes",),
        ("Alpha Report",),
    )
    assert (changes.passages_added, changes.passages_removed) == (2, 1)  # a's 2nd, c's; b's
    assert not changes.unchanged
    assert changes.old_version != changes.new_version


def test_same_corpus_is_unchanged(tiny_engine: Engine) -> None:
    changes = compare_corpora(tiny_engine.corpus, tiny_engine.corpus)
    assert changes.unchanged
    page = render_reload(changes, seconds=0.25)[0]
    assert "Nothing changed." in page.embeds[0]["description"]
    assert "built in 0.2 s" in page.embeds[0]["description"]


def test_render_reload_lists_names_and_warnings(tiny_engine: Engine) -> None:
    many = replace(
        compare_corpora(tiny_engine.corpus, tiny_engine.corpus),
        added=tuple(f"Doc *{i}*" for i in range(20)),
        warnings=("bad.txt: skipped, it looks like a binary file",),
    )
    pages = render_reload(many, seconds=1.0)
    text = pages[0].embeds[0]["description"]
    assert r"**Added:** Doc \*0\*, Doc \*1\*" in text and "and 12 more" in text
    assert "**Skipped or read with warnings:** bad.txt: skipped" in text
    assert pages.ephemeral_hint
    assert limits.check_message(pages[0].to_message()) == []
    assert limits.safety_problems(pages[0].to_message()) == []


def test_render_reload_failed_keeps_the_old_corpus() -> None:
    page = render_reload_failed("no documents found in /x_y")[0]
    assert page.embeds[0]["title"] == "Reload failed"
    assert page.embeds[0]["description"].endswith(r"Reason: no documents found in /x\_y")
