"""Rule families on real corpus-dev texts (read from ../shared at test time): enumerations,
timelines in lines, accession phrasings, and links that must stay absent."""

from __future__ import annotations

import pytest

from defence_kg.graph.publish.build import build
from defence_kg.graph.publish.documents import manifest_meta
from defence_kg.graph.store.oxigraph_store import OxigraphStore
from defence_kg.loaders.documents.dates import parse_date
from defence_kg.loaders.documents.gazetteer import build_gazetteer
from defence_kg.loaders.documents.pipeline import extract_file

from .conftest import shared_file


@pytest.fixture(scope="module")
def gazetteer():
    store = OxigraphStore(None)
    build(store)
    return build_gazetteer(store)


def relations(gazetteer, stem: str) -> dict[tuple[str, str, str], object]:
    path = shared_file("corpus-dev", f"{stem}.txt")
    meta = manifest_meta(path.parent).get(path.name)
    extraction = extract_file(path, gazetteer, meta, max_bytes=10**7)
    return {(r.type, r.subject, r.object): r for r in extraction.relations}


def test_an_enumeration_after_a_colon_gives_every_member(gazetteer):
    found = relations(gazetteer, "voiceofpeopletoday-2017-pesco-launch")
    members = {s for kind, s, o in found if kind == "membership" and o == "pesco"}
    assert {"AT", "BE", "CZ", "SE", "ES", "SK"} <= members and len(members) >= 23
    assert found[("membership", "CZ", "pesco")].method == "enumeration"
    assert not members & {
        "GB",
        "MT",
        "DK",
    }  # "PESCO does not participate in Great Britain, Malta and Denmark"


def test_a_list_under_signed_the_letter_of_intent_gives_joinings(gazetteer):
    found = relations(gazetteer, "rferl-2022-european-sky-shield")
    joined = {s for kind, s, o in found if kind == "joining" and o == "essi"}
    assert {"DE", "GB", "SK", "NO", "SI"} <= joined  # "Britain" is GB, "the Czech Republic" CZ
    assert "CZ" in joined
    estonia = found.get(("joining", "EE", "essi"))
    assert estonia is None or estonia.modality == "intended"  # "is also looking to join"


def test_timeline_lines_give_dated_joinings(gazetteer):
    found = relations(gazetteer, "thenationalnews-2023-finland-nato-members")
    assert found[("joining", "GR", "nato")].date == "1952"
    assert found[("joining", "BE", "nato")].date == "1949"
    assert found[("joining", "MK", "nato")].date == "2020"  # "North Macedonia"
    assert found[("joining", "CZ", "nato")].date == "1999"  # "Czechia"


def test_became_the_nth_member_state_is_a_joining(gazetteer):
    found = relations(gazetteer, "yenisafak-2023-denmark-joins-eda")
    assert ("joining", "DK", "eda") in found and ("membership", "DK", "eda") in found


def test_wrong_links_stay_absent(gazetteer):
    yle = relations(gazetteer, "yle-2018-finland-ei2")
    # "announced their decision to join Macron's coalition": not NATO, not the EU
    assert not {k for k in yle if k[0] == "joining" and k[2] in {"nato", "eu"}}
    euronews = relations(gazetteer, "euronews-2022-eu-states-outside-nato")
    # "aggression on Ukraine, Sweden and Finland have both formally requested to join NATO"
    assert ("joining", "UA", "nato") not in euronews


def test_a_class_apposition_names_the_organisation_of_its_states(gazetteer):
    found = relations(gazetteer, "european-views-2019-nato-v4-accession-anniversary")
    # "EU member states Poland, the Czech Republic, and Hungary"
    assert {("membership", s, "eu") for s in ("PL", "CZ", "HU")} <= found.keys()
    # "Slovakia, the fourth member of the Visegrad Group" (and earlier "the Visegrad Group, which
    # also includes Slovakia")
    assert ("membership", "SK", "visegrad-group") in found


def test_accepted_into_and_the_centre_as_referent(gazetteer):
    found = relations(gazetteer, "ccdcoe-2014-new-members")
    # "accepts Czech Republic, France and United Kingdom into NATO Cooperative Cyber Defence Centre"
    assert {("joining", s, "ccdcoe") for s in ("CZ", "FR", "GB")} <= found.keys()
    # "Greece and Turkey are also in the process of joining the centre": the centre, planned
    assert found[("joining", "GR", "ccdcoe")].modality == "planned"
    assert ("joining", "GR", "nato") not in found
    # the headline "Czech Republic, France and United Kingdom Joined the Centre" names no NATO
    assert ("joining", "CZ", "nato") not in found


def test_an_unknown_organisation_is_a_candidate_with_the_members_the_text_gives(gazetteer, tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(
        "The Baltic Demining Partnership (BDP) was set up by three states.\n\n"
        "Its members are Estonia, Latvia and Lithuania.\n\n"
        "By Jane Doe TALLINN (AP) - nothing else."
    )
    extraction = extract_file(path, gazetteer, max_bytes=10**6)
    assert [(c.key, c.label) for c in extraction.candidates] == [("?bdp", "Baltic Demining Partnership")]
    members = {r.subject for r in extraction.relations if r.type == "membership" and r.object == "?bdp"}
    assert members == {"EE", "LV", "LT"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the agreement of 25 June 2018", "2018-06-25"),
        ("signed on June 25, 2018 in Paris", "2018-06-25"),
        ("on the 7th of November 2018", "2018-11-07"),
        ("from the 1st December 2011", "2011-12-01"),
        ("On 1. December 2011", "2011-12-01"),
        ("In May 2023, Denmark joined", "2023-05"),
        ("a member since 2017", "2017"),
        ("joined on 4 April", "2019-04-04"),  # the year from the document
    ],
)
def test_dates_in_common_english_forms(text, expected):
    assert parse_date(text, "2019") == expected


def test_a_date_without_a_year_and_no_document_year_is_no_date():
    assert parse_date("joined on 4 April", None) is None


def test_became_org_members_and_together_with_a_list(gazetteer):
    found = relations(gazetteer, "european-views-2019-nato-v4-accession-anniversary")
    # "Poland, the Czech Republic, and Hungary became NATO members on March 12, 1999"
    assert found[("joining", "HU", "nato")].date == "1999-03-12"
    assert found[("joining", "CZ", "nato")].date == "1999-03-12"  # the headline said no date
    # "joined NATO ..., together with other Eastern European states ... – Bulgaria, Estonia, ..."
    assert {("joining", s, "nato") for s in ("BG", "EE", "LV", "LT", "RO")} <= found.keys()


def test_joining_the_project_is_a_participation_in_the_project_named_before(gazetteer):
    found = relations(gazetteer, "exbulletin-2022-uk-pesco-military-mobility")
    # "Canada, Norway and the United States joined the project in 2021"
    for state in ("CA", "NO", "US"):
        assert found[("participation", state, "pesco-military-mobility")].date == "2021"
        assert ("membership", state, "pesco-military-mobility") not in found


def counts_in(gazetteer, tmp_path, text: str) -> set[tuple[str, float]]:
    path = tmp_path / "counts.txt"
    path.write_text(text)
    extraction = extract_file(path, gazetteer, max_bytes=10**6)
    return {(r.subject, r.value) for r in extraction.relations if r.type == "count"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sweden became the 32nd member of NATO on 7 March 2024.", ("nato", 32)),
        ("Sweden became NATO's 32nd member in March.", ("nato", 32)),
        ("Greece is the tenth member of the European Union.", ("eu", 10)),
        ("Malta became the 28th member state of the European Defence Agency (EDA).", ("eda", 28)),
        ("The Joint Expeditionary Force brings together 10 nations.", ("jef", 10)),
        ("The Eurocorps can deploy up to 1,000 soldiers.", ("eurocorps", 1000)),
        ("The 26 participating EU member states of PESCO adopted 13 joint projects.", ("pesco", 13)),
    ],
)
def test_counts_and_ranks_belong_to_the_organisation_named_with_them(gazetteer, tmp_path, text, expected):
    assert expected in counts_in(gazetteer, tmp_path, text)


def test_a_qualifier_names_what_is_counted_not_whose_count_it_is(gazetteer, tmp_path):
    found = counts_in(gazetteer, tmp_path, "PESCO was launched with 25 EU Member States in 2017.")
    assert ("pesco", 25) in found and ("eu", 25) not in found
    # a bare "two states" with no organisation beside it counts nothing
    assert (
        counts_in(gazetteer, tmp_path, "NATO met in Brussels.\n\nThe two states disagreed on the budget.")
        == set()
    )


def test_ranks_on_real_texts(gazetteer):
    found = {
        (r.subject, r.value)
        for (kind, _, _), r in relations(gazetteer, "yenisafak-2023-denmark-joins-eda").items()
        if kind == "count"
    }
    assert ("eda", 27) in found  # "the 27th member state of the European Defense Agency (EDA)"
    found = {
        (r.subject, r.value)
        for (kind, _, _), r in relations(gazetteer, "mia-2020-north-macedonia-nato-flag").items()
        if kind == "count"
    }
    assert ("nato", 30) in found  # "became the 30th member of the Alliance"


def extracted(gazetteer, tmp_path, text: str) -> dict[tuple[str, str, str], object]:
    path = tmp_path / "note.txt"
    path.write_text(text)
    return {
        (r.type, r.subject, r.object): r for r in extract_file(path, gazetteer, max_bytes=10**6).relations
    }


def test_founders_in_the_passive_coordinate_and_join_what_they_founded(gazetteer, tmp_path):
    found = extracted(
        gazetteer,
        tmp_path,
        "The European Air Transport Command was set up on 1 September 2010 by the air forces of "
        "France, Germany and the Netherlands. It was later joined by Spain and Italy.",
    )
    for state in ("FR", "DE", "NL"):
        assert found[("coordination", state, "eatc")].modality == "asserted"
        assert found[("joining", state, "eatc")].date == "2010-09-01"
        assert ("membership", state, "eatc") in found
    # "joined by" is a joining, not a founding
    assert ("joining", "ES", "eatc") in found and ("coordination", "ES", "eatc") not in found


def test_founded_by_at_the_start_of_a_sentence_names_what_follows(gazetteer, tmp_path):
    found = extracted(
        gazetteer, tmp_path, "Founded in 1992 by Germany and France, the Eurocorps is based in Strasbourg."
    )
    assert found[("coordination", "DE", "eurocorps")].date == "1992"
    assert ("joining", "FR", "eurocorps") in found


def test_a_state_led_apposition_is_asserted_even_in_a_hedged_sentence(gazetteer, tmp_path):
    found = extracted(
        gazetteer,
        tmp_path,
        "The Joint Expeditionary Force (JEF), a British-led coalition, met in Oslo.\n\n"
        "Austria wants to join the France-led European Intervention Initiative.",
    )
    assert found[("coordination", "GB", "jef")].modality == "asserted"
    assert found[("coordination", "FR", "e2i")].modality == "asserted"
    assert found[("joining", "AT", "e2i")].modality == "intended"


def test_founders_on_a_real_text(gazetteer):
    found = relations(gazetteer, "wikipedia-2017-occar")
    # "OCCAR was established on 12 November 1996 by the Defence Ministers of France, Germany, ..."
    for state in ("FR", "DE", "IT", "GB"):
        assert found[("coordination", state, "occar")].date == "1996-11-12"


def test_rows_of_a_flattened_contributors_table_are_participations(gazetteer, tmp_path):
    cells = [
        "Table 2: Contributions of partner countries to EU operations (personnel)",
        "EUTM Mali",
        "Georgia",
        "12",
        "Norway",
        "1",
        "Operation Unknownia (somewhere)",
        "Serbia",
        "7",
        "EUTM Somalia",
        "Georgia",
        "1",
        "Norway",
        "1",
    ]
    found = extracted(
        gazetteer, tmp_path, "\n\n".join(cells) + "\n\nThe figures are for May 2018, as reported."
    )
    rows = {(s, o) for kind, s, o in found if kind == "participation"}
    # repeated names and bare figures are cells here, not running headers or page numbers
    assert {("GE", "eutm-mali"), ("NO", "eutm-mali"), ("GE", "eutm-somalia"), ("NO", "eutm-somalia")} <= rows
    assert ("RS", "eutm-mali") not in rows  # under a mission the graph does not know
    assert found[("participation", "GE", "eutm-mali")].method == "table-row"


def test_a_real_contributors_table(gazetteer):
    found = relations(gazetteer, "uk-parliament-2018-csdp-third-countries")
    for state, operation in (
        ("AL", "eutm-mali"),
        ("RS", "eutm-mali"),
        ("RS", "eutm-somalia"),
        ("CH", "eulex-kosovo"),
    ):
        assert ("participation", state, operation) in found


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Ministers agreed to deepen the cooperation between the European Union and NATO.", ("eu", "nato")),
        ("A new partnership between EDA and OCCAR was signed in Brussels.", ("eda", "occar")),
    ],
)
def test_cooperation_between_two_named_organisations(gazetteer, tmp_path, text, pair):
    found = extracted(gazetteer, tmp_path, text)
    assert ("cooperation", *pair) in found or ("cooperation", *reversed(pair)) in found


def test_cooperation_between_an_organisation_and_a_state_list_is_not_a_pair(gazetteer, tmp_path):
    found = extracted(gazetteer, tmp_path, "Cooperation between EDA and Spain, Italy and NATO grew.")
    assert not [k for k in found if k[0] == "cooperation"]


def test_a_table_ends_at_the_first_paragraph_of_prose(gazetteer, tmp_path):
    cells = ["Table 3: Personnel contributed to EU missions", "EUTM Mali", "Georgia", "12"]
    prose = "The committee then turned to training missions in Africa and their cost to partners."
    after = ["EUTM Somalia", "Norway", "4"]  # one-line paragraphs after the table: no rows
    found = extracted(gazetteer, tmp_path, "\n\n".join([*cells, prose, *after]))
    rows = {(s, o) for kind, s, o in found if kind == "participation"}
    assert ("GE", "eutm-mali") in rows and ("NO", "eutm-somalia") not in rows
