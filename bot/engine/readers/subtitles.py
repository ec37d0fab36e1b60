"""WebVTT (.vtt) and SubRip (.srt) subtitles with webvtt-py: cues with their start time.

Why cues are grouped: one cue is a few words on screen, too little to quote or to rank. Runs of
cues become paragraphs (a new one at a change of voice, a long pause, or a sentence end once the
run is long enough), and every cue keeps its start time, so a passage cites when it starts:
"at 00:12:31".
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable

from bot.engine.readers.base import TERMINAL, Block, ReadError, Reading, ReadOptions
from bot.engine.readers.text import decode_text

log = logging.getLogger(__name__)

FORMATS = ("vtt", "srt")
EXTENSIONS = {".vtt": "vtt", ".srt": "srt"}
PARAGRAPH_CHARS = 400  # a run of cues this long ends at the next sentence end
MAX_PARAGRAPH_CHARS = 900  # … and at the next cue whatever it ends with
PAUSE_SECONDS = 4.0  # silence that ends a paragraph


def read(raw: bytes, format: str, options: ReadOptions) -> Reading:
    """Subtitle cues as blocks (one paragraph per run of cues); `ReadError` when unusable."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    text, warning = decode_text(raw)
    try:
        captions = webvtt.WebVTT.from_buffer(io.StringIO(text), format=format).captions
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        raise ReadError(f"not valid {format.upper()} subtitles ({exc})") from None
    blocks = cue_blocks(
        (c.start_in_seconds, c.end_in_seconds, c.start, c.text, c.voice) for c in captions
    )
    if not blocks:
        raise ReadError("the subtitle file has no cue with text")
    return Reading(
        format=format,
        blocks=tuple(blocks),
        guess_headings=False,
        warnings=(warning,) if warning else (),
    )


Cue = tuple[float, float, str, str, str | None]


def cue_blocks(cues: Iterable[Cue]) -> list[Block]:
    """(start s, end s, start "HH:MM:SS.mmm", text, voice) cues as blocks, grouped in runs."""
    blocks: list[Block] = []
    run_chars = 0
    last_end: float | None = None
    last_voice: str | None = None
    for start_s, end_s, start, text, voice in cues:
        words = " ".join((text or "").split())
        if not words:
            continue
        speaker = voice.strip() if voice else None
        previous = blocks[-1].text if blocks else ""
        new_run = (
            not blocks
            or speaker != last_voice
            or (last_end is not None and start_s - last_end >= PAUSE_SECONDS)
            or run_chars >= MAX_PARAGRAPH_CHARS
            or (run_chars >= PARAGRAPH_CHARS and previous.endswith(TERMINAL))
        )
        run_chars = len(words) if new_run else run_chars + len(words) + 1
        blocks.append(
            Block(
                words,
                kind="cue",
                speaker=speaker,
                timestamp=str(start)[:8],
                continues=not new_run,
            )
        )
        last_end, last_voice = end_s, speaker
    return blocks
