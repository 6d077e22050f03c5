"""Tables, one module per concept. Importing this package registers them all."""

from portfolio.models.base import name_key, utcnow
from portfolio.models.checklist import ChecklistStep
from portfolio.models.decision import Decision, PlannedChange
from portfolio.models.event import Event
from portfolio.models.grant import Grant
from portfolio.models.learning import (
    ActionItem,
    Framework,
    FrameworkDimension,
    FrameworkEnabler,
    Insight,
    ReflectiveSession,
    SessionTemplate,
    StandingGroup,
    TemplatePrompt,
)
from portfolio.models.link import RecordLink
from portfolio.models.partner import Partner
from portfolio.models.partnership import Partnership, PartnershipTheme
from portfolio.models.person import Person
from portfolio.models.position import CommittedFunding, PartnershipCount
from portfolio.models.theme import Theme, ThemeLead
from portfolio.models.workstream import Workstream

__all__ = [
    "ActionItem",
    "ChecklistStep",
    "CommittedFunding",
    "Decision",
    "Framework",
    "FrameworkDimension",
    "FrameworkEnabler",
    "Insight",
    "PlannedChange",
    "RecordLink",
    "ReflectiveSession",
    "SessionTemplate",
    "StandingGroup",
    "TemplatePrompt",
    "Event",
    "Grant",
    "Partner",
    "Partnership",
    "PartnershipCount",
    "PartnershipTheme",
    "Person",
    "Theme",
    "ThemeLead",
    "Workstream",
    "name_key",
    "utcnow",
]
