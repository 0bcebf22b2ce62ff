"""Alembic migrations, shipped inside the package so `jcm db upgrade` works anywhere."""
