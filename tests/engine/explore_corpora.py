"""Hand-counted corpora for the exploration tests (KWIC, collocates, keywords, trend).

A plain module the test modules import from. Every count the tests assert was made by hand from the
texts below; the comments show the counting, so a reader can check it without running anything.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine import Workspace
from tests.engine.reading_corpora import make_workspace

# -- KWIC and trend --------------------------------------------------------------------------
#
# Occurrences of the folded form "merida" (Mérida, MERIDA, merida, Merida; "Mérida's" is the
# word "Mérida" then "s"):  a ¶1: Mérida, MERIDA, merida (3)   a ¶2: Mérida's (1)   b: Merida (1)
# "killing" as written (any case):  a ¶1: killing   a ¶2: killing   b: Killing         → 3
# every form of its stem "kill":    a ¶1: killed, killing   a ¶2: killings, killing
#                                   b: Killing, KILLINGS                              → 6
# Whitespace-separated words:  a ¶1: 20   a ¶2: 15   (a: 35)   b: 17   c: 13
ORIGINS = (
    "The Mérida Initiative began in 2007; MERIDA funding grew and merida became a byword. "
    "Officers were killed and killing continued."
)
MARKETS = (
    "In Mérida's markets, nobody spoke of killings, yet the killing of two officers was reported."
)
ACCORD = (
    "Killing fields: the KILLINGS stopped when the Merida accord was signed by both governments "
    "in the city."
)
TOWNS = (
    "Community engagement programs built trust between residents and local police in several towns."
)
KWIC_CORPUS = {
    "a.txt": f"Report A\n\nOrigins\n\n{ORIGINS}\n\nMarkets\n\n{MARKETS}\n",
    "b.txt": f"Report B\n\n{ACCORD}\n",
    "c.txt": f"Report C\n\n{TOWNS}\n",
}
VIOLENCE_THEME = """\
themes:
  - name: violence
    label: Violence
    description: Killings and the like.
    terms: [killing]
"""

# -- collocates and keywords -----------------------------------------------------------------
#
# The index's term stream (folded, stemmed, stop words out), one passage per document:
#   x: smuggler move FENTANYL truck north guard wave FENTANYL truck border gate      (11 terms)
#   y: guard border gate inspect maiz truck everi morn wave farmer quick             (11 terms)
#   z: farmer grow maiz bean sell maiz market pay guard small fee                    (11 terms)
# N = 33 terms.  Node "fentanyl", window ±2:
#   at x[2]:  left smuggler, move   right truck, north
#   at x[7]:  left guard, wave      right truck, border
# → node frequency 2, window slots R1 = 8; "truck" fills 2 slots (both on the right), and occurs
#   3 times in the corpus (x: 2, y: 1): O11 = 2, C1 = 3. "guard": O11 = 1, C1 = 3.
TRADE_CORPUS = {
    "x.txt": (
        "Border X\n\nSmugglers move fentanyl trucks north; guards wave the fentanyl trucks through "
        "the border gate.\n"
    ),
    "y.txt": (
        "Border Y\n\nGuards at the border gate inspect maize trucks every morning and wave farmers "
        "through quickly.\n"
    ),
    "z.txt": (
        "Market Z\n\nFarmers grow maize and beans, sell maize at the market, and pay the guards a "
        "small fee.\n"
    ),
}


def kwic_workspace(tmp_path: Path) -> Workspace:
    """The KWIC corpus, with a codebook holding one theme, "violence" (the term "killing")."""
    return make_workspace(tmp_path, KWIC_CORPUS, themes=VIOLENCE_THEME)


def trade_workspace(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path, TRADE_CORPUS)
