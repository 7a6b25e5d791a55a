"""Segmentation into passages and exact quote resolution."""
from atlas.core.corpus import SourceText, display_text, guess_kind, segment
from tests.conftest import TEXT


def test_segment_splits_at_blank_lines_and_rejoins_broken_sentences():
    spans = segment(TEXT)
    blocks = [TEXT[s:e] for s, e in spans]
    assert blocks[0] == "Heading Of The Piece"
    assert blocks[1].startswith("The road near Alpha")
    # the page break inside a sentence is rejoined into one passage, its offsets spanning both parts
    assert blocks[2].startswith("A long paragraph") and blocks[2].endswith("Alpha appears again here.")
    assert len(blocks) == 4


def test_segment_keeps_offsets_exact_and_strips_edges():
    text = "  \n\nFirst para.\n\n\n   Second para.  \n"
    assert [text[s:e] for s, e in segment(text)] == ["First para.", "Second para."]


def test_no_rejoin_after_a_finished_sentence():
    text = "x" * 90 + " ends here.\n\nlower case start of another paragraph."
    assert len(segment(text)) == 2


def test_guess_kind():
    assert guess_kind("## Title") == "heading"
    assert guess_kind("[3] Some reference, 2022") == "reference"
    assert guess_kind("Short Heading Without Stop") == "heading"
    assert guess_kind("A sentence that ends.") == "text"


def test_display_text_folds_extraction_breaks_and_markup():
    assert display_text("a<sup>[1]</sup>\n\nb **c**") == "a[1] b c"


def test_passages_numbered_from_one_with_overrides():
    st = SourceText.build("mini", TEXT, {4: "boilerplate"})
    assert [p.number for p in st.passages] == [1, 2, 3, 4]
    assert [p.kind for p in st.passages] == ["heading", "text", "text", "boilerplate"]
    assert st.passage(0) is None and st.passage(5) is None
    assert st.passages[2].ref == "mini#p3"


def test_find_exact_found_not_found_ambiguous_disambiguated():
    st = SourceText.build("mini", TEXT)
    assert len(st.find("Alpha")) == 3  # ambiguous without context
    one = st.find("The road near Alpha")
    assert len(one) == 1 and TEXT[one[0].start:one[0].end] == "The road near Alpha"
    assert st.find("the road near alpha") == []  # case matters: no fuzzy matching
    assert st.find("") == []
    by_prefix = st.find("Alpha", prefix="Observers in ")
    assert len(by_prefix) == 1 and TEXT[by_prefix[0].start - 13:by_prefix[0].start] == "Observers in "
    by_suffix = st.find("Alpha", suffix=" appears")
    assert len(by_suffix) == 1
    assert st.find("Alpha", prefix="nowhere ") == []


def test_passage_at():
    st = SourceText.build("mini", TEXT)
    at = TEXT.index("Observers")
    assert st.passage_at(at).number == 2
    assert st.passage_at(TEXT.index("\n\n")) is None  # between passages
