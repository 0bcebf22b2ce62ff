"""Every table, imported in one place so the metadata (and Alembic) sees them all."""

from jcm.approvals.models import PendingOperation, TrustedAccount
from jcm.audit import AuditEntry, AuditHead
from jcm.auth.models import ApiToken, LoginThrottle, User, UserTotp, WebSession
from jcm.cities.models import CityPair
from jcm.db import Base
from jcm.mrv.models import (
    Calculation,
    Finding,
    MonitoringPeriod,
    PeriodEvent,
    ProjectMethodology,
    TpeDesignation,
)
from jcm.platform import models as platform_models  # noqa: F401  (registers the tables)
from jcm.projects.models import Project, ProjectMember, StatusEvent
from jcm.reference.models import Country, Organisation, Technology
from jcm.registry.models import Account, Block, Issuance, Movement, RegistryTransaction
from jcm.reporting.models import CreditSummary, SummaryWatermark
from jcm.subsidy.models import (
    SubsidyApplication,
    SubsidyCallVersion,
    SubsidyMember,
    SubsidyScreening,
    SubsidySelectionRun,
    SubsidyStatusEvent,
)

__all__ = [
    "LoginThrottle",
    "PendingOperation",
    "TrustedAccount",
    "UserTotp",
    "Calculation",
    "Finding",
    "MonitoringPeriod",
    "PeriodEvent",
    "ProjectMethodology",
    "TpeDesignation",
    "Account",
    "CreditSummary",
    "SummaryWatermark",
    "Block",
    "Issuance",
    "Movement",
    "RegistryTransaction",
    "ApiToken",
    "AuditEntry",
    "AuditHead",
    "Base",
    "CityPair",
    "Country",
    "Organisation",
    "Project",
    "ProjectMember",
    "StatusEvent",
    "SubsidyApplication",
    "SubsidyCallVersion",
    "SubsidyMember",
    "SubsidyScreening",
    "SubsidySelectionRun",
    "SubsidyStatusEvent",
    "Technology",
    "User",
    "WebSession",
]
