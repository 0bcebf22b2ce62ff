from jcm.subsidy.demo import NOTE, demo_applications
from jcm.subsidy.screening import screen
from jcm.subsidy.settings import FY2022


def test_demo_applications_are_about_twenty_and_labelled_illustrative():
    apps = demo_applications()
    assert 18 <= len(apps) <= 22
    assert all(a.id.startswith("ILL-") for a in apps)
    assert all(a.note == NOTE for a in apps)
    assert "Illustrative" in NOTE


def test_demo_applications_use_fy2022_partner_countries_and_technologies():
    for a in demo_applications():
        assert a.partner_country in FY2022.eligible_country_set
        assert a.technology in FY2022.technology_by_code


def test_most_demo_applications_are_eligible_and_some_show_a_failure():
    results = [screen(a, FY2022) for a in demo_applications()]
    failed = {r.application.id: r.failed_rules for r in results if not r.eligible}
    assert failed == {"ILL-19": ["payback_period"], "ILL-20": ["cost_effectiveness"]}
