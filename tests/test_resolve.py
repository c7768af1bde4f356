"""Entity resolution within an article: short forms, acronyms, web domains; different companies apart."""

from benchmarks.resolution import bcubed
from graph.extract import load_pipeline
from graph.extract.coref import short_form_of


def _canonicals(text: str) -> dict[str, str]:
    doc = load_pipeline()(text)
    return {m.text: m.canonical for m in doc._.dg_mentions if m.type == "Organization"}


def test_short_forms_join_their_company():
    got = _canonicals(
        "The Walt Disney Company agreed to buy assets of Whole Foods Market on Monday. "
        "Disney said Whole Foods would keep its stores. International Business Machines "
        "was not involved, IBM said."
    )
    assert got["Disney"] == got["Walt Disney Company"]
    assert got["Whole Foods"] == got["Whole Foods Market"]
    assert got["IBM"] == got["International Business Machines"]


def test_different_companies_sharing_a_word_stay_apart():
    got = _canonicals("General Motors and General Electric signed a supply deal. GM will pay GE $2 billion.")
    assert got["General Motors"] != got["General Electric"]
    assert got.get("GM", "General Motors") != got.get("GE", "General Electric")


def test_short_form_rules():
    assert short_form_of("Taobao", "Taobao.com")
    assert not short_form_of("Apple", "Apple Records")
    assert not short_form_of("GE", "General Motors")
    assert not short_form_of("Fox", "21st Century Fox", last_word=False)


def test_bcubed_punishes_a_wrong_merge_and_a_split():
    key = {1: "a", 2: "a", 3: "b"}
    assert bcubed(key, {1: "x", 2: "x", 3: "y"})["f1"] == 1.0
    assert bcubed(key, {1: "x", 2: "x", 3: "x"})["p"] < 1.0
    assert bcubed(key, {1: "x", 2: "y", 3: "z"})["r"] < 1.0
