"""JCM Model Projects subsidy: call settings, screening and portfolio selection.

Pure domain plus file I/O; no database. The web, API and database layers call:

* ``CALLS`` / ``FY2022`` / ``load_call_settings`` / ``dump_call_settings`` — call settings
* ``parse_application`` / ``read_applications`` — build applications (ValidationFailed,
  ImportRejected with row numbers)
* ``screen`` / ``screen_all`` — rule checks; ``Screening.as_dict()`` for JSON
* ``select_portfolio`` — the budget-constrained selection; ``Selection.as_dict()``
* ``write_template`` — the Excel template; ``demo_applications`` — illustrative data
"""

from jcm.subsidy.application import Application
from jcm.subsidy.io import applications_from_records, read_applications
from jcm.subsidy.parsing import parse_application, read_application
from jcm.subsidy.screening import Check, Screening, screen, screen_all
from jcm.subsidy.settings import CALLS, FY2022, CallSettings
from jcm.subsidy.settings_json import (
    call_settings_from_json,
    call_settings_to_json,
    dump_call_settings,
    load_call_settings,
)

__all__ = [
    "CALLS",
    "FY2022",
    "Application",
    "CallSettings",
    "Check",
    "Screening",
    "applications_from_records",
    "call_settings_from_json",
    "call_settings_to_json",
    "dump_call_settings",
    "load_call_settings",
    "parse_application",
    "read_application",
    "read_applications",
    "screen",
    "screen_all",
]
