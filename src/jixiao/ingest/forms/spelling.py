"""The forms' words however a table spells them: blanks removed, traditional characters
matched as simplified ones, pinyin glosses dropped.

Mirrors republish tables in traditional characters, some with the pinyin of each character
in brackets ("項(xiàng)目"); matching uses the simplified form, the text keeps what was
written (the character map is one to one, so a place found in the simplified text is the
same place in the written one).
"""

from __future__ import annotations

import re

_SIMPLIFIED = str.maketrans(
    "項績評資總額預數執實際當財撥結轉餘標級產質時經濟會態續響滿對務門單稱況進計劃達蓋內體為與個價費較"
    "覈審決調撥網區縣鎮鄉範圍環設備開發電話號碼聯繫負責報填據說明種類營養學農業機關廳廣東歐萬",
    "项绩评资总额预数执实际当财拨结转余标级产质时经济会态续响满对务门单称况进计划达盖内体为与个价费较"
    "核审决调拨网区县镇乡范围环设备开发电话号码联系负责报填据说明种类营养学农业机关厅广东欧万",
)
_BLANKS = re.compile(r"[\s\u200b]+")
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def simplified(text: str) -> str:
    """``text`` with its traditional characters simplified, character for character."""
    return text.translate(_SIMPLIFIED)


def normalise(text: str) -> str:
    """Text as matched against the forms' words: no blanks, simplified characters, no pinyin
    in brackets (uncached: for whole lines and documents)."""
    return simplified(PINYIN.sub("", _BLANKS.sub("", text)))
