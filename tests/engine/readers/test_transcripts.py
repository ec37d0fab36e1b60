"""Interview transcripts and subtitles: one passage per turn with its speaker; cue start times."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.engine import Engine
from bot.engine.corpus import load_corpus
from bot.settings import Settings
from tests.engine.readers.builders import DocxItem, make_docx

Write = Callable[[dict[str, str | bytes]], Path]

INTERVIEW = """Interview 7, Ciudad Juárez, March 2021

Interviewer: How long have you worked with the municipal police?

R1: Eleven years.

Interviewer: Did the army patrols change your work in the neighbourhood?

R1: Yes. At first people trusted them more than us, because the soldiers were new and
nobody knew them. Later that changed when the checkpoints started.

They stopped everybody, even the teachers.

Interviewer: Thank you.
"""


def test_each_turn_is_a_passage_with_its_speaker(write_corpus: Write) -> None:
    """Labelled paragraphs become turns: short ones stay alone, a turn keeps its unlabelled
    follow-up paragraph, and the label moves to `speaker`."""
    corpus = load_corpus(Settings(), write_corpus({"int07.txt": INTERVIEW}))
    turns = [(p.speaker, p.text) for p in corpus.passages]
    assert turns[0] == ("Interviewer", "How long have you worked with the municipal police?")
    assert turns[1] == ("R1", "Eleven years.")
    assert turns[3][0] == "R1" and turns[3][1].startswith("Yes. At first people trusted them")
    assert turns[3][1].endswith("They stopped everybody, even the teachers.")
    assert turns[4] == ("Interviewer", "Thank you.")
    assert len(turns) == 5
    assert corpus.passages[1].line_start == corpus.passages[1].line_end == 5


def test_one_labelled_line_does_not_make_a_transcript(write_corpus: Write) -> None:
    """Prose with a single "Note:" paragraph is read as prose: no speakers, fragments merged."""
    prose = (
        "Field Report\n\nThe patrols doubled during the spring, according to the ministry.\n\n"
        "Note: figures for May are provisional.\n\n"
        "Residents said that trust in the municipal police remained low in most districts.\n"
    )
    corpus = load_corpus(Settings(), write_corpus({"report.txt": prose}))
    assert all(p.speaker is None for p in corpus.passages)
    assert corpus.passages[0].text.endswith("ministry.\nNote: figures for May are provisional.")
    assert len(corpus.passages) == 2


def test_a_few_labelled_paragraphs_among_prose_are_not_turns(write_corpus: Write) -> None:
    """Three labelled paragraphs ("Note:", "Source:", "Update:") among eight are prose, not a
    transcript: under half the paragraphs open with a label."""
    body = "The municipal police patrolled the southern districts every night that month. "
    paragraphs = [body + f"Report number {i} described the same pattern." for i in range(5)]
    paragraphs[1:1] = ["Note: the May figures are provisional and may change."]
    paragraphs[3:3] = ["Source: the state ministry of public security."]
    paragraphs[5:5] = ["Update: the June figures arrived after this report was written."]
    text = "Field Report\n\n" + "\n\n".join(paragraphs) + "\n"
    corpus = load_corpus(Settings(), write_corpus({"report.txt": text}))
    assert all(p.speaker is None for p in corpus.passages)
    note = "Note: the May figures are provisional and may change.\nThe municipal police"
    assert any(p.text.startswith(note) for p in corpus.passages)  # merged, as prose is


def test_word_transcript_turns(write_corpus: Write) -> None:
    """A Word transcript gives the same turns as a text one."""
    items = [
        DocxItem("Q: Where were you when the checkpoint opened?"),
        DocxItem("A: At the market, with my brother."),
        DocxItem("Q: What happened then?"),
        DocxItem("A: The soldiers asked for our papers and let us go after an hour."),
    ]
    corpus = load_corpus(Settings(), write_corpus({"int.docx": make_docx(items)}))
    assert [p.speaker for p in corpus.passages] == ["Q", "A", "Q", "A"]
    assert corpus.passages[1].text == "At the market, with my brother."


VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Maria>We crossed the bridge every morning

00:00:04.500 --> 00:00:07.000
<v Maria>to sell vegetables at the market.

00:12:31.000 --> 00:12:35.500
<v Interviewer>And after the checkpoints were set up?

00:12:36.000 --> 00:12:40.000
<v Maria>It took two hours each way, sometimes more.
"""

SRT = """1
00:00:02,000 --> 00:00:05,000
The council met on Monday to discuss the new patrol schedule for the southern districts.

2
00:00:10,000 --> 00:00:13,000
Members asked for a public report on every joint operation carried out since January.
"""


def test_vtt_cues_carry_their_start_time_and_voice(write_corpus: Write) -> None:
    """Cues of one voice join into a passage cited at its first cue's time; voices are speakers."""
    corpus = load_corpus(Settings(), write_corpus({"talk.vtt": VTT}))
    cited = [(p.timestamp, p.speaker, p.text) for p in corpus.passages]
    assert cited[0] == (
        "00:00:01",
        "Maria",
        "We crossed the bridge every morning to sell vegetables at the market.",
    )
    assert cited[1][:2] == ("00:12:31", "Interviewer")
    assert cited[2][:2] == ("00:12:36", "Maria")
    assert corpus.documents["talk"].format == "vtt"


def test_srt_cues_after_a_pause_start_a_new_passage(write_corpus: Write) -> None:
    """SubRip cues separated by a long pause are two passages (each long enough to stand alone),
    each at its own time."""
    corpus = load_corpus(Settings(), write_corpus({"council.srt": SRT}))
    assert [(p.timestamp, p.speaker) for p in corpus.passages] == [
        ("00:00:02", None),
        ("00:00:10", None),
    ]


def test_broken_subtitles_are_skipped(write_corpus: Write) -> None:
    """A .vtt with a broken cue timing is skipped with a warning naming it."""
    broken = "WEBVTT\n\n00:00:xx.000 --> 00:00:04.000\nHello there.\n"
    corpus = load_corpus(
        Settings(),
        write_corpus({"bad.vtt": broken, "ok.txt": "Title\n\n" + "Plain words here. " * 8}),
    )
    assert set(corpus.documents) == {"ok"}
    assert any(w.startswith("bad.vtt: skipped") for w in corpus.warnings), corpus.warnings


def _interviews(write: Write) -> Engine:
    second = (
        "Interview 8, Monterrey\n\nInterviewer: What did the soldiers do at the checkpoints?\n\n"
        "Dr. Ana López: The soldiers searched the buses and took the young men aside.\n\n"
        "Interviewer: Did anyone complain to the commission?\n\n"
        "Dr. Ana López: Two families did, and nothing came of it.\n"
    )
    return Engine.load(Settings(), write({"int07.txt": INTERVIEW, "int08.txt": second}))


def test_speaker_keeps_one_speakers_turns(write_corpus: Write) -> None:
    """`speaker:R1` (or the speaker option) keeps R1's turns only, in every document."""
    engine = _interviews(write_corpus)
    everyone = engine.search("soldiers")
    assert {"Interviewer", "Dr. Ana López"} <= {h.passage.speaker for h in everyone.hits}
    for result in (
        engine.search("soldiers speaker:R1"),
        engine.search("soldiers", speaker="r1"),
    ):
        assert [h.passage.speaker for h in result.hits] == ["R1"]
        assert result.hits[0].passage.doc_id == "int07"
        assert "speaker" not in {t for h in result.hits for t in h.contributions}


def test_a_speaker_is_named_in_full_or_by_a_unique_part(write_corpus: Write) -> None:
    """`speaker:"ana lopez"` and `speaker:lopez` find Dr. Ana López's turns (accents folded)."""
    engine = _interviews(write_corpus)
    for query in ('soldiers speaker:"ana lopez"', "soldiers speaker:López"):
        hits = engine.search(query).hits
        assert [h.passage.speaker for h in hits] == ["Dr. Ana López"], query


def test_an_unknown_or_ambiguous_speaker_is_explained(write_corpus: Write) -> None:
    """No match names the corpus's speakers; several matches name them; nothing is searched."""
    engine = _interviews(write_corpus)
    unknown = engine.search("army speaker:R9")
    assert unknown.hits == ()
    assert unknown.message == (
        "No passage is spoken by 'R9'. Speakers: Interviewer, R1, Dr. Ana López."
    )
    several = engine.search("army speaker:r")
    assert several.hits == ()
    assert several.message is not None and several.message.startswith("Several speakers match 'r'")


def test_a_corpus_without_interviews_says_so(seeds_engine: Engine) -> None:
    """The seeds have no speakers: a speaker filter explains that instead of finding nothing."""
    result = seeds_engine.search("police", speaker="R1")
    assert result.hits == ()
    assert result.message is not None and "no interviews" in result.message
