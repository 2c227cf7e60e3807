"""Phrasing families of issue #13's eleventh pass, on short texts written for the test: a counted
group named in the next sentence ("has five members. They are ..."), a role opening the next
sentence ("Contributors include ..."), enlargements "to include" in prose and timeline lines,
and further signed documents. Each family has a near miss that must not fire."""

from __future__ import annotations

import pytest

from .test_rule_families import extracted, gazetteer  # noqa: F401  (the module-scoped fixture)
from .test_rule_phrasings import states_of


@pytest.mark.parametrize(
    ("text", "obj", "states"),
    [
        (
            "The Nordic Defence Cooperation has five members. They are Denmark, Finland, Iceland, "
            "Norway and Sweden.",
            "nordefco",
            {"DK", "FI", "IS", "NO", "SE"},
        ),
        (
            "The Joint Expeditionary Force is a UK-led coalition of ten nations. These include "
            "Denmark, Finland, Estonia and Norway.",
            "jef",
            {"DK", "FI", "EE", "NO"},
        ),
        ("NATO now has 32 members. Among them are Finland and Sweden.", "nato", {"FI", "SE"}),
        (
            "The Visegrad Group counts four countries. The four are Czechia, Hungary, Poland and Slovakia.",
            "visegrad-group",
            {"CZ", "HU", "PL", "SK"},
        ),
    ],
)
def test_a_counted_group_named_in_the_next_sentence(gazetteer, tmp_path, text, obj, states):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", obj)) == states


def test_a_count_of_states_that_signed_gives_joinings_with_the_date(gazetteer, tmp_path):  # noqa: F811
    text = (
        "In October 2022, fourteen nations signed the letter of intent for the European Sky "
        "Shield Initiative. They include Germany, Latvia and Hungary."
    )
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "essi")
    assert set(joined) == {"DE", "LV", "HU"}
    assert {r.date for r in joined.values()} == {"2022-10"}
    assert {r.method for r in joined.values()} == {"counted-then-named"}


def test_the_founders_counted_by_the_passive(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Intervention Initiative was launched in 2018 by nine countries. The nine "
        "are Belgium, Denmark, Estonia, France, Germany, the Netherlands, Portugal, Spain and the UK."
    )
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "e2i")
    assert set(joined) == {"BE", "DK", "EE", "FR", "DE", "NL", "PT", "ES", "GB"}


def test_a_counted_wish_stays_a_wish(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Three more countries want to join the European Sky Shield Initiative. They are Austria, "
        "Switzerland and Ireland."
    )
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "essi")
    assert set(joined) == {"AT", "CH", "IE"}
    assert {r.modality for r in joined.values()} == {"intended"}


def test_a_counted_group_of_states_that_are_not_members_is_negated(gazetteer, tmp_path):  # noqa: F811
    text = "Four EU member states are not members of NATO. These are Austria, Ireland, Malta and Cyprus."
    found = extracted(gazetteer, tmp_path, text)
    assert {r.modality for r in states_of(found, "membership", "nato").values()} == {"negated"}
    assert {r.modality for r in states_of(found, "membership", "eu").values()} == {"asserted"}


def test_contributors_counted_for_an_operation_take_part(gazetteer, tmp_path):  # noqa: F811
    text = (
        "EUFOR Althea has been supported by contributions from 20 states. These are Austria, "
        "Bulgaria, Czechia and Slovenia."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eufor-althea")) == {"AT", "BG", "CZ", "SI"}


@pytest.mark.parametrize(
    "text",
    [
        # the count belongs to no thing: a meeting, a summit
        "The summit in Paris drew 30 countries. They included Poland and Spain.",
        "Officials from nine countries attended a meeting of the European Intervention "
        "Initiative. They were Belgium, Denmark and Estonia.",
        # no count and no role: "They are" says nothing of belonging
        "The European Intervention Initiative met in Paris. They are Belgium and Denmark.",
        # the list is not at the opening of the sentence
        "NATO now has 32 members. Of those, officials praised Finland and Sweden.",
    ],
)
def test_a_next_sentence_without_a_counted_thing_gives_nothing(gazetteer, tmp_path, text):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] in ("membership", "joining", "participation")]


def test_a_role_opening_the_next_sentence_refers_to_its_subject(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Operation Atalanta involves several EU member states. Contributors include Spain, Italy and France."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eunavfor-atalanta")) == {"ES", "IT", "FR"}


def test_the_latest_to_join_are_joinings(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Sky Shield Initiative now counts 24 participating states. The latest to "
        "join were Denmark and Greece."
    )
    assert set(states_of(extracted(gazetteer, tmp_path, text), "joining", "essi")) == {"DK", "GR"}


@pytest.mark.parametrize(
    ("text", "obj", "date", "states"),
    [
        (
            "The European Union was enlarged in 1973 to include Denmark, Ireland and the United Kingdom.",
            "eu",
            "1973",
            {"DK", "IE", "GB"},
        ),
        (
            "NATO expanded in 1999 to include Poland, Hungary and the Czech Republic.",
            "nato",
            "1999",
            {"PL", "HU", "CZ"},
        ),
    ],
)
def test_an_enlargement_to_include_states(gazetteer, tmp_path, text, obj, date, states):  # noqa: F811
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", obj)
    assert set(joined) == states
    assert {r.date for r in joined.values()} == {date}


def test_timeline_lines_to_include_states_under_a_lead_in(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Union grew in waves.\n\n"
        "  • 1973 – to include Denmark, Ireland and the United Kingdom;\n"
        "  • 1981 – to include Greece;\n"
        "  • 1986 – to include Portugal and Spain.\n\nMore follows."
    )
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "eu")
    assert {s: r.date for s, r in joined.items()} == {
        "DK": "1973",
        "IE": "1973",
        "GB": "1973",
        "GR": "1981",
        "PT": "1986",
        "ES": "1986",
    }


@pytest.mark.parametrize(
    "text",
    [
        # what grew is no thing of the graph: an exercise, a mandate
        "The exercise grew in 2023 to include Sweden and Finland.",
        "The mandate of the operation was extended in 2022 to include Italy and Spain as observers.",
        # timeline lines with no lead-in that says anything grew
        "The European Union met often.\n\n  • 1973 – to include Denmark;\n  • 1981 – to include Greece.",
    ],
)
def test_to_include_without_a_growing_thing_gives_nothing(gazetteer, tmp_path, text):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] in ("membership", "joining")]


def test_a_signed_technical_arrangement_is_a_joining(gazetteer, tmp_path):  # noqa: F811
    text = "Romania signed a technical arrangement on the European Sky Shield Initiative in 2024."
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "essi")
    assert set(joined) == {"RO"} and joined["RO"].date == "2024"


def test_a_technical_arrangement_only_discussed_is_no_joining(gazetteer, tmp_path):  # noqa: F811
    text = "Romania discussed a technical arrangement on the European Sky Shield Initiative in 2024."
    assert not states_of(extracted(gazetteer, tmp_path, text), "joining", "essi")


def counts_of(gazetteer, tmp_path, text: str) -> set[tuple[str, float]]:  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    return {(s, r.value) for (k, s, _), r in found.items() if k == "count"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The foreign ministers of 25 EU countries officially launched PESCO in Brussels.", ("pesco", 25)),
        ("Nine European countries decided to join the European Intervention Initiative.", ("e2i", 9)),
        (
            "In 2014 two nations joined the EATC. This brings the total number of EATC Nations to 7.",
            ("eatc", 7),
        ),
        ("With Sweden, the number of members of NATO rose to 32.", ("nato", 32)),
    ],
)
def test_a_count_belongs_to_what_its_states_act_on(gazetteer, tmp_path, text, expected):  # noqa: F811
    assert expected in counts_of(gazetteer, tmp_path, text)


def test_a_qualified_count_of_states_is_not_the_qualifiers_count(gazetteer, tmp_path):  # noqa: F811
    found = counts_of(
        gazetteer, tmp_path, "The European Union met in Brussels. Then 25 EU countries met in Luxembourg."
    )
    assert ("eu", 25) not in found
    # "participating" states are the subject's: PESCO's framework among its 25 states
    text = (
        "PESCO was set up in 2017. PESCO is a pillar of the Union. It binds all of the 25 participating "
        "EU member states."
    )
    assert ("pesco", 25) in counts_of(gazetteer, tmp_path, text)


def test_the_number_of_soldiers_is_no_count_of_members(gazetteer, tmp_path):  # noqa: F811
    text = "The number of soldiers in the EU Rapid Deployment Capacity rose to 5000."
    assert not {v for _, v in counts_of(gazetteer, tmp_path, text)} & {5000}


def test_members_followed_by_dated_runs(gazetteer, tmp_path):  # noqa: F811
    text = (
        "NATO was founded in 1949. In 1982, Spain became a member, followed by Czechia, Hungary and "
        "Poland in 1999, and Estonia, Latvia and Slovenia in 2004."
    )
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "nato")
    assert {s: r.date for s, r in joined.items()} == {
        "ES": "1982",  # its own date, not the followers'
        "CZ": "1999",
        "HU": "1999",
        "PL": "1999",
        "EE": "2004",
        "LV": "2004",
        "SI": "2004",
    }


def test_followed_by_after_no_joining_gives_nothing(gazetteer, tmp_path):  # noqa: F811
    text = (
        "NATO was founded in 1949. In 1982, Spain hosted a summit, followed by Czechia and Hungary in 1999."
    )
    assert not states_of(extracted(gazetteer, tmp_path, text), "joining", "nato")


def test_accessions_named_by_their_noun(gazetteer, tmp_path):  # noqa: F811
    text = (
        "NATO grew. NATO's first expansion included the accessions of Greece and Turkey in 1952 and "
        "Germany in 1955. The accession of Croatia to the European Union in 2013 followed."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {s: r.date for s, r in states_of(found, "joining", "nato").items()} == {
        "GR": "1952",
        "TR": "1952",
        "DE": "1955",
    }
    assert states_of(found, "joining", "eu")["HR"].date == "2013"


@pytest.mark.parametrize(
    "text",
    [
        "Hungary blocked the accession of Sweden to NATO for months.",
        "The talks on the accession of Ukraine to the European Union went on.",
    ],
)
def test_a_step_towards_an_accession_is_no_joining(gazetteer, tmp_path, text):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] == "joining" and k[2] in ("nato", "eu") and k[1] in ("SE", "UA")]


EUROCORPS = "Eurocorps is a multinational corps. It was founded in 1992 by France and Germany.\n\n"


def test_a_list_after_a_spaced_hyphen(gazetteer, tmp_path):  # noqa: F811
    text = EUROCORPS + "There are also five associated nations - Austria, Greece, Türkiye, Italy, and Romania"
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "eurocorps")) >= {"AT", "GR", "TR", "IT", "RO"}


def test_a_hyphenated_word_opens_no_list(gazetteer, tmp_path):  # noqa: F811
    text = (
        EUROCORPS
        + "The corps trains with non-EU states, Norway-Sweden exercises and Austria, Greece and Italy."
    )
    assert not {"AT", "GR", "IT"} & set(
        states_of(extracted(gazetteer, tmp_path, text), "membership", "eurocorps")
    )


def test_a_member_of_what_the_paragraph_is_about(gazetteer, tmp_path):  # noqa: F811
    text = EUROCORPS + "Finland was an associated member from 2002 to 2006. Czechia isn't a member."
    members = states_of(extracted(gazetteer, tmp_path, text), "membership", "eurocorps")
    assert members["FI"].date == "2002" and members["FI"].modality == "asserted"
    assert members["CZ"].modality == "negated"


def test_a_member_of_parliament_is_no_member_of_the_paragraphs_thing(gazetteer, tmp_path):  # noqa: F811
    text = (
        EUROCORPS
        + "Finland was a member of parliament's delegation in 2004. Its minister became a member in 2005."
    )
    assert "FI" not in states_of(extracted(gazetteer, tmp_path, text), "membership", "eurocorps")


def test_an_initiative_by_states_is_led_and_joined_by_them(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Air Transport Command opens on 1 September 2010. Aim of this new multinational "
        "initiative by Belgium, France, Germany and the Netherlands is to pool air transport."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "eatc")) == {"BE", "FR", "DE", "NL"}
    assert set(states_of(found, "coordination", "eatc")) == {"BE", "FR", "DE", "NL"}


def test_an_initiative_welcomed_by_states_is_not_theirs(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Air Transport Command opens on 1 September 2010. The initiative was welcomed "
        "by Belgium and France; a study by Germany followed."
    )
    assert not states_of(extracted(gazetteer, tmp_path, text), "coordination", "eatc")


def test_order_of_battle_lines_take_part_in_the_operation(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Operation Atalanta fights piracy off Somalia.\n\nList of ships and aircraft present in the area:\n\n"
        "Netherlands : the frigate Evertsen took over on 3 August as flagship.\n\n"
        "Spain – two maritime patrol aircraft based in Djibouti.\n"
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eunavfor-atalanta")) == {"NL", "ES"}


def test_lines_naming_ships_with_no_operation_give_nothing(gazetteer, tmp_path):  # noqa: F811
    text = "The navy review in 2009.\n\nNetherlands : the frigate Evertsen sailed past.\n"
    assert not [k for k in extracted(gazetteer, tmp_path, text) if k[0] == "participation"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Eurocorps is a European army of about 60.000 troops.", ("eurocorps", 60000)),
        ("The Eurocorps has five framework nations.", ("eurocorps", 5)),
    ],
)
def test_counts_written_the_continental_way_and_of_framework_nations(gazetteer, tmp_path, text, expected):  # noqa: F811
    found = counts_of(gazetteer, tmp_path, text)
    assert expected in found and ("eurocorps", 0) not in found


IRINI = "Operation Irini began in 2020 off the coast of Libya.\n\n"


def test_ships_provided_by_states_for_the_described_operation(gazetteer, tmp_path):  # noqa: F811
    text = (
        IRINI + "Initially, the operation has three ships – provided by France, Greece and Italy –, and "
        "a boarding team provided by Malta."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eunavfor-irini")) == {"FR", "GR", "IT", "MT"}


def test_contingents_provided_by_states_in_a_text_about_one_operation(gazetteer, tmp_path):  # noqa: F811
    text = IRINI + "The largest contingents are provided by Austria, Hungary and Slovenia."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eunavfor-irini")) == {"AT", "HU", "SI"}


def test_what_states_provide_that_is_no_contribution_gives_nothing(gazetteer, tmp_path):  # noqa: F811
    text = IRINI + "The study was provided by Austria and Hungary. A loan was sent by Slovenia."
    assert not states_of(extracted(gazetteer, tmp_path, text), "participation", "eunavfor-irini")


@pytest.mark.parametrize(
    "sentence",
    [
        "Poland and Spain have sent personnel to the General Staff of the operation.",
        "Poland and Spain contribute two frigates and a patrol aircraft.",
    ],
)
def test_states_sending_to_the_operation_take_part(gazetteer, tmp_path, sentence):  # noqa: F811
    found = extracted(gazetteer, tmp_path, IRINI + sentence)
    assert set(states_of(found, "participation", "eunavfor-irini")) == {"PL", "ES"}


def test_sending_with_no_operation_in_reach_gives_nothing(gazetteer, tmp_path):  # noqa: F811
    text = "The navy review was held in 2009.\n\nPoland and Spain contribute two frigates."
    assert not [k for k in extracted(gazetteer, tmp_path, text) if k[0] == "participation"]


E2I = "The idea of a European Intervention Initiative was first put forward by the French president.\n\n"


def test_the_alliance_before_nato_is_named_is_the_coalition(gazetteer, tmp_path):  # noqa: F811
    text = E2I + "His plans came one step closer after Norway and Finland joined the alliance."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "e2i")) == {"NO", "FI"}
    assert not states_of(found, "joining", "nato")


@pytest.mark.parametrize(
    "text",
    [
        E2I + "NATO was founded in 1949. Norway and Finland joined the alliance.",  # NATO named first
        E2I + "His plans came one step closer after Norway and Finland joined the Alliance.",  # NATO's word
    ],
)
def test_the_alliance_stays_nato_once_named_or_capitalised(gazetteer, tmp_path, text):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert "FI" in states_of(found, "joining", "nato") and "FI" not in states_of(found, "joining", "e2i")


def test_a_table_row_unknown_to_the_graph_is_keyed_by_one_spelling_of_battlegroup(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The declared groups are as follows:\n"
        "Battle group | Leading nation | Other participants* | Size |\n"
        "---|---|---|---|\n"
        "Battle Group 107 | Germany | Netherlands and Finland | 1500 |\n"
    )
    found = extracted(gazetteer, tmp_path, text)
    assert ("coordination", "DE", "?battlegroup-107") in found
    assert {"NL", "FI"} <= set(states_of(found, "participation", "?battlegroup-107"))


def test_a_possessive_whose_thing_the_graph_lacks_names_no_object(gazetteer, tmp_path):  # noqa: F811
    found = extracted(
        gazetteer, tmp_path, "US joins EU's legal mission to Kosovo. The talks went on for a year."
    )
    assert not states_of(found, "joining", "eu")
    # the possessed thing right after is still the object
    found = extracted(
        gazetteer, tmp_path, "Finland joined the alliance's Partnership for Peace programme in 1994."
    )
    assert "FI" in states_of(found, "joining", "pfp")


def test_a_cue_in_brackets_takes_no_object_after_them(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Mediterranean Dialogue was first launched in 1994.\n"
        "Algeria (joined in 2000 March) Egypt (joined in 1995 February) "
        "Individual Cooperation Programme (ICP) On 16 October 2006, Israel finalised its ICP."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {s: r.date for s, r in states_of(found, "joining", "mediterranean-dialogue").items()} == {
        "DZ": "2000",  # ("2000 March" is read for its year)
        "EG": "1995",
    }
    assert not states_of(found, "joining", "?icp")


@pytest.mark.parametrize(
    ("text", "battlegroup"),
    [
        ("The Romania NATO Battle Group has France as framework nation.", "nato-battlegroup-romania"),
        (
            "NATO adds battlegroups. The United States and Italy will join the Hungarian battlegroup.",
            "nato-battlegroup-hungary",
        ),
    ],
)
def test_a_battlegroup_named_by_its_host_before_the_noun(gazetteer, tmp_path, text, battlegroup):  # noqa: F811
    found = extracted(gazetteer, tmp_path, text)
    assert states_of(found, "participation", battlegroup)
    assert not [k for k in found if k[2].startswith("efp-")]


def test_states_counted_after_a_councils_decision_belong_to_what_it_invited_them_to(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The North Atlantic Council decided on 16 February to invite Algeria to join the Mediterranean "
        "Dialogue. Six countries are currently involved: Egypt, Israel, Jordan, Mauritania, Morocco and "
        "Tunisia."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {"EG", "IL", "JO", "MR", "MA", "TN"} <= set(
        states_of(found, "membership", "mediterranean-dialogue")
    )
    assert not states_of(found, "membership", "nac")


def test_a_list_under_troop_contributing_nations_takes_part(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Personnel from the troop contributing nations to EUFOR Althea received medals. The commander "
        "noted the large parade. Eleven of the Troop Contributing Nations were present: Albania, "
        "Austria, Chile, Finland and Hungary."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "eufor-althea")) == {"AL", "AT", "CL", "FI", "HU"}


def test_states_in_the_forward_presence_take_part_in_it(gazetteer, tmp_path):  # noqa: F811
    text = "Canada and Germany take part in NATO's enhanced Forward Presence."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "nato-forward-presence")) == {"CA", "DE"}
    assert not states_of(found, "membership", "nato-forward-presence")


def test_joined_besides_one_by_others(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Intervention Initiative was proposed in 2017. The initiative - based on two "
        "concepts - was joined, besides France, by Germany, the United Kingdom and Spain."
    )
    joined = states_of(extracted(gazetteer, tmp_path, text), "joining", "e2i")
    assert set(joined) == {"FR", "DE", "GB", "ES"}


def test_an_aside_with_a_state_that_is_no_besides_still_blocks(gazetteer, tmp_path):  # noqa: F811
    text = "The European Intervention Initiative was initiated by Germany in the wake of Russia's war."
    assert "RU" not in states_of(extracted(gazetteer, tmp_path, text), "joining", "e2i")


def test_a_format_described_then_its_states(gazetteer, tmp_path):  # noqa: F811
    text = (
        "NB8 (Nordic - Baltic Eight) is an informal (non-institutionalized) regional co-operation "
        "format that includes Denmark, Estonia, Finland and Iceland."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "nb8")) == {"DK", "EE", "FI", "IS"}


def test_a_format_that_includes_talks_with_states_gives_nothing(gazetteer, tmp_path):  # noqa: F811
    text = "NB8 is an informal format that includes talks with Denmark and Estonia."
    assert not states_of(extracted(gazetteer, tmp_path, text), "membership", "nb8")


def test_two_organisations_before_a_name_both_qualify_it(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Czech Republic joins EU/NATO MMF tanker group.")
    assert "CZ" in states_of(found, "joining", "mmf") and not states_of(found, "joining", "eu")


def test_a_formation_is_this_initiative(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Multinational Multi-Role Tanker Transport Fleet operates eight aircraft. This initiative "
        "was launched by the Netherlands and Luxembourg in 2016."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {s: r.date for s, r in states_of(found, "coordination", "mmf").items()} == {
        "NL": "2016",
        "LU": "2016",
    }


def test_a_list_for_the_forward_presence_named_before_takes_part(gazetteer, tmp_path):  # noqa: F811
    text = (
        "NATO's enhanced Forward Presence was set up in 2017. The framework nations are: Canada, "
        "Germany, the United Kingdom and the United States."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "nato-forward-presence")) == {"CA", "DE", "GB", "US"}
    assert not states_of(found, "membership", "nato-forward-presence")
