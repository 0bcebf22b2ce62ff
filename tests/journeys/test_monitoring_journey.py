"""Journey 4, in a real Chromium, in English: the participant adds a monitoring period to its
project, downloads the period's data template, fills it in as it would in a spreadsheet,
uploads it with the form generated from the methodology (emission factor from the Joint
Committee's table, the project's meter) — no JSON typed — reads the calculation and submits
the report for verification."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from jcm.db import Database
from tests.journeys.helpers import Person, demo_site

pytestmark = pytest.mark.browser


@pytest.fixture
def site(sqlite_database: Database) -> Iterator[str]:
    with demo_site(sqlite_database) as url:
        yield url


def _fill(template: Path, filled: Path) -> int:
    """Half a megawatt-hour each daylight hour (08:00-17:00 readings); returns those hours."""
    hours = 0
    with (
        template.open(encoding="utf-8-sig", newline="") as src,
        filled.open("w", encoding="utf-8", newline="") as out,
    ):
        rows = csv.reader(src)
        writer = csv.writer(out)
        writer.writerow(next(rows))
        for ts, point, parameter, _value, unit in rows:
            daylight = 8 < datetime.fromisoformat(ts).hour <= 18
            hours += daylight
            writer.writerow([ts, point, parameter, "0.5" if daylight else "0", unit])
    return hours


def test_the_participant_reports_a_month_without_typing_json(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    holder = Person(browser, site, "aaic", "en")
    page = holder.sign_in()
    page.goto(site + "/projects/KE101")
    page.get_by_role("link", name="Monitoring of this project").click()
    page.fill("input[name=start]", "2024-05-01")
    page.fill("input[name=end]", "2024-05-31")
    page.get_by_role("button", name="Add monitoring period").click()
    expect(page.locator("#period-status")).to_have_text("Draft")

    form = page.locator("#input-form")
    expect(form).to_contain_text("KE_AM002")
    expect(form.get_by_label("Time zone of the readings")).to_have_value("Africa/Nairobi")
    expect(form.locator("select[name=emission_factor] option:checked")).to_contain_text("0.344")
    expect(form.locator("input[name='point.0.id']")).to_have_value("PV-0000")
    with page.expect_download() as download:
        page.click("#data-template")
    template = tmp_path / "template.csv"
    download.value.save_as(template)
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "timestamp,point,parameter,value,unit"
    assert lines[1] == "2024-05-01T01:00:00,PV-0000,EG,,MWh"
    assert len(lines) == 1 + 31 * 24
    filled = tmp_path / "ke101-2024-05.csv"
    hours = _fill(template, filled)

    page.set_input_files("input[name=file]", filled)
    page.click("#calculate")
    expected = hours * 0.5 * 0.344  # MWh × tCO2/MWh
    claimed = page.locator("dd strong").first
    expect(claimed).to_have_text(str(int(expected)))
    expect(page.locator("main")).to_contain_text(f"{expected:.2f}")
    page.get_by_role("button", name="Submit for verification").click()
    expect(page.locator("#period-status")).to_have_text("Submitted")
    holder.close()


def test_a_missing_choice_is_named_and_nothing_is_stored(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    holder = Person(browser, site, "aaic", "en")
    page = holder.sign_in()
    page.goto(site + "/mrv/projects/KE101")
    page.fill("input[name=start]", "2024-06-01")
    page.fill("input[name=end]", "2024-06-30")
    page.get_by_role("button", name="Add monitoring period").click()
    period = page.url
    data = tmp_path / "one.csv"
    data.write_text("timestamp,point,parameter,value,unit\n2024-06-01T12:00:00,PV-0000,EG,1,MWh\n")
    page.set_input_files("input[name=file]", data)
    page.locator("select[name='point.0.parameter']").select_option("")
    page.click("#calculate")
    expect(page.locator("main")).to_contain_text("PV-0000")
    expect(page.locator("main")).to_contain_text("choose the parameter it measures")
    page.goto(period)
    expect(page.locator("main")).to_contain_text("No calculation yet.")
    holder.close()
