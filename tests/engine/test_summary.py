"""Summaries: verbatim sentences in document order, covering sections, within the budget."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.engine import UnknownDocument, Workspace
from bot.engine.summary import (
    OPENING,
    WORDS_PER_MINUTE,
    Summary,
    candidate_sentences,
    reads_alone,
    summarize,
)
from bot.engine.themes import ThemeMatcher
from bot.rendering.terminal import summary_text
from tests.engine.reading_corpora import (
    DOC_000,
    DOC_002,
    DOC_003,
    DOC_004,
    EXTRAJUDICIAL,
    make_workspace,
    summary_of,
)

SEED_IDS = (DOC_000, "001_92383304b1d2c274", DOC_002, DOC_003, DOC_004)

# One long section that repeats itself (what centrality alone would quote three times) and two short
# ones with their own news: a structure-aware summary quotes all three sections.
REPORT = (
    "# Valley Report\n\n"
    "## Water\n\n"
    "The valley water supply is failing because the river water is low this year.\n\n"
    "Farmers say the river water supply cannot feed the valley water channels this year.\n\n"
    "Water engineers expect the valley water supply to stay low while the river is low.\n\n"
    "The river water supply of the valley has been low for the whole year, farmers say.\n\n"
    "## Schools\n\n"
    "Three new schools opened in the northern villages, with teachers hired from the city.\n\n"
    "## Roads\n\n"
    "The mountain road to the market town was rebuilt after the spring landslides.\n"
)
OTHER = (
    "Market Notes\n\n"
    "Prices at the market town rose in spring, traders reported to the council.\n\n"
    "The council met traders from the northern villages about stalls and fees.\n"
)


@pytest.fixture(scope="module")
def summaries(seeds_workspace: Workspace) -> dict[str, Summary]:
    return {doc_id: summary_of(seeds_workspace, doc_id) for doc_id in SEED_IDS}


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_every_sentence_is_verbatim_from_its_passage(
    seeds_workspace: Workspace, summaries: dict[str, Summary], doc_id: str
) -> None:
    """Each sentence is exactly the text at its offset in a passage of the same document."""
    summary = summaries[doc_id]
    assert summary.sentences
    for s in summary.sentences:
        passage = seeds_workspace.engine.passage(s.passage_id)
        assert passage.doc_id == doc_id
        assert passage.text[s.start : s.start + len(s.text)] == s.text
        assert (s.section, s.ordinal) == (passage.section, passage.ordinal)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_sentences_keep_document_order_and_fit_the_budget(
    seeds_workspace: Workspace, summaries: dict[str, Summary], doc_id: str
) -> None:
    """Sentences come in reading order, once each, and fit `summary.max_chars` joined by spaces."""
    summary = summaries[doc_id]
    places = [(s.ordinal, s.start) for s in summary.sentences]
    assert places == sorted(set(places))
    budget = seeds_workspace.engine.settings.summary.max_chars
    assert summary.chars == len(" ".join(s.text for s in summary.sentences)) <= budget
    assert summary.chars > budget * 0.8  # the budget is used, not one sentence and done


@pytest.mark.parametrize("doc_id", [DOC_000, "001_92383304b1d2c274", DOC_002, DOC_004])
def test_seed_summaries_quote_most_sections(summaries: dict[str, Summary], doc_id: str) -> None:
    """A summary quotes from more than half of its document's sections, not only the opening.

    Regression check: the section weighting was tuned on these seeds in the same change (dc90583).
    """
    summary = summaries[doc_id]
    quoted = {s.section for s in summary.sentences}
    assert len(quoted) > len(summary.outline) / 2
    assert any(s.ordinal > summary.passages * 3 / 4 for s in summary.sentences)


def test_military_police_summary_speaks_of_human_rights(summaries: dict[str, Summary]) -> None:
    """The 000 summary mentions human rights and accountability, its main concerns.

    Regression check: the summarizer was tuned on these seeds in the same change (dc90583).
    """
    text = " ".join(s.text for s in summaries[DOC_000].sentences)
    assert "human rights" in text
    assert "accountability" in text


def test_summary_is_the_same_every_time(seeds_workspace: Workspace, settings: object) -> None:
    """Two calls, and a freshly built engine, give the identical summary."""
    first = summary_of(seeds_workspace, DOC_002)
    assert summary_of(seeds_workspace, DOC_002) == first
    assert summary_of(Workspace.load(settings), DOC_002) == first  # type: ignore[arg-type]


def test_outline_lists_headings_with_passage_counts(summaries: dict[str, Summary]) -> None:
    """The outline follows the headings, opening first; its counts add up to the passages."""
    outline = summaries[DOC_000].outline
    assert outline[0] == (OPENING, 2)
    assert ("Human rights concerns", 4) in outline
    assert outline[-1] == ("Future Directions for Military Collaboration with Police Forces", 6)
    assert sum(n for _, n in outline) == summaries[DOC_000].passages == 58
    assert summaries[DOC_003].outline == ((OPENING, 13),)


def test_document_facts(seeds_workspace: Workspace, summaries: dict[str, Summary]) -> None:
    """Words, passages, reading time and site come with the summary."""
    doc = seeds_workspace.engine.find_document(DOC_002)
    summary = summaries[DOC_002]
    assert summary.site == "Total Military Insight"
    assert summary.title == "Enhancing Safety Through Military and Police Collaboration"
    assert (summary.words, summary.passages) == (doc.words, doc.passage_count)
    assert summary.reading_minutes == round(doc.words / WORDS_PER_MINUTE, 1)


def test_key_terms_are_readable_words_of_the_document(
    seeds_workspace: Workspace, summaries: dict[str, Summary]
) -> None:
    """Key terms are written as in the text (not stems), distinctive ones first.

    The named terms are a regression check: key-term scoring was tuned on the seeds (b10a0b8).
    """
    for doc_id, summary in summaries.items():
        text = " ".join(
            p.text for p in seeds_workspace.engine.corpus.passages_of(doc_id)
        ).casefold()
        assert 5 <= len(summary.key_terms) <= 10
        for term in summary.key_terms:
            assert term.casefold() in text, (doc_id, term)
    assert summaries[DOC_004].key_terms[0] == "human smuggling"
    assert {"human rights", "drug-related violence"} <= set(summaries[DOC_000].key_terms)
    assert "counter-narcotics" in summaries[DOC_002].key_terms
    assert "Mérida Initiative" in summaries[DOC_003].key_terms


def test_focus_on_a_theme_quotes_what_the_document_says_about_it(
    seeds_workspace: Workspace,
) -> None:
    """focus=human-rights: only sentences on the theme, the extrajudicial killings among them.

    Regression check: the focus weight was tuned on this document in the same change (b10a0b8).
    """
    summary = summary_of(seeds_workspace, DOC_000, focus="human-rights")
    assert summary.focus == "human-rights"
    assert EXTRAJUDICIAL in {s.passage_id for s in summary.sentences}
    theme = seeds_workspace.require_codebook().find("human-rights")
    matcher = ThemeMatcher.compile(theme, seeds_workspace.engine.analyzer)
    for s in summary.sentences:
        assert matcher.count(seeds_workspace.engine.analyzer.terms(s.text)), s.text


def test_focus_on_words(seeds_workspace: Workspace) -> None:
    """focus=fentanyl in 004: the one sentence about fentanyl."""
    summary = summary_of(seeds_workspace, DOC_004, focus="fentanyl")
    assert [s.ordinal for s in summary.sentences] == [5]
    assert "fentanyl" in summary.sentences[0].text
    assert summary.message is None


def test_focus_absent_from_the_document_says_so(seeds_workspace: Workspace) -> None:
    """004 never speaks of human rights: no sentence, and a message that says it plainly."""
    summary = summary_of(seeds_workspace, DOC_004, focus="human rights")
    assert summary.sentences == ()
    assert summary.message == (
        "No sentence of Mexico and US Strengthen Cooperation on Cross-Border Crime is about the "
        "theme Human rights (human-rights)."
    )
    words = summary_of(seeds_workspace, DOC_004, focus="glaciers")
    assert words.sentences == () and words.message is not None and "'glaciers'" in words.message


def test_unknown_document_suggests_the_closest_titles(
    seeds_workspace: Workspace, summaries: dict[str, Summary]
) -> None:
    """A mistyped title still finds its one document; a wrong one suggests the closest titles."""
    assert summary_of(seeds_workspace, "military colaboration with police") == summaries[DOC_000]
    with pytest.raises(UnknownDocument) as err:
        summary_of(seeds_workspace, "Reform of the security sector")
    assert err.value.suggestions[0] == "001_92383304b1d2c274"
    assert "Did you mean" in str(err.value)


def test_document_by_id_prefix(seeds_workspace: Workspace, summaries: dict[str, Summary]) -> None:
    """`summary 003` is the summary of 003_…, the same as by full id."""
    assert summary_of(seeds_workspace, "003") == summaries[DOC_003]


def test_a_smaller_budget_is_respected(seeds_workspace: Workspace) -> None:
    """At 300 characters the summary still quotes something and stays within 300."""
    doc = seeds_workspace.engine.find_document(DOC_000)
    small = summarize(seeds_workspace.engine, doc, max_chars=300)
    assert small.sentences and small.chars <= 300
    none = summarize(seeds_workspace.engine, doc, max_chars=20)
    assert (
        none.sentences == ()
        and none.message == "No sentence of this document fits in 20 characters."
    )


def test_json_has_the_documented_keys(summaries: dict[str, Summary]) -> None:
    """to_json: doc_id, title, sentences, passage_ids, outline, key_terms (+ facts), JSON-safe."""
    data = json.loads(json.dumps(summaries[DOC_000].to_json()))
    assert {
        "doc_id",
        "title",
        "sentences",
        "passage_ids",
        "outline",
        "key_terms",
        "words",
        "passages",
        "reading_minutes",
        "site",
        "focus",
    } <= set(data)
    assert len(data["sentences"]) == len(data["passage_ids"]) == len(summaries[DOC_000].sentences)
    assert data["outline"][0] == {"heading": OPENING, "passages": 2}


def test_text_rendering_cites_paragraphs(summaries: dict[str, Summary]) -> None:
    """summary_text: title, facts, key terms, each sentence numbered with its ¶ and id, outline."""
    text = summary_text(summaries[DOC_004])
    assert text.startswith("Mexico and US Strengthen Cooperation on Cross-Border Crime\n")
    assert "681 words · 13 passages" in text
    first = summaries[DOC_004].sentences[0]
    assert f"1. {first.text}\n   — ¶{first.ordinal} · {first.passage_id}" in text
    assert "Outline:\n  (opening) (1)" in text


def test_made_up_report_quotes_every_section(tmp_path: Path) -> None:
    """A repetitive first section does not crowd out the short sections after it."""
    ws = make_workspace(tmp_path, {"report.md": REPORT, "other.txt": OTHER}, max_chars=260)
    summary = summary_of(ws, "report")
    assert {s.section for s in summary.sentences} == {"Water", "Schools", "Roads"}
    assert summary.chars <= 260
    assert [s.section for s in summary.sentences] == ["Water", "Schools", "Roads"]


def test_fragments_list_intros_and_broken_quotes_are_never_candidates(tmp_path: Path) -> None:
    """List intros (":"), items without a full stop and half quotations are not quotable."""
    text = (
        "Field Notes\n\n"
        "The inspectors listed the problems they found in the district this spring:\n"
        "- broken pumps in several villages\n"
        "- Wells in the south were dry for most of the season.\n\n"
        "The mayor said, “We will repair the pumps. The wells come next.” Work starts in May.\n"
    )
    engine = make_workspace(tmp_path, {"notes.txt": text, "other.txt": OTHER}).engine
    passages = engine.corpus.passages_of("notes")
    texts = [s.text for s in candidate_sentences(passages, engine)]
    assert texts == ["Wells in the south were dry for most of the season."]
    item = candidate_sentences(passages, engine)[0]
    assert item.list_item and not reads_alone(item)


def test_sentences_needing_context_are_recognized(tmp_path: Path) -> None:
    """Sentences opening on "This"/"They" need context; "Thistle …" does not."""
    text = (
        "Garden Notes\n\n"
        "Thistle grows along every fence of the old garden near the river.\n"
        "This problem worries the gardeners who keep the roses by the gate.\n"
        "They plan to clear the fences before the summer fair opens in June.\n"
    )
    engine = make_workspace(tmp_path, {"garden.txt": text, "other.txt": OTHER}).engine
    sentences = candidate_sentences(engine.corpus.passages_of("garden"), engine)
    assert [reads_alone(s) for s in sentences] == [True, False, False]


def test_judgment_keywords_match_at_word_starts() -> None:
    """The benchmark's matcher: every keyword of one alternative, at a word start, accents aside."""
    from bench.summary_quality import KeyPoint, covers

    point = KeyPoint("p", (("merida",), ("technolog", "drones")))
    assert covers("The Mérida Initiative", point)
    assert covers("technological advances such as drones", point)
    assert not covers("technological advances", point)
    assert not covers("Emerida", point)


def test_benchmark_puts_our_summaries_ahead_of_lexrank() -> None:
    """On the seed judgments, at the same budget, ours covers more key points than LexRank.

    Regression check: the judgments were written with the summarizer, in the same change
    (dc90583); it pins that ours keeps its lead, not that it is better on unseen documents.
    """
    from bench.summary_quality import run

    report = run(methods=("ours", "lexrank"))
    mean = report["mean"]
    assert mean["ours"]["key_points"] > mean["lexrank"]["key_points"] + 0.1
    assert mean["ours"]["sections"] > mean["lexrank"]["sections"]
    for per_method in report["documents"].values():
        assert all(r["chars"] <= report["budget"] for r in per_method.values())
