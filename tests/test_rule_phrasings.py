"""Phrasing families on short texts written for the test (no document's sentence): the verb
forms of membership, the possessive ordinal, passives of admission, applications, who leads,
what a group consists of, gapped dates, a shared subject, and links that must stay absent."""

from __future__ import annotations

import pytest

from .test_rule_families import extracted, gazetteer  # noqa: F401  (the module-scoped fixture)


def states_of(found: dict, kind: str, obj: str) -> dict[str, object]:
    return {s: r for (k, s, o), r in found.items() if k == kind and o == obj}


@pytest.mark.parametrize(
    ("text", "state", "obj", "modality"),
    [
        ("Poland has been a member of NATO since 1999.", "PL", "nato", "asserted"),
        ("Norway and Iceland are not members of the European Union.", "IS", "eu", "negated"),
        ("Austria remains a member of the European Union.", "AT", "eu", "asserted"),
        ("Spain is not part of the European Intervention Initiative.", "ES", "e2i", "negated"),
        ("Sweden is part of the Joint Expeditionary Force.", "SE", "jef", "asserted"),
    ],
)
def test_verb_forms_of_membership(gazetteer, tmp_path, text, state, obj, modality):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert found[("membership", state, obj)].modality == modality


def test_a_membership_with_since_keeps_its_year(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Poland has been a member of NATO since 1999.")
    assert found[("membership", "PL", "nato")].date == "1999"


@pytest.mark.parametrize(
    ("text", "state", "obj", "date"),
    [
        ("Sweden formally became NATO's 32nd member on March 7, 2024.", "SE", "nato", "2024-03-07"),
        ("In 2013 Croatia became the EU’s 28th member state.", "HR", "eu", "2013"),
    ],
)
def test_became_the_organisations_nth_member(gazetteer, tmp_path, text, state, obj, date):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert found[("joining", state, obj)].date == date
    assert ("membership", state, obj) in found


def test_is_the_possessive_member_is_a_membership_not_a_joining(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Today Finland is NATO's newest ally.")
    assert ("membership", "FI", "nato") in found and ("joining", "FI", "nato") not in found


def test_admitted_to_the_project_refers_back(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Canada and Norway take part in the PESCO Military Mobility project. "
        "The United Kingdom was admitted to the project in November 2022."
    )
    found = extracted(gazetteer, tmp_path, text)
    joining = found[("joining", "GB", "pesco-military-mobility")]
    assert joining.date == "2022-11" and joining.modality == "asserted"
    assert ("participation", "GB", "pesco-military-mobility") in found


@pytest.mark.parametrize(
    ("text", "state", "obj", "date"),
    [
        ("Ukraine applied for NATO membership in September 2022.", "UA", "nato", "2022-09"),
        (
            "Finland submitted its application for membership of NATO on 18 May 2022.",
            "FI",
            "nato",
            "2022-05-18",
        ),
        ("Serbia is seeking EU membership.", "RS", "eu", None),
    ],
)
def test_an_application_is_an_intended_joining(gazetteer, tmp_path, text, state, obj, date):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    joining = found[("joining", state, obj)]
    assert joining.modality == "intended" and joining.date == date
    assert found[("membership", state, obj)].modality == "intended"  # never an org:Membership


@pytest.mark.parametrize(
    ("text", "state", "obj"),
    [
        ("The Netherlands leads the PESCO Military Mobility project.", "NL", "pesco-military-mobility"),
        ("Sweden holds the rotating chairmanship of NORDEFCO this year.", "SE", "nordefco"),
        ("Germany is the framework nation of the Framework Nations Concept.", "DE", "fnc"),
    ],
)
def test_who_leads_with_an_active_verb(gazetteer, tmp_path, text, state, obj):  # noqa: F811
    assert ("coordination", state, obj) in extracted(gazetteer, tmp_path, text)


def test_leading_talks_with_an_organisation_is_not_leading_it(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "France leads the talks with NATO on air defence.")
    assert not [k for k in found if k[0] == "coordination"]


@pytest.mark.parametrize(
    "text",
    [
        "The Visegrad Group, which brings together Czechia, Hungary, Poland and Slovakia, met in Prague.",
        "The Visegrad Group consists of Czechia, Hungary, Poland and Slovakia.",
        "The Visegrad Group comprises Czechia, Hungary, Poland and Slovakia.",
    ],
)
def test_what_a_group_consists_of(gazetteer, tmp_path, text):  # noqa: F811
    members = states_of(extracted(gazetteer, tmp_path, text), "membership", "visegrad-group")
    assert set(members) == {"CZ", "HU", "PL", "SK"}


def test_gapped_clauses_take_their_own_dates(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Poland joined NATO in 1999 and Slovakia in 2004.")
    assert found[("joining", "PL", "nato")].date == "1999"
    assert found[("joining", "SK", "nato")].date == "2004"


def test_a_second_verb_shares_the_sentences_subject(gazetteer, tmp_path):  # noqa: F811
    text = "Denmark abolished its opt-out from EU defence policy in June 2022 and joined PESCO in 2023."
    found = extracted(gazetteer, tmp_path, text)
    assert found[("joining", "DK", "pesco")].date == "2023"  # the date after the verb


def test_and_or_members_give_no_membership(gazetteer, tmp_path):  # noqa: F811
    text = "The EU and/or NATO members Turkey, Finland and Sweden take part in programmes of OCCAR."
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "membership", "nato") and not states_of(found, "membership", "eu")


def test_a_persons_coalition_is_the_coalition_named_before(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Estonia has agreed to join the European Intervention Initiative.\n\n"
        "So far, eight other countries have announced their decision to join Macron's coalition, "
        "including Belgium, Denmark and Portugal."
    )
    found = extracted(gazetteer, tmp_path, text)
    joined = states_of(found, "joining", "e2i")
    assert {"EE", "BE", "DK", "PT"} <= set(joined)
    assert joined["BE"].modality == "intended"  # "announced their decision to join"
