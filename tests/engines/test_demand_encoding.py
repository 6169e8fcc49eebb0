"""The demand engine's encoding guess (shared by its command line and the web import)."""

from __future__ import annotations

import codecs

import pytest

from cbec_talent.engines.demand.cli import decode_bytes, guess_encoding, read_postings


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("职位".encode("gbk"), "gb18030"),  # valid UTF-8 by chance ("ְλ")
        ("职位\n外贸业务员\n".encode("gbk"), "gb18030"),
        ("职位\n外贸业务员\n".encode(), "utf-8-sig"),
        (codecs.BOM_UTF8 + "职位\n".encode(), "utf-8-sig"),
        ("职位\n".encode("utf-16"), "utf-16"),
        ("跨境电商\U00020000运营".encode("gb18030"), "gb18030"),
        (b"title\nsales\n", "utf-8-sig"),
        ("résumé screening".encode(), "utf-8-sig"),
        ("менеджер по продажам".encode(), "utf-8-sig"),
        ("跨境电商运营专员".encode() + b"\xff broken", "utf-8-sig"),  # a UTF-8 file with a broken line
    ],
)
def test_guess_encoding(data, encoding):
    assert guess_encoding(data) == encoding


def test_a_sample_may_end_inside_a_character():
    sample = "title\n职".encode()[:-1]
    assert guess_encoding(sample, cut_ok=True) == "utf-8-sig"
    assert guess_encoding(sample) == "gb18030"  # a whole file ending so is not UTF-8


def test_tiny_gbk_file_tags_its_title():
    postings = read_postings(decode_bytes("亚马逊运营\n".encode("gbk")), "t.txt")
    assert [p.title for p in postings] == ["亚马逊运营"]
