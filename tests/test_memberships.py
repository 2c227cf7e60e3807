"""As-of-date membership answers over the real reference data.

Expected values come from the official sources cited in ../shared/notes/reference-facts.md
(nato.int accession pages, EU accession treaties, Council Decisions 2017/2315 and 2023/1015).
"""

from __future__ import annotations

import datetime as dt

import pytest

from defence_kg.graph.analysis import lookup

pytestmark = pytest.mark.needs("sparql")  # the API and lookups are SPARQL

NATO_FOUNDERS = {"BE", "CA", "DK", "FR", "IS", "IT", "LU", "NL", "NO", "PT", "GB", "US"}
PESCO_2017 = {
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IT",
    "LT",
    "LU",
    "LV",
    "NL",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
}


def ids(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows}


def members_on(store, org: str, day: str, role: str | None = None) -> set[str]:
    return ids(lookup.members(store, org, dt.date.fromisoformat(day), role))


def test_nato_grew_from_30_to_32_with_finland_and_sweden(store):
    before = members_on(store, "nato", "2022-01-01")
    after = members_on(store, "nato", "2024-06-01")
    assert len(before) == 30
    assert len(after) == 32
    assert after - before == {"FI", "SE"}


def test_nato_founders_on_the_day_the_treaty_entered_into_force(store):
    assert members_on(store, "nato", "1949-08-24") == NATO_FOUNDERS
    assert members_on(store, "nato", "1949-08-23") == set()


def test_nato_accession_day_is_included(store):
    assert "FI" in members_on(store, "nato", "2023-04-04")
    assert "FI" not in members_on(store, "nato", "2023-04-03")


def test_pesco_before_and_after_denmark(store):
    before = members_on(store, "pesco", "2023-05-22")
    after = members_on(store, "pesco", "2023-05-23")
    assert before == PESCO_2017
    assert after == PESCO_2017 | {"DK"}
    assert "MT" not in after


def test_eu_exit_of_the_united_kingdom(store):
    assert "GB" in members_on(store, "eu", "2020-01-31")
    assert "GB" not in members_on(store, "eu", "2020-02-01")
    assert len(members_on(store, "eu", "2020-02-01")) == 27
    assert len(members_on(store, "eu", "2019-12-31")) == 28


def test_eu_not_nato_and_nato_not_eu(store):
    today = dt.date.today().isoformat()
    eu, nato = members_on(store, "eu", today), members_on(store, "nato", today)
    assert eu - nato == {"AT", "CY", "IE", "MT"}
    assert nato - eu == {"AL", "CA", "GB", "IS", "ME", "MK", "NO", "TR", "US"}
    # before Finland joined NATO it was among the EU states outside the alliance
    eu22, nato22 = members_on(store, "eu", "2022-01-01"), members_on(store, "nato", "2022-01-01")
    assert eu22 - nato22 == {"AT", "CY", "FI", "IE", "MT", "SE"}


def test_without_date_past_memberships_are_listed_with_their_dates(store):
    rows = lookup.members(store, "eu")
    gb = [r for r in rows if r["id"] == "GB"]
    assert gb and gb[0]["from"] == "1973-01-01" and gb[0]["to"] == "2020-01-31"


def test_every_membership_has_a_source(store):
    query = """
    PREFIX org: <http://www.w3.org/ns/org#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    SELECT (COUNT(?m) AS ?n) WHERE { ?m a org:Membership FILTER NOT EXISTS { ?m prov:wasDerivedFrom ?s } }"""
    assert store.select(query).rows[0]["n"] == 0
    for row in lookup.members(store, "pesco"):
        assert row["sources"], row


def test_military_mobility_third_states_with_their_decisions(store):
    rows = lookup.members(store, "pesco-military-mobility", role="third_state_participant")
    by_state = {r["id"]: r for r in rows}
    assert {"CA", "NO", "US", "GB"} <= set(by_state)
    assert by_state["US"]["from"] == "2021-05-06"
    assert any(s["id"] == "cfsp-2021-750" for s in by_state["US"]["sources"])
    assert by_state["GB"]["from"] == "2022-11-14"
    coordinators = ids(lookup.members(store, "pesco-military-mobility", role="coordinator"))
    assert coordinators == {"NL"}


def test_memberships_seen_from_the_member(store):
    rows = lookup.memberships(store, "DK", dt.date(2023, 6, 1))
    organisations = {r["organisation"] for r in rows}
    assert {"eu", "nato", "pesco", "eda"} <= organisations
    rows = lookup.memberships(store, "DK", dt.date(2022, 6, 1))
    assert "pesco" not in {r["organisation"] for r in rows}


def test_reduced_precision_dates_keep_their_precision(store):
    rows = lookup.members(store, "jef")
    assert any(len(r["from"]) == 7 for r in rows), "JEF joiners known only to the month"


@pytest.mark.parametrize("role", ["coordinator", "observer"])
def test_role_filter_returns_only_that_role(store, role):
    rows = lookup.members(store, "pesco-eufor-crisis-response-operation-core", role=role)
    assert rows and {r["role"] for r in rows} == {role}


def test_edf_participants_cite_their_project_record(store):
    rows = lookup.members(store, "edf-101121456")
    coordinators = [r for r in rows if r["role"] == "coordinator"]
    assert len(coordinators) == 1 and coordinators[0]["type"] == "Company"
    for row in rows:
        [source] = row["sources"]
        assert source["id"] == "edf-record-101121456"
        assert source["url"].endswith("/101121456")
    query = """
    PREFIX dcterms: <http://purl.org/dc/terms/>
    SELECT ?export WHERE { <https://w3id.org/defence-kg/id/source/edf-record-101121456>
                           dcterms:isPartOf/dcterms:identifier ?export }"""
    assert store.select(query).rows == [{"export": "eu-funding-tenders-edf"}]
