"""Data-file reading: the fast and the line-aware parser agree; partial dates; YAML 1.2 scalars."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from pydantic import ValidationError

from defence_kg.data import bundled_data_dir
from defence_kg.loaders.datafile import _FastLoader, read_yaml
from defence_kg.loaders.reference import FILES
from defence_kg.loaders.schema import MemberEntry, PartialDate, SourcesFile, State


@pytest.mark.parametrize("kind", sorted(FILES))
def test_fast_and_line_aware_parsers_give_the_same_model(kind):
    name, model = FILES[kind]
    path = bundled_data_dir() / name
    fast = model.model_validate(yaml.load(path.read_bytes(), Loader=_FastLoader))
    assert fast == model.model_validate(read_yaml(path))


def test_sources_files_agree_too():
    for path in (bundled_data_dir() / "sources").glob("*.yaml"):
        fast = SourcesFile.model_validate(yaml.load(path.read_bytes(), Loader=_FastLoader))
        assert fast == SourcesFile.model_validate(read_yaml(path))


def test_norway_stays_norway():
    assert yaml.load("code: NO\nflag: yes\nok: true", Loader=_FastLoader) == {
        "code": "NO",
        "flag": "yes",
        "ok": True,
    }


@pytest.mark.parametrize(
    ("text", "value", "precision", "shown"),
    [
        ("2023-05-23", dt.date(2023, 5, 23), "day", "2023-05-23"),
        ("2017-06", dt.date(2017, 6, 1), "month", "2017-06"),
        ("2021", dt.date(2021, 1, 1), "year", "2021"),
    ],
)
def test_partial_dates(text, value, precision, shown):
    entry = MemberEntry.model_validate({"member": "DK", "from": text})
    assert entry.from_ == PartialDate(value=value, precision=precision)
    assert str(entry.from_) == shown


@pytest.mark.parametrize("text", ["2023-02-30", "23-05-2023", "May 2023", "2023-13"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValidationError, match="date"):
        MemberEntry.model_validate({"member": "DK", "from": text})


def test_a_source_listed_twice_in_a_fact_is_refused():
    with pytest.raises(ValidationError, match="listed twice"):
        State.model_validate({"iso2": "DK", "name": "Denmark", "sources": ["a", "a"]})
