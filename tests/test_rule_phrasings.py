"""Phrasing families on short texts written for the test (no document's sentence): the verb
forms of membership, the possessive ordinal, passives of admission, applications, who leads,
what a group consists of, gapped dates, a shared subject, and links that must stay absent."""

from __future__ import annotations

import pytest

from defence_kg.loaders.documents.models import DocumentMeta
from defence_kg.loaders.documents.pipeline import extract_file

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


def test_it_opening_a_sentence_is_the_state_the_sentence_before_was_about(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Finland applied in May 2022. It joined NATO on 4 April 2023.")
    assert found[("joining", "FI", "nato")].date == "2023-04-04"


def test_it_after_a_sentence_about_two_states_is_left_alone(gazetteer, tmp_path):  # noqa: F811
    text = "Finland and Sweden applied in May 2022. It joined NATO on 4 April 2023."
    assert not [k for k in extracted(gazetteer, tmp_path, text) if k[0] == "joining"]


def test_invited_to_join_is_an_invitation_not_a_joining(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "FYROM was invited to join the alliance in 2018, NATO said.")
    assert ("invitation", "MK", "nato") in found and ("joining", "MK", "nato") not in found


def test_a_date_without_a_year_takes_the_year_the_text_gave_last(gazetteer, tmp_path):  # noqa: F811
    text = "In 2023 the Nordic states met often.\n\nOn 4 April, Finland joined NATO."
    assert extracted(gazetteer, tmp_path, text)[("joining", "FI", "nato")].date == "2023-04-04"


def test_welcomed_as_its_nth_member(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "NATO welcomed Montenegro as its 29th member in June 2017.")
    assert found[("joining", "ME", "nato")].date == "2017-06"


@pytest.mark.parametrize(
    "text",
    ["Malta, Ireland and Austria remain outside NATO.", "Malta, Ireland and Austria are still outside NATO."],
)
def test_outside_an_organisation_is_a_negated_membership(gazetteer, tmp_path, text):  # noqa: F811
    found = states_of(extracted(gazetteer, tmp_path, text), "membership", "nato")
    assert set(found) == {"MT", "IE", "AT"} and {r.modality for r in found.values()} == {"negated"}


def test_founding_members_joined_at_the_founding(gazetteer, tmp_path):  # noqa: F811
    text = "Sweden, Finland and Norway are among the founding members of NORDEFCO, set up in 2009."
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "nordefco")
    assert set(joined) == {"SE", "FI", "NO"} and joined["NO"].date == "2009"


@pytest.mark.parametrize(
    ("text", "objects"),
    [
        ("Czechia is a member of both NATO and the EU.", {"nato", "eu"}),
        ("Estonia joined both the EU and NATO in 2004.", {"nato", "eu"}),
    ],
)
def test_two_objects_joined_by_and(gazetteer, tmp_path, text, objects):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert {o for k, s, o in found if k == "membership"} == objects


def test_members_after_with_and_among_its_participants(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Netherlands proposed the PESCO Military Mobility project in 2017. The project is "
        "coordinated by the Netherlands, with Belgium and Spain as members. It now counts Canada and "
        "Norway among its participants."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert ("coordination", "NL", "pesco-military-mobility") in found
    assert set(states_of(found, "participation", "pesco-military-mobility")) >= {"BE", "ES", "CA", "NO"}


def test_but_is_not_a_member_keeps_the_sentences_subject(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Ireland takes part in PESCO but is not a NATO member.")
    assert found[("membership", "IE", "nato")].modality == "negated"
    assert found[("membership", "IE", "pesco")].modality == "asserted"


def test_a_hedge_never_replaces_an_asserted_statement(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The members of PESCO are Ireland, Portugal, Austria and Belgium.\n\n"
        "On 7 December 2017, Portugal and Ireland announced their intention to join PESCO."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert found[("membership", "PT", "pesco")].modality == "asserted"
    assert found[("joining", "PT", "pesco")].modality == "intended"


@pytest.mark.parametrize(
    ("text", "state", "obj"),
    [
        ("Norway has deployed a frigate to Operation Atalanta.", "NO", "eunavfor-atalanta"),
        ("Serbia provides medical staff for EUTM Mali.", "RS", "eutm-mali"),
        ("Austria sent 300 soldiers to EUFOR Althea in 2022.", "AT", "eufor-althea"),
    ],
)
def test_what_a_state_sends_is_taking_part(gazetteer, tmp_path, text, state, obj):  # noqa: F811
    assert ("participation", state, obj) in extracted(gazetteer, tmp_path, text)


def test_sending_to_an_organisation_is_not_taking_part(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Germany sent a delegation to NATO headquarters.")
    assert not [k for k in found if k[0] in ("participation", "membership")]


@pytest.mark.parametrize(
    ("text", "kinds", "modality"),
    [
        (
            "Finland's accession to NATO on 4 April 2023 doubled the border.",
            {"joining", "membership"},
            "asserted",
        ),
        ("Finland's membership of NATO changed the Baltic.", {"membership"}, "asserted"),
        ("Finland's future membership of NATO was discussed.", {"membership"}, "intended"),
        ("Hungary delayed Finland's accession to NATO for months.", set(), None),
    ],
)
def test_nominal_accession_and_membership(gazetteer, tmp_path, text, kinds, modality):  # noqa: F811
    found = {k: r for k, r in extracted(gazetteer, tmp_path, text).items() if k[1:] == ("FI", "nato")}
    assert {k[0] for k in found} == kinds
    assert {r.modality for r in found.values()} <= {modality}


def test_with_the_participation_of(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The PESCO Military Mobility project, led by the Netherlands with the participation of Canada "
        "and Norway, began in 2018. The EU Battlegroup is open to Serbia."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "pesco-military-mobility")) == {"CA", "NO"}
    assert not [k for k in found if k[1] == "RS"]  # "open to" offers, it does not include


def test_these_are_takes_the_class_of_the_sentence_before(gazetteer, tmp_path):  # noqa: F811
    text = "Four European Union member states stay out of the alliance. These are Austria, Cyprus, Malta."
    assert set(states_of(extracted(gazetteer, tmp_path, text), "membership", "eu")) == {"AT", "CY", "MT"}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Denmark to join the European Defence Agency\n\nThe government said so on Thursday.", "planned"),
        ("Denmark set to join the European Defence Agency", "planned"),
        ("Denmark rules out European Defence Agency membership", "negated"),
        ("Denmark wants to join the European Defence Agency", "intended"),
    ],
)
def test_headline_forms(gazetteer, tmp_path, text, modality):  # noqa: F811
    assert extracted(gazetteer, tmp_path, text)[("joining", "DK", "eda")].modality == modality


@pytest.mark.parametrize(
    ("text", "kind", "date"),
    [
        ("Bulgaria and Romania acceded to the EU on 1 January 2007.", "joining", "2007-01-01"),
        ("Albania and Romania were accepted as NATO members in 2009.", "joining", "2009"),
        ("Romania has been NATO's 26th member since 2004.", "membership", "2004"),
    ],
)
def test_more_accession_verbs(gazetteer, tmp_path, text, kind, date):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert next(r for (k, s, o), r in found.items() if k == kind and s == "RO").date == date


def test_form_the_group(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Germany, France and Poland form the Weimar Triangle.")
    assert set(states_of(found, "membership", "weimar-triangle")) == {"DE", "FR", "PL"}


def test_members_of_a_formation(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Spain and Italy are EATC members since 2014.")
    assert found[("membership", "ES", "eatc")].date == "2014"


@pytest.mark.parametrize(
    ("text", "state", "obj", "modality", "date"),
    [
        ("Poland, a NATO member since 1999, hosts the summit.", "PL", "nato", "asserted", "1999"),
        ("Austria, a member of the European Union, is neutral.", "AT", "eu", "asserted", None),
        ("Norway, a non-EU country, takes part in EDA projects.", "NO", "eu", "negated", None),
        ("Non-NATO members Sweden and Finland joined the exercise.", "SE", "nato", "negated", None),
    ],
)
def test_appositions_and_non_prefixes(gazetteer, tmp_path, text, state, obj, modality, date):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)[("membership", state, obj)]
    assert (found.modality, found.date) == (modality, date)


def test_under_german_leadership_and_troops_from(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The battlegroup in Lithuania, under German leadership, includes troops from the Netherlands "
        "and Norway."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert ("coordination", "DE", "efp-lithuania") in found
    assert set(states_of(found, "participation", "efp-lithuania")) == {"NL", "NO"}


def test_troops_from_states_at_an_organisation_are_no_participation(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "NATO met officers and troops from Spain and Italy in Brussels.")
    assert not [k for k in found if k[0] == "participation"]


def test_among_its_members_refers_back(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Joint Expeditionary Force was set up by Britain. Denmark, Estonia and Latvia are among "
        "its members."
    )
    assert {"DK", "EE", "LV"} <= set(states_of(extracted(gazetteer, tmp_path, text), "membership", "jef"))


def test_a_bracketed_list_after_a_name_across_unknown_names(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Some 1,000 troops from 22 countries are present within EUFOR (Albania, Austria, Freedonia, "
        "Czech Republic, France and Germany)."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eufor-althea")) == {"AL", "AT", "CZ", "FR", "DE"}
    assert not states_of(found, "membership", "eu")


def test_a_numbered_list_under_a_head_with_class_nouns(gazetteer, tmp_path):  # noqa: F811
    text = (
        "PESCO was launched in December 2017.\n\n"
        "The Member States who signed the joint notification are: 1. Austria, 2. Belgium, 3. Bulgaria."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {"AT", "BE", "BG"} <= set(states_of(found, "joining", "pesco"))


def test_gapped_dates_after_a_comma(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Luxembourg joined the EATC in 2012, Spain and Italy in 2014.")
    assert [found[("joining", s, "eatc")].date for s in ("LU", "ES", "IT")] == ["2012", "2014", "2014"]


def test_assets_provided_by_states_are_taking_part(gazetteer, tmp_path):  # noqa: F811
    text = "Operation Irini has three vessels provided by Italy and Greece, and aircraft from Poland."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eunavfor-irini")) == {"IT", "GR", "PL"}


def test_roles_after_a_list(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The MOU of the Counter-Intelligence Centre of Excellence was signed between Slovakia and "
        "Poland as Framework Nations (FN) and Croatia and Hungary acting as Sponsoring Nations (SN)."
    )
    extraction_found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(extraction_found, "membership", "ci-coe")) == {"SK", "PL", "HR", "HU"}
    assert set(states_of(extraction_found, "coordination", "ci-coe")) == {"SK", "PL"}


def test_role_nouns_are_not_candidate_organisations(gazetteer, tmp_path):  # noqa: F811
    path = tmp_path / "roles.txt"
    path.write_text(
        "Slovakia and Poland act as Framework Nations (FN); Chile is among the Troop Contributing "
        "Countries (TCC)."
    )
    labels = {c.label for c in extract_file(path, gazetteer, max_bytes=10**6).candidates}
    assert not labels & {"Framework Nations", "Troop Contributing Countries"}


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Sweden officially joined NATO on Thursday, the government said.", "2024-03-07"),
        ("Finland joined the Joint Expeditionary Force in summer 2017.", "2017"),
    ],
)
def test_weekdays_and_seasons(gazetteer, tmp_path, text, date):  # noqa: F811
    path = tmp_path / "news.txt"
    path.write_text(text)
    found = extract_file(path, gazetteer, DocumentMeta(date="2024-03-08"), max_bytes=10**6).relations
    assert {r.date for r in found if r.type == "joining"} == {date}


def test_may_participate_is_intended(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Finland May Participate in the Joint Expeditionary Force")
    assert found[("membership", "FI", "jef")].modality == "intended"


def test_about_joining_is_no_joining(gazetteer, tmp_path):  # noqa: F811
    text = "Only after Skopje agreed in June 2018 to change its name, the obstacle to joining NATO went."
    assert ("joining", "MK", "nato") not in extracted(gazetteer, tmp_path, text)


def test_battle_groups_named_by_place_and_leader(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Albania, Italy and Poland contribute to the Canadian-led battle group in Latvia; Belgium and "
        "Norway have joined the German-led battle group in Lithuania."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "efp-latvia")) == {"AL", "IT", "PL"}
    assert set(states_of(found, "participation", "efp-lithuania")) == {"BE", "NO"}  # taken part in
    assert ("coordination", "CA", "efp-latvia") in found and ("coordination", "DE", "efp-lithuania") in found
    assert not [k for k in found if k[1] == "CA" and k[0] != "coordination"]


def test_roles_in_brackets_inside_a_list(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The PESCO Military Mobility project was adopted in 2018.\n\n"
        "Project members: the Netherlands (coordinator), Austria, Belgium (observer) and Croatia.\n\n"
        "Observers: Czechia, Denmark."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "pesco-military-mobility")) == {"NL", "AT", "HR"}
    assert set(states_of(found, "coordination", "pesco-military-mobility")) == {"NL"}


def test_an_organisation_inviting_states_is_no_joining(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "NATO formally invited Finland and Sweden to join in June 2022.")
    assert found[("invitation", "FI", "nato")].date == "2022-06"
    assert not [k for k in found if k[0] in ("joining", "membership")]


def test_a_grouping_of_states(gazetteer, tmp_path):  # noqa: F811
    text = 'The term "Weimar Triangle" refers to a loose grouping of Poland, Germany, and France.'
    assert set(states_of(extracted(gazetteer, tmp_path, text), "membership", "weimar-triangle")) == {
        "PL",
        "DE",
        "FR",
    }


def test_a_pesco_project_is_not_pesco(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Canada, Norway and the US will be the first third states invited to participate in a PESCO project."
    )
    assert not [k for k in extracted(gazetteer, tmp_path, text) if k[2] == "pesco"]
    found = extracted(
        gazetteer, tmp_path, "The United Kingdom will join the (PESCO) Military Mobility project."
    )
    assert found[("joining", "GB", "pesco-military-mobility")].modality == "planned"


def test_signed_up_to_and_interest_in_joining(gazetteer, tmp_path):  # noqa: F811
    found = extracted(
        gazetteer, tmp_path, "Belgium and Denmark have signed up to the European Intervention Initiative."
    )
    assert found[("joining", "DK", "e2i")].modality == "asserted"
    found = extracted(
        gazetteer, tmp_path, "Canada showed interest in joining the PESCO Military Mobility project."
    )
    assert found[("joining", "CA", "pesco-military-mobility")].modality == "intended"


def test_a_hyphenated_pair_of_organisations_is_two(gazetteer, tmp_path):  # noqa: F811
    text = "The EU-NATO Joint Declarations aim to enhance interoperability and complementarity."
    found = extracted(gazetteer, tmp_path, text)
    assert ("complementarity", "eu", "nato") in found or ("complementarity", "nato", "eu") in found


def test_states_left_out_by_except(gazetteer, tmp_path):  # noqa: F811
    text = "PESCO was established by 25 EU member states, except for Denmark, Malta and the United Kingdom."
    found = states_of(extracted(gazetteer, tmp_path, text), "membership", "pesco")
    assert set(found) == {"DK", "MT", "GB"} and {r.modality for r in found.values()} == {"negated"}
    text = "All EU countries except Denmark take part in the European Defence Agency."
    assert not extracted(gazetteer, tmp_path, text).get(("membership", "DK", "eda"))
