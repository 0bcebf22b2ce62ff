from sqlalchemy import inspect, select

from jcm.db import Database
from jcm.models import Base
from jcm.reference.models import Country, Technology


def test_migrations_create_every_table_the_models_declare(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_reference_data_holds_the_29_partner_countries(database: Database) -> None:
    with database.read() as s:
        partners = s.scalars(select(Country).where(Country.jcm_partner.is_(True))).all()
        assert len(partners) == 29
        assert s.get(Country, "IDN") is not None
        assert s.get(Technology, "solar_pv_rooftop") is not None
