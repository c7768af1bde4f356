"""Tests for graph/extract/products.py: the shapes of "<maker> makes <product>"."""

from __future__ import annotations

import importlib.util

import pytest

from graph.extract import MODEL_NAMES

pytestmark = pytest.mark.skipif(
    not any(importlib.util.find_spec(n) for n in MODEL_NAMES), reason="no English spaCy model installed"
)


def offers(text: str) -> list[tuple[str, str]]:
    from graph.extract import load_pipeline
    from graph.extract.products import find_offers

    return [(o.maker.text, o.product.text) for o in find_offers(load_pipeline()(text))]


def test_coordinated_objects_each_count():
    got = offers("HP develops personal computers, printers and 3D Printing solutions.")
    assert ("HP", "personal computers") in got
    assert ("HP", "printers") in got
    assert ("HP", "3D Printing solutions") in got


def test_passive_participle_and_relative_clause():
    assert ("Laboratories", "drug product") in offers("We buy the drug product manufactured by Lyne Laboratories.")
    assert ("HP", "printers") in offers("HP, which manufactures printers, reported results.")


def test_subject_through_apposition_and_copula():
    got = offers("Our subsidiary, Impulse Monitoring, provides IOM services for surgeons.")
    assert ("Monitoring", "IOM services") in got
    got = offers("Aspen Services is a Delaware corporation that provides administrative services.")
    assert ("Services", "administrative services") in got


def test_group_nouns_and_leading_words_are_cut():
    got = offers("Global Group offers a wide range of project control services.")
    assert ("Group", "project control services") in got
    assert ("Apple", "iPhones") in offers("Apple sold a record 5.4 million iPhones in India.")


def test_offering_verbs_need_a_product_word():
    assert offers("The foundation offered a contest for a new toilet.") == []
    assert offers("Tesco sold its 2000 Thai stores to Charoen Pokphand.") == []
    assert offers("The attack produced no casualties.") == []
    assert offers("The bank made a decision.") == []
    assert offers("Tesco sold its South Korean chain HomePlus.") == []


def test_possessive_before_a_kind_of_product():
    assert ("Microsoft", "cloud software") in offers("Microsoft's cloud software grew fast last year.")
    assert offers("Microsoft's chief executive spoke.") == []


def test_passive_takes_no_conjuncts():
    got = offers("The treatments were remdesivir; mAb114, now produced by Ridgeback Biotherapeutics; and REGN-EB3.")
    assert [p for _, p in got] == ["mAb114"]


def test_a_maker_the_model_took_for_a_person_or_missed_is_a_company():
    from graph.extract import load_pipeline

    nlp = load_pipeline()
    doc = nlp("Zorblax manufactures industrial pumps and valves.")
    assert ("Zorblax", "offers", "industrial pumps") in {(f.subject, f.relation, f.object) for f in doc._.dg_facts}
    assert [m.type for m in doc._.dg_mentions if m.text == "Zorblax"] == ["Organization"]
    people = nlp("Mr. Smith develops software for banks.")._.dg_mentions
    assert [m.type for m in people if m.text == "Smith"] == ["Person"]  # an honorific: a person
    drug = nlp(
        "We have finished Ravicti drug product manufactured by Lyne Laboratories, Inc. on a purchase order basis."
    )
    assert all(m.modifier for m in drug._.dg_mentions if m.text == "Ravicti")  # a name before a common noun: no party


def test_subject_through_able_to_and_control_verbs():
    assert ("IBM", "wafers") in offers(
        "There can be no assurance that IBM will be able to produce wafers of good quality."
    )
    assert ("Acme", "sensors") in offers("Acme kept making sensors after the war.")
    assert all(m != "Apple" for m, _ in offers("Apple asked Samsung to make chips."))  # the asker makes nothing
    assert offers("Google has tried making phones before.") == []  # trying is not making


def test_job_titles_are_not_products():
    got = offers("Myers served as the company's Executive Vice President and General Counsel.")
    assert all("Counsel" not in p and "President" not in p for _, p in got), got


def test_a_brand_inside_a_made_product_stays_in_it():
    assert ("Laboratories", "Ravicti drug product") in offers(
        "We buy Ravicti drug product manufactured by Lyne Laboratories."
    )
    assert ("Microsoft", "Azure cloud services") in offers("Microsoft develops Azure cloud services for businesses.")
    got = offers("Acme sells Apple and Samsung phones.")
    assert all("Apple and Samsung" not in p for _, p in got)  # a list of brands is no one brand
