"""Each column of a bilingual edition is read as if the other were not there."""

from __future__ import annotations

from pipeline.reading.text import html_text

PAIR = (
    '<p><span class="pair"><span class="lang-en" lang="en">The publisher counted about 1,200.</span>'
    '<span class="lang-sep" aria-hidden="true"> / </span><span class="lang-id" lang="id">{indonesian}</span></span></p>'
)


def test_each_column_leaves_out_the_other_language() -> None:
    html = PAIR.format(indonesian="Penerbit menghitung sekitar 1.200.")
    assert html_text(html, without_language="id").text.strip() == "The publisher counted about 1,200."
    assert html_text(html, without_language="en").text.strip() == "Penerbit menghitung sekitar 1.200."


def test_a_drafts_stand_in_sentence_belongs_to_the_column_it_stands_in() -> None:
    # An untranslated sentence falls back to English words marked lang="en", with the Indonesian
    # column's own figures: the column must read them, as the Indonesian edition does.
    stand_in = '<span class="untranslated" lang="en">The publisher counted sekitar 1.200.</span>'
    html = PAIR.format(indonesian=stand_in)
    assert html_text(html, without_language="en").text.strip() == "The publisher counted sekitar 1.200."
    assert html_text(html, without_language="id").text.strip() == "The publisher counted about 1,200."
