"""`make fuzz`: the property tests and the schemathesis run with the `fuzz` profile (1,500
examples per property, against 40 in the suite), then a count of inputs tried, crashes, 5xx
answers and whether the stored data stayed unchanged.

    python -m tests.fuzz [--examples N] [pytest options...]
"""

from __future__ import annotations

import argparse
import os
import sys

import pytest

MODULES = ["tests/test_fuzz_parsers.py", "tests/test_fuzz_api.py"]


class Outcome:
    """Collects failures (crashes and 5xx: any failing property or schemathesis case)."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed:
            self.failed.append(report.nodeid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=None, help="Examples per property (default 1,500).")
    args, rest = parser.parse_known_args(argv)
    if args.examples:
        os.environ["DEFENCE_KG_FUZZ_EXAMPLES"] = str(args.examples)  # read by tests/conftest.py
    outcome = Outcome()
    code = pytest.main(
        ["-q", "-p", "no:cacheprovider", "--hypothesis-profile=fuzz", *MODULES, *rest], [outcome]
    )
    from tests import test_fuzz_api, test_fuzz_parsers

    tried = test_fuzz_parsers.TRIED + test_fuzz_api.TRIED
    unchanged = tried.pop("store unchanged", 0)
    api_failures = [n for n in outcome.failed if "test_no_server_error" in n]
    print("\nfuzz run")
    for name, count in sorted(tried.items()):
        print(f"  {name:34} {count:>8,} inputs")
    print(f"  {'total':34} {sum(tried.values()):>8,} inputs")
    print(f"  crashes (failing properties)       {len(outcome.failed) - len(api_failures):>8}")
    print(f"  5xx answers (failing API cases)    {len(api_failures):>8}")
    print(
        f"  stored data unchanged              {'yes' if unchanged == 2 else 'NO'} "
        f"({unchanged} of 2 stores checked)"
    )
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
