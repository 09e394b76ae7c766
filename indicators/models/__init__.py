from .core import (
    Category,
    CategoryTarget,
    Dimension,
    Indicator,
    IndicatorDimension,
    Period,
    PeriodTarget,
    ProgressUpdate,
    UpdateValue,
)
from .reminders import Reminder
from .snapshots import (
    IndicatorSnapshot,
    OrganisationIndicatorSnapshot,
    PortfolioSnapshot,
    ProjectSnapshot,
)

__all__ = [
    "Category",
    "CategoryTarget",
    "Dimension",
    "Indicator",
    "IndicatorDimension",
    "IndicatorSnapshot",
    "OrganisationIndicatorSnapshot",
    "Period",
    "PeriodTarget",
    "PortfolioSnapshot",
    "ProgressUpdate",
    "ProjectSnapshot",
    "Reminder",
    "UpdateValue",
]
