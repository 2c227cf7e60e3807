"""Phrasing families found on fresh scored texts (session of 2026-12-03), on short texts written
for the test: descriptions as objects, qualified list heads, founders, composition, roles,
'respectively', pipe tables, contributors, and links that must stay absent."""

from __future__ import annotations

import pytest

from defence_kg.loaders.documents.models import DocumentMeta
from defence_kg.loaders.documents.pipeline import extract_file

from .test_rule_families import extracted, gazetteer  # noqa: F401  (the module-scoped fixture)
from .test_rule_phrasings import states_of


def test_a_table_row_of_a_state_the_graph_lacks_keeps_the_group(gazetteer, tmp_path):  # noqa: F811
    cells = [
        "Table 4: Personnel contributed by partner countries",
        "EUTM Somalia",
        "Norway",
        "4",
        "Freedonia",
        "9",
        "Republic of Ruritania",
        "2",
        "Georgia",
        "1",
        "A note on sources",
        "Serbia",
        "3",
    ]
    found = extracted(gazetteer, tmp_path, "\n\n".join(cells))
    rows = {s for kind, s, o in found if kind == "participation" and o == "eutm-somalia"}
    assert rows == {"NO", "GE"}  # the unknown rows are skipped; the heading line ends the group


def test_third_states_outside_europe_are_known(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Chile and Vietnam take part in EUFOR Althea.")
    assert {("participation", "CL", "eufor-althea"), ("participation", "VN", "eufor-althea")} <= set(found)


def test_the_mission_refers_to_the_operation_named_before(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The EU launched EUTM Mali in 2013 to train the Malian armed forces. "
        "Belgium and Czechia have taken part in the mission since then."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {("participation", "BE", "eutm-mali"), ("participation", "CZ", "eutm-mali")} <= set(found)


def test_a_list_head_that_names_the_states_by_their_organisation(gazetteer, tmp_path):  # noqa: F811
    text = "The EU member countries contributing to EUTM Somalia are: Finland, Italy and Spain."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eutm-somalia")) == {"FI", "IT", "ES"}
    assert set(states_of(found, "membership", "eu")) == {"FI", "IT", "ES"}


def test_a_non_eu_list_head_negates_the_membership(gazetteer, tmp_path):  # noqa: F811
    text = "The non-EU countries contributing to EUFOR Althea are: Albania, Chile and Switzerland."
    found = extracted(gazetteer, tmp_path, text)
    assert {r.modality for r in states_of(found, "membership", "eu").values()} == {"negated"}
    assert set(states_of(found, "participation", "eufor-althea")) == {"AL", "CL", "CH"}


def test_one_verb_shared_by_dated_segments(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Estonia and Spain joined the Hybrid CoE in July 2017, Italy, Denmark and Austria during "
        "2018 and Greece and Portugal during 2019."
    )
    found = extracted(gazetteer, tmp_path, text)
    dates = {s: r.date for s, r in states_of(found, "joining", "hybrid-coe").items()}
    assert dates == {
        **dict.fromkeys(("EE", "ES"), "2017-07"),
        **dict.fromkeys(("IT", "DK", "AT"), "2018"),
        **dict.fromkeys(("GR", "PT"), "2019"),
    }


def test_founders_signing_when_the_thing_was_set_up(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Sweden hosted a meeting on hybrid threats in Stockholm. The Hybrid CoE was established on "
        "11 April 2017 when Finland, Poland and the United States signed the memorandum of understanding."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "hybrid-coe")) == {"FI", "PL", "US"}
    assert found[("joining", "US", "hybrid-coe")].date == "2017-04-11"


def test_ministers_of_a_list_give_their_assent(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Intervention Initiative was formed in June 2018, when the defence ministers "
        "of France, Estonia and Portugal gave their assent in a letter of intent."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "e2i")) == {"FR", "EE", "PT"}


def test_signatory_states_join(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Joint Expeditionary Force was set up by a memorandum. "
        "The signatory states are Norway, Latvia and Sweden."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "jef")) == {"NO", "LV", "SE"}


@pytest.mark.parametrize("opening", ["These countries were later joined by", "It was later joined by"])
def test_later_joined_by_refers_back(gazetteer, tmp_path, opening):  # noqa: F811
    text = f"The Netherlands and Luxembourg set up the MMF in 2016. {opening} Germany and Norway."
    found = extracted(gazetteer, tmp_path, text)
    assert {"DE", "NO"} <= set(states_of(found, "joining", "mmf"))


def test_followed_repeats_the_joining_before(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Norway joined the MMF in 2017. Belgium followed in early 2018.")
    assert found[("joining", "BE", "mmf")].date == "2018"
    lone = extracted(gazetteer, tmp_path, "The MMF flew to Mali. Belgium followed in early 2018.")
    assert ("joining", "BE", "mmf") not in lone  # no joining before: nothing to follow


def test_a_state_after_by_and_of_is_no_founder(gazetteer, tmp_path):  # noqa: F811
    text = "The European Sky Shield Initiative was initiated by Germany in the wake of Russia's invasion."
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[1] == "RU"]


def test_an_ordinal_apposition_after_a_state(gazetteer, tmp_path):  # noqa: F811
    found = extracted(
        gazetteer, tmp_path, "Slovakia, the fourth member of the Visegrad Group, joined NATO in 2004."
    )
    assert found[("membership", "SK", "visegrad-group")].method == "ordinal-apposition"


def test_respectively_pairs_leaders_with_the_battlegroups_of_their_hosts(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Two battle groups are based in Latvia and Lithuania, led by Canada and Germany respectively. "
        "The EATC and the EAG are commanded by France and Germany respectively."
    )
    found = extracted(gazetteer, tmp_path, text)
    leads = {(s, o) for kind, s, o in found if kind == "coordination"}
    assert leads == {("CA", "efp-latvia"), ("DE", "efp-lithuania"), ("FR", "eatc"), ("DE", "eag")}


def test_respectively_with_lists_of_unequal_length_pairs_nothing(gazetteer, tmp_path):  # noqa: F811
    text = "The EATC, the EAG and the MMF are led by France and Germany respectively."
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] == "coordination"]


@pytest.mark.parametrize(
    "name",
    [
        "Estonia’s eFP battlegroup",
        "Estonia's Enhanced Forward Presence (eFP) NATO battlegroup",
        "the eFP battle group in Estonia",
    ],
)
def test_forward_presence_battlegroups_by_their_host(gazetteer, tmp_path, name):  # noqa: F811
    found = extracted(gazetteer, tmp_path, f"Denmark and France take part in {name}.")
    assert ("participation", "FR", "efp-estonia") in found


def test_local_names_of_states(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Estland, Lettland and Litauen are members of NATO.")
    assert {"EE", "LV", "LT"} <= set(states_of(found, "membership", "nato"))


def test_associated_and_framework_nations_of_the_topic(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Eurocorps is a force headquarters available to NATO and the EU. It has six Framework Nations: "
        "Belgium, Germany and France among them. Austria, Greece and Italy are Associated Nations."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {"AT", "GR", "IT"} <= set(states_of(found, "membership", "eurocorps"))
    assert {"BE", "DE", "FR"} <= set(states_of(found, "coordination", "eurocorps"))
    assert not states_of(found, "coordination", "eu") and not states_of(found, "coordination", "nato")


def test_it_refers_to_the_topic_across_a_sentence_with_its_own_reference(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Eurocorps works for NATO and the EU. This structure plans and directs operations. "
        "It brings together Belgium, Spain and Poland."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "eurocorps")) == {"BE", "ES", "PL"}
    assert not states_of(found, "membership", "eu")


def test_made_up_of_troops_from(gazetteer, tmp_path):  # noqa: F811
    text = "The Nordic Battlegroup 2015 is made up of troops and equipment from Finland, Norway and Ireland."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "nordic-battlegroup-2015")) == {"FI", "NO", "IE"}


@pytest.mark.parametrize(
    ("text", "leader", "thing"),
    [
        ("The NATO battlegroup in Estonia is U.K.-led.", "GB", "efp-estonia"),
        ("Finland joined the Swedish led Nordic Battlegroup 2015.", "SE", "nordic-battlegroup-2015"),
        ("The Visegrad Battlegroup is an EU Battlegroup led by Poland.", "PL", "visegrad-battlegroup"),
    ],
)
def test_who_leads_a_battlegroup(gazetteer, tmp_path, text, leader, thing):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert {s for k, s, o in found if k == "coordination" and o == thing} == {leader}
    assert not [k for k in found if k[0] == "coordination" and k[2] != thing]


def test_a_verb_after_a_state_is_no_led_adjective(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "France led the charge on the EU's defence ambitions.")
    assert not [k for k in found if k[0] == "coordination"]


def test_a_pipe_table_of_battlegroups_with_leads_and_participants(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The standby rotation is as follows:\n"
        "Battlegroup | Lead nation | Other participants | Troops |\n"
        "---|---|---|---|\n"
        "Weimar Battlegroup | Poland | Germany and France | 1700 |\n"
        "Alpine Test Group | Austria | Slovenia, Croatia | ??? |\n"
        "Lonely Group | Italy | none | ??? |\n"
    )
    path = tmp_path / "table.txt"
    path.write_text(text)
    extraction = extract_file(path, gazetteer, DocumentMeta(title="t"), max_bytes=10**6)
    found = {(r.type, r.subject, r.object) for r in extraction.relations}
    assert {
        ("coordination", "PL", "weimar-battlegroup"),
        ("participation", "DE", "weimar-battlegroup"),
    } <= found
    assert {("participation", s, "weimar-battlegroup") for s in ("PL", "DE", "FR")} <= found
    # a row the graph does not know keeps its leader and members, on a candidate named by its cell
    assert {
        ("coordination", "AT", "?alpine-test-group"),
        ("participation", "HR", "?alpine-test-group"),
    } <= found
    assert "Alpine Test Group" in {c.label for c in extraction.candidates}
    assert {(k, s) for k, s, o in found if o == "?lonely-group"} == {
        ("coordination", "IT"),
        ("participation", "IT"),
    }


def test_a_flattened_pipe_table_keeps_its_rows(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The projects are: Project | Coordinator | Members | "
        "---|---|---| Military Mobility | Netherlands | Austria, Belgium | "
        "European Medical Command | Germany | Czechia and Spain |"
    )
    found = extracted(gazetteer, tmp_path, text)
    assert ("coordination", "NL", "pesco-military-mobility") in found
    assert {"AT", "BE", "NL"} <= set(states_of(found, "participation", "pesco-military-mobility"))
    assert {"CZ", "ES", "DE"} <= {
        s for (k, s, o) in found if k == "participation" and o.startswith("pesco-european-medical")
    }


def test_a_pipe_table_without_a_thing_column_gives_nothing(gazetteer, tmp_path):  # noqa: F811
    text = "Year | Lead nation | Budget |\n---|---|---|\n2019 | France | 12 |\n"
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] in ("coordination", "participation", "membership")]


def test_those_a_state_joins_are_members(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Iceland joins Britain, Denmark and Norway in the JEF.")
    assert set(states_of(found, "membership", "jef")) == {"IS", "GB", "DK", "NO"}
    assert set(states_of(found, "joining", "jef")) == {"IS"}


def test_followed_by_a_state_is_the_same_joining(gazetteer, tmp_path):  # noqa: F811
    text = "The Netherlands joined the EATC in 2010, followed by Spain a year later."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "eatc")) == {"NL", "ES"}


def test_embraced_by_the_ministers_of_a_list(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Intervention Initiative was embraced by the defence ministers of France, "
        "Spain and Estonia."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "e2i")) == {"FR", "ES", "EE"}


def test_a_list_of_contributors_to_a_battlegroup_takes_part(gazetteer, tmp_path):  # noqa: F811
    text = "The battlegroup in Latvia has three other contributing nations: Spain, Italy and Slovakia."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "efp-latvia")) == {"ES", "IT", "SK"}
    assert not states_of(found, "membership", "efp-latvia")


def test_a_bullet_after_a_closed_list_starts_another_item(gazetteer, tmp_path):  # noqa: F811
    text = "The partners are: • The EU member countries Finland, Malta and Sweden • The Switzerland"
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "eu")) == {"FI", "MT", "SE"}  # not Switzerland


@pytest.mark.parametrize(
    ("text", "state", "thing"),
    [
        (
            "NATO set up the battlegroup in Lithuania. Norway is contributing troops to the battlegroup.",
            "NO",
            "efp-lithuania",
        ),
        (
            "EUFOR Althea keeps the peace in Bosnia. Austria sends soldiers to the operation every year.",
            "AT",
            "eufor-althea",
        ),
        (
            "The EU Training Mission in Mali ended in 2024. Soldiers from Belgium served in the mission.",
            "BE",
            "eutm-mali",
        ),
        ("Croatia is a troop contributor to the battlegroup in Lithuania.", "HR", "efp-lithuania"),
        ("Portugal participates with a frigate in Operation Irini.", "PT", "eunavfor-irini"),
    ],
)
def test_taking_part_by_what_a_state_sends(gazetteer, tmp_path, text, state, thing):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert ("participation", state, thing) in found
    assert ("membership", state, thing) not in found


def test_a_description_does_not_reach_back_over_paragraphs(gazetteer, tmp_path):  # noqa: F811
    filler = "The weather in the region was calm for most of the year, and nothing else happened. " * 10
    text = f"EUFOR Althea keeps the peace in Bosnia.\n\n{filler}\n\nAustria sends soldiers to the operation."
    found = extracted(gazetteer, tmp_path, text)
    assert ("participation", "AT", "eufor-althea") not in found
