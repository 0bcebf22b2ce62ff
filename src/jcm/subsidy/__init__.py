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
from jcm.subsidy.demo import demo_applications
from jcm.subsidy.io import applications_from_records, read_applications
from jcm.subsidy.parsing import parse_application, read_application
from jcm.subsidy.policy import SelectionPolicy, load_policy
from jcm.subsidy.screening import Check, Screening, screen, screen_all
from jcm.subsidy.selection import Selection, scale_budget, select_portfolio
from jcm.subsidy.selection_model import Cap
from jcm.subsidy.settings import CALLS, FY2022, CallSettings
from jcm.subsidy.settings_json import (
    call_settings_from_json,
    call_settings_to_json,
    dump_call_settings,
    load_call_settings,
)
from jcm.subsidy.template import write_template

__all__ = [
    "CALLS",
    "FY2022",
    "Application",
    "CallSettings",
    "Cap",
    "Check",
    "Screening",
    "Selection",
    "SelectionPolicy",
    "applications_from_records",
    "demo_applications",
    "load_policy",
    "scale_budget",
    "select_portfolio",
    "write_template",
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
