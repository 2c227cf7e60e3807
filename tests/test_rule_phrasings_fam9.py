"""Phrasing families of issue #13's ninth pass, on short texts written for the test: lines under a
lead-in with no colon, signatories named in a list head, founders and later joiners of a thing
the sentence describes, signing between framework and sponsoring nations, battlegroups named by
their host, contributors after a colon and bracketed lists named afterwards. Each family has a
near miss that must not fire."""

from __future__ import annotations

from .test_rule_families import extracted, gazetteer  # noqa: F401  (the module-scoped fixture)
from .test_rule_phrasings import states_of

PFP = "The Partnership for Peace is a NATO programme. The Partnership for Peace began in 1994.\n\n"


def test_lines_under_a_lead_in_belong_to_what_it_says(gazetteer, tmp_path):  # noqa: F811
    text = (
        PFP + "Among the countries that have signed up to the programme\n\n"
        "  • The former Soviet republics of Belarus, Georgia and Moldova\n"
        "  • The EU countries, Austria, Ireland and Malta\n"
        "  • The Switzerland\n\nMore follows."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "pfp")) == {"BY", "GE", "MD", "AT", "IE", "MT", "CH"}
    assert set(states_of(found, "membership", "pfp")) >= {"BY", "CH", "MT"}
    assert set(states_of(found, "membership", "eu")) == {"AT", "IE", "MT"}  # the line's group


def test_lines_under_a_lead_in_that_says_no_belonging_give_nothing(gazetteer, tmp_path):  # noqa: F811
    text = (
        PFP + "Among the countries whose officers visited the exercise\n\n"
        "  • The former Soviet republics of Belarus, Georgia and Moldova\n"
        "  • The Switzerland\n\nMore follows."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "joining", "pfp") and not states_of(found, "membership", "pfp")


def test_lines_that_say_more_than_their_states_are_no_list(gazetteer, tmp_path):  # noqa: F811
    text = (
        PFP + "Among the countries that have signed the framework document\n\n"
        "  • Georgia, whose president praised the exercise\n"
        "  • Moldova\n\nMore follows."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert "MD" not in states_of(found, "joining", "pfp")  # one line is prose: no list of lines


def test_signatory_states_in_a_head_naming_another_thing(gazetteer, tmp_path):  # noqa: F811
    text = PFP + "Eleven former signatory states have since joined the EU: Estonia, Latvia and Poland."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "eu")) == {"EE", "LV", "PL"}
    assert set(states_of(found, "joining", "pfp")) == {"EE", "LV", "PL"}  # they signed the programme


def test_signatory_states_of_a_named_thing_are_not_the_subjects(gazetteer, tmp_path):  # noqa: F811
    text = PFP + "Three signatory states of the treaty have since joined the EU: Estonia, Latvia and Poland."
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "joining", "pfp")  # "signatory states of the treaty": another text


def test_a_described_initiative_embraced_by_ministers(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Intervention Initiative was announced in 2017. Proposed in Paris, the "
        "initiative was embraced by the defence ministers of Belgium, Estonia and Portugal."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "e2i")) == {"BE", "EE", "PT"}


def test_a_described_initiative_discussed_by_ministers_is_no_joining(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The European Intervention Initiative was announced in 2017. In Paris, the initiative "
        "was discussed by the defence ministers of Belgium, Estonia and Portugal."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "joining", "e2i")


def test_inaugurated_by_its_founding_members(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The MMF was inaugurated on 3 May 2016 by the two founding members, Luxembourg and the Netherlands."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "mmf")) == {"LU", "NL"}
    assert set(states_of(found, "coordination", "mmf")) == {"LU", "NL"}


def test_inaugurated_by_a_minister_is_no_founding(gazetteer, tmp_path):  # noqa: F811
    text = "The MMF base was inaugurated on 3 May 2016 by the Defence Minister of Luxembourg."
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "joining", "mmf") and not states_of(found, "coordination", "mmf")


def test_founded_by_states_then_it(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Eurocorps is a multinational corps based in Strasbourg. Founded by France and Germany "
        "in 1992, it now draws on troops from several nations."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "eurocorps")) == {"FR", "DE"}
    assert found[("coordination", "FR", "eurocorps")].date == "1992"


def test_founded_by_states_then_another_subject(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Eurocorps is a multinational corps based in Strasbourg. Founded by France and Germany "
        "in 1963, the friendship treaty is still in force."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "coordination", "eurocorps")  # the clause describes the treaty


def test_joined_the_unit_followed_by(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Eurocorps is a multinational corps based in Strasbourg. "
        "Luxembourg joined the unit in 1996, followed by Poland."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {"LU", "PL"} <= set(states_of(found, "joining", "eurocorps"))


def test_joined_the_talks_followed_by_is_no_joining(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Eurocorps is a multinational corps based in Strasbourg. "
        "Luxembourg joined the talks in 1996, followed by Poland."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert "PL" not in states_of(found, "joining", "eurocorps")


def test_a_memorandum_signed_between_framework_and_sponsoring_nations(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Hybrid CoE opened in Helsinki. In 2017 the memorandum was signed between Finland as "
        "Framework Nation and Sweden, Norway and Latvia acting as Sponsoring Nations."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "hybrid-coe")) == {"FI", "SE", "NO", "LV"}
    assert set(states_of(found, "coordination", "hybrid-coe")) == {"FI"}


def test_talks_between_framework_and_sponsoring_nations_are_no_joining(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The Hybrid CoE opened in Helsinki. In 2017 talks were held between Finland as "
        "Framework Nation and Sweden, Norway and Latvia acting as Sponsoring Nations."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "joining", "hybrid-coe")


def test_contributing_nations_of_a_battlegroup_its_host_names(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Germany is the framework nation for the multinational NATO battlegroup deployed to "
        "Lithuania, with Belgium, Norway and the Netherlands as contributing nations."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "efp-lithuania")) == {"BE", "NO", "NL"}
    assert not states_of(found, "membership", "nato-forward-presence")


def test_the_framework_nation_for_a_sized_battlegroup(gazetteer, tmp_path):  # noqa: F811
    text = "Germany is the framework nation for the battalion-size battlegroup in Lithuania."
    found = extracted(gazetteer, tmp_path, text)
    assert ("coordination", "DE", "efp-lithuania") in found


def test_contributing_nations_after_a_colon_with_troop_numbers(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Poland hosts the NATO battlegroup in Poland. The US-led battle group numbers about 1,100 "
        "troops, with three other contributing nations: Britain (150 troops), Croatia (70) and Romania (120)."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "participation", "efp-poland")) == {"GB", "HR", "RO"}


def test_contributing_nations_of_an_organisation_are_no_participation(gazetteer, tmp_path):  # noqa: F811
    text = "NATO counts many contributing nations: Britain (150 troops), Croatia (70) and Romania (120)."
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] == "participation"]


def test_a_bracketed_list_known_as_a_group(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The presidents of four Central European countries (Czechia, Hungary, Poland and Slovakia), "
        "known as the Visegrad Group, met in Prague."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "visegrad-group")) == {"CZ", "HU", "PL", "SK"}


def test_a_bracketed_list_known_for_something_names_no_group(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The presidents of four Central European countries (Czechia, Hungary, Poland and Slovakia), "
        "known for their support of the Visegrad Group, met in Prague."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "membership", "visegrad-group")


def test_signatory_states_of_the_programme_named_most_when_nato_dominates(gazetteer, tmp_path):  # noqa: F811
    text = (
        "NATO set up the Partnership for Peace. NATO runs it; NATO chairs it. "
        "Ten former signatory states have now joined NATO: Estonia, Latvia and Poland."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "pfp")) == {"EE", "LV", "PL"}


def test_respectively_pairs_leaders_with_the_hosts_of_the_sentence_before(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The mission has three battle groups based in Estonia, Latvia and Lithuania. "
        "These battle groups are led by Britain, Canada and Germany, respectively."
    )
    found = extracted(gazetteer, tmp_path, text)
    leads = {(s, o) for kind, s, o in found if kind == "coordination"}
    assert {("GB", "efp-estonia"), ("CA", "efp-latvia"), ("DE", "efp-lithuania")} <= leads


def test_respectively_without_hosts_before_pairs_nothing(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The mission trained soldiers from Estonia, Latvia and Lithuania. "
        "These battle groups are led by Britain, Canada and Germany, respectively."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] == "coordination" and k[1] in {"GB", "CA", "DE"}]


def test_these_allies_are_the_states_listed_before(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Germany leads the NATO battlegroup in Lithuania, with Belgium, Norway and the Netherlands "
        "as contributing nations. These Allies send troops to Lithuania on a rotational basis."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert {"BE", "NO", "NL"} <= set(states_of(found, "membership", "nato"))


def test_allies_of_another_power_are_no_nato_members(gazetteer, tmp_path):  # noqa: F811
    text = (
        "Russia held talks with Belarus, Armenia and Kazakhstan in Minsk. "
        "These Allies of Moscow signed a declaration."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "membership", "nato")


def test_a_name_used_before_2019_and_the_visegrad_cooperation(gazetteer, tmp_path):  # noqa: F811
    found = extracted(gazetteer, tmp_path, "Macedonia joined the Partnership for Peace in 1995.")
    assert ("joining", "MK", "pfp") in found
    text = (
        "The ministers of the Visegrád Cooperation countries – Czechia, Hungary, Poland and Slovakia – met."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "visegrad-group")) == {"CZ", "HU", "PL", "SK"}


def test_holding_the_presidency_leads(gazetteer, tmp_path):  # noqa: F811
    text = (
        "The ministers met in Budapest with Slovakia, which is currently holding the presidency "
        "of the Visegrad Group."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert ("coordination", "SK", "visegrad-group") in found


def test_expected_to_enter_the_alliance_is_a_hedged_joining(gazetteer, tmp_path):  # noqa: F811
    text = "The ministers met Albania and Croatia, who are expected to enter NATO at a summit in April."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "nato")) == {"AL", "HR"}
    # "are expected to" is hedged (reported; planned when the text dates it after the document)
    assert {r.modality for r in states_of(found, "joining", "nato").values()} <= {"planned", "reported"}


def test_entering_into_force_is_no_joining(gazetteer, tmp_path):  # noqa: F811
    text = "The NATO agreement with Finland and Sweden entered into force in 2024."
    found = extracted(gazetteer, tmp_path, text)
    assert not [k for k in found if k[0] == "joining"]


def test_allies_from_a_list_are_nato_members(gazetteer, tmp_path):  # noqa: F811
    text = "The exercise was hosted by Latvia, and Allies from Canada, Italy and Spain took part in it."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "membership", "nato")) >= {"CA", "IT", "ES"}


def test_allies_opening_a_sentence_with_no_nato_around_are_no_members(gazetteer, tmp_path):  # noqa: F811
    text = "Allies from Serbia, Belarus and Armenia attended the parade in Moscow."
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "membership", "nato")


def test_states_that_launched_a_thing_lead_and_join_it(gazetteer, tmp_path):  # noqa: F811
    text = "Luxembourg and the Netherlands launched the MMF in 2016."
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "mmf")) == {"LU", "NL"}
    assert set(states_of(found, "coordination", "mmf")) == {"LU", "NL"}
    assert found[("joining", "LU", "mmf")].date == "2016"
    text = (
        "The European Intervention Initiative meets in Paris. "
        "France and Estonia initially launched the initiative in 2018."
    )
    found = extracted(gazetteer, tmp_path, text)
    assert set(states_of(found, "joining", "e2i")) == {"FR", "EE"}


def test_talks_with_states_that_launched_a_thing_name_no_founder(gazetteer, tmp_path):  # noqa: F811
    text = "After talks with Luxembourg and the Netherlands launched the MMF in 2016, Norway waited."
    found = extracted(gazetteer, tmp_path, text)
    assert not states_of(found, "joining", "mmf") and not states_of(found, "coordination", "mmf")


def test_an_organisation_deploying_battlegroups_in_host_states_leads_them(gazetteer, tmp_path):  # noqa: F811
    text = "In 2022 NATO reacted to the war in Ukraine by deploying new battlegroups in Hungary and Romania."
    found = extracted(gazetteer, tmp_path, text)
    leads = {o for kind, s, o in found if kind == "coordination" and s == "nato"}
    assert {"nato-battlegroup-hungary", "nato-battlegroup-romania"} <= leads


def test_a_state_deploying_battlegroups_is_not_the_organisation(gazetteer, tmp_path):  # noqa: F811
    text = "NATO said that Germany has deployed battlegroups in Hungary and Romania."
    found = extracted(gazetteer, tmp_path, text)
    assert not {o for kind, s, o in found if kind == "coordination" and s == "nato"}
