from jcm.db import Database
from tests.web.helpers import client


def test_the_navigation_links_every_feature_the_app_serves(database: Database) -> None:
    html = client(database).get("/").text
    for href in ('href="/subsidy"', 'href="/mrv"', 'href="/registry"'):
        assert href in html
