"""MRV engine: methodologies, emission factors, units, monitoring-data ingest with QA/QC,
the emission-reduction calculation with provenance and the monitoring-report workbook.

The public surface for the database, web and API layers is re-exported from
:mod:`jcm.mrv.api`.
"""
