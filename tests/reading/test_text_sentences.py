"""The sentence around a figure, found with the text's sentence ends worked out
once, is the sentence the plain reading finds, marker by marker."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.build.editions import render_project
from pipeline.reading.text import FactMark, Text, html_text
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def sample_texts() -> list[Text]:
    texts = []
    for edition in render_project(ROOT).editions:
        if edition.bilingual_with is None:
            texts.append(html_text(edition.html))
        else:
            texts += [html_text(edition.html, without_language=code) for code in ("en", "id")]
    return texts


def test_every_mark_of_the_sample_reads_the_same_sentence(sample_texts: list[Text]) -> None:
    compared = 0
    for text in sample_texts:
        for mark in text.marks:
            assert text.sentence_around(mark.start, mark.end) == text.sentence_around_slowly(mark.start, mark.end)
            compared += 1
    assert compared > 1000


@st.composite
def marked_texts(draw: st.DrawFn) -> tuple[Text, int, int]:
    words = draw(
        st.lists(st.sampled_from(["Yes.", "no", "12", "[3]", "“a.”", "!", "\n", " ", "  ", "x?"]), max_size=40)
    )
    text = ""
    marks = []
    for word in words:
        start = len(text)
        text += word
        if word == "[3]":
            marks.append(FactMark(start, len(text), None, None, None, marker=True))
        text += draw(st.sampled_from(["", " ", "\n"]))
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return Text(text, marks), start, end


@given(marked_texts())
def test_any_span_of_any_text_reads_the_same_sentence(case: tuple[Text, int, int]) -> None:
    text, start, end = case
    assert text.sentence_around(start, end) == text.sentence_around_slowly(start, end)
