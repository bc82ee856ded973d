"""Indicator and table names as keys: the same indicator written two ways finds itself.

Names are compared after the writer's habits are taken away: full-width and half-width, spaces
and line breaks, punctuation, a leading number (“1、”“（2）”), a trailing unit in brackets
(“（%）”“(万元)”), a year (“2023年度”); a few endings that say the same thing are written one
way (数量 → 数, 满意率 → 满意度). Two keys are near-duplicates when one is the other with a
counting word added at its end (“高新技术企业” and “高新技术企业数”); a different character
anywhere else makes a different indicator (“省级平台数” is not “市级平台数”).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# (after NFKC, full-width brackets and stops are the ASCII ones)
_NUMERAL = "[0-9一二三四五六七八九十]{1,3}"
_NUMBERING = re.compile(rf"^(?:\(?{_NUMERAL}[)、.](?!\d)|\({_NUMERAL}\))")
_TRAILING_NOTE = re.compile(r"\([^()]{1,4}\)$")  # a unit: (%) (万元) (人次)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?:年度|年)?(?!\d)")
_PUNCTUATION = re.compile(r"[\s,。;:、!?“”\"‘’'《》<>〈〉「」『』【】\[\]()\-—_~·/\\|]+")
# Endings written two ways for one meaning (the longer first where one contains the other).
EQUIVALENT_ENDINGS: tuple[tuple[str, str], ...] = (
    ("数量", "数"),
    ("满意率", "满意度"),
)
# A counting word a writer adds or leaves off at the end of a name without changing it.
COUNTING_ENDINGS = ("数",)


@lru_cache(maxsize=1 << 14)
def indicator_key(name: str | None) -> str:
    """The key near-duplicate names of an indicator share: ``"1、高新技术企业数量（家）"``,
    ``"高新技术企业数"`` and ``"高新技术 企业"`` → ``"高新技术企业"``."""
    return _without_counting_word(_written_key(name))


def _written_key(name: str | None, units: bool = True) -> str:
    text = unicodedata.normalize("NFKC", name or "").strip()
    text = "".join(text.split())
    text = _NUMBERING.sub("", text)
    while units:
        shorter = _TRAILING_NOTE.sub("", text)
        if shorter == text or not shorter:
            break
        text = shorter
    text = _PUNCTUATION.sub("", text).lower()
    for written, meant in EQUIVALENT_ENDINGS:
        if text.endswith(written):
            text = text[: -len(written)] + meant
            break
    return text


def _without_counting_word(key: str) -> str:
    for ending in COUNTING_ENDINGS:
        if key.endswith(ending) and len(key) > len(ending) + 1:
            return key[: -len(ending)]
    return key


def table_key(name: str | None) -> str:
    """The key of a project's or department's name, the same from one year to the next
    (“2023年科技创新专项资金” and “2024年度科技创新专项资金”)."""
    return _written_key(_YEAR.sub("", unicodedata.normalize("NFKC", name or "")), units=False)
