"""What a password and a user name must be: the policy a province's security review asks for.

A password is at least ``min_length`` characters, not the user's own name, not one of the
passwords people use most (a list kept here, offline), and not one character or one run
repeated ("11111111", "12345678", "abcabcab"). A user name is letters and digits of the
Latin alphabet, Chinese characters, and ``. _ -``: a name written with look-alike letters
of another script ("аdmin" with a Cyrillic а) or invisible characters is refused, and so is
one that differs from an existing name only in case or width ("Admin", "ａｄｍｉｎ").
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from jixiao.store.errors import StoreError

# Passwords seen most often in leaked lists, Chinese sites' included (8 characters and up,
# lowercased); a password whose lowercase is one of these is refused.
COMMON = frozenset(
    (
        "12345678", "123456789", "1234567890", "11111111", "00000000", "88888888", "66666666",
        "87654321", "12341234", "11223344", "12344321", "123123123", "147258369", "159357456",
        "123456abc", "abc12345", "abcd1234", "a1234567", "a12345678", "a123456789", "aa123456",
        "qq123456", "q1w2e3r4", "qwertyui", "qwerty123", "qwer1234", "1qaz2wsx", "1q2w3e4r",
        "zxcvbnm123", "asdfghjk", "password", "password1", "password123", "passw0rd", "iloveyou",
        "woaini1314", "5201314520", "52013145", "woaini520", "admin123", "admin1234",
        "administrator", "root1234", "test1234", "welcome1", "welcome123", "sunshine", "princess",
        "football", "baseball", "superman", "123qweasd", "qweasdzxc", "1314520520", "abc123456",
        "123456qq", "123456aa", "7758521521", "zhang123", "wang1234", "li123456", "jixiao123",
        "jixiao2024", "jixiao2025", "changeme", "letmein1", "trustno1", "dragon123",
    )
)  # fmt: skip
_NAME = re.compile(r"^[A-Za-z0-9._\-\u4e00-\u9fff]+$")


def check_password(password: str, name: str | None = None, min_length: int = 8) -> None:
    """``StoreError`` with the reason when ``password`` is too weak for an account."""
    if len(password) < min_length:
        raise StoreError(f"密码至少需要 {min_length} 个字符")
    folded = password.casefold()
    if name and folded in (name.casefold(), name.casefold()[::-1]):
        raise StoreError("密码不能与用户名相同")
    if folded in COMMON:
        raise StoreError("这是最常见的密码之一，容易被猜中：请换一个")
    if _repetitive(folded):
        raise StoreError("密码不能是同一个字符或同一段字符的重复，也不能是连续的数字或字母")


def _repetitive(text: str) -> bool:
    if len(set(text)) <= 2:
        return True
    for size in range(1, len(text) // 2 + 1):  # "abcabcab": a run repeated
        if all(text[i] == text[i % size] for i in range(len(text))):
            return True
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(text)}
    return steps in ({1}, {-1})  # "12345678", "hgfedcba"


def canonical_name(name: str) -> str:
    """The form two names are compared in: width and case folded ("ａｄｍｉｎ" = "admin")."""
    return unicodedata.normalize("NFKC", name).casefold()


def check_name(name: str) -> None:
    """``StoreError`` when a user name holds characters other than the allowed ones."""
    if not _NAME.fullmatch(name):
        raise StoreError(
            f"用户名“{name}”含有不允许的字符：只能用英文字母、数字、汉字和 . _ -"
            "（看起来相同的外文字母、全角字符和不可见字符都不行）"
        )
