"""The public surface of the MRV engine for the database, web and API layers.

Typical use::

    methodology = REGISTRY.parse("TH_AM001:1.0")
    inputs = parse_input(input_json_text)
    data = read_monitoring_file(path, inputs.timezone)   # or from_frame(df, name, zone)
    result = calculate(methodology, inputs, data)
    result.as_dict()                                     # JSON for storage / API
    xlsx = monitoring_report_workbook(result, methodology)
"""

from __future__ import annotations

from jcm.mrv.calc import CalculationResult, InputFile, calculate, floor_credits
from jcm.mrv.examples import example_input
from jcm.mrv.factors import EmissionFactor, all_factors, lookup
from jcm.mrv.ingest import MonitoringData, from_frame, read_monitoring_file, sha256_of
from jcm.mrv.inputs import CalcInput, parse_input
from jcm.mrv.methodologies import REGISTRY
from jcm.mrv.methodology import Methodology, Parameter
from jcm.mrv.qa import QaIssue, QaReport, SeriesResult
from jcm.mrv.report import monitoring_report_workbook
from jcm.mrv.units import convert

__all__ = [
    "REGISTRY",
    "CalcInput",
    "CalculationResult",
    "EmissionFactor",
    "InputFile",
    "Methodology",
    "MonitoringData",
    "Parameter",
    "QaIssue",
    "QaReport",
    "SeriesResult",
    "all_factors",
    "calculate",
    "convert",
    "example_input",
    "floor_credits",
    "from_frame",
    "lookup",
    "monitoring_report_workbook",
    "parse_input",
    "read_monitoring_file",
    "sha256_of",
]
