"""Writes about indicators and progress. Each function validates fully and stores all or nothing."""

from .definitions import CategoryTargetInput, DimensionUse, define_indicator, save_dimension
from .figures import Figures, check_update
from .frameworks import copy_framework, import_framework
from .imports import ImportOutcome, import_progress
from .periods import lock_period, save_period, unlock_period
from .setup import (
    add_period,
    change_indicator,
    create_dimension,
    create_indicator,
    current_definition,
    remove_period,
    require_dimension_change,
    set_indicator_targets,
    set_period_targets,
    translate_dimension,
)
from .updates import (
    NewUpdate,
    RowErrors,
    StaleUpdate,
    approve_update,
    approve_updates,
    create_update,
    create_updates,
    delete_update,
    edit_update,
    reopen_update,
    return_update,
    submit_update,
    transition,
)
from .workflow import Conflict, allowed_transitions

__all__ = [
    "CategoryTargetInput",
    "Conflict",
    "DimensionUse",
    "Figures",
    "ImportOutcome",
    "NewUpdate",
    "RowErrors",
    "StaleUpdate",
    "add_period",
    "allowed_transitions",
    "approve_update",
    "approve_updates",
    "change_indicator",
    "check_update",
    "copy_framework",
    "create_dimension",
    "create_indicator",
    "create_update",
    "create_updates",
    "current_definition",
    "define_indicator",
    "delete_update",
    "edit_update",
    "import_framework",
    "import_progress",
    "lock_period",
    "remove_period",
    "reopen_update",
    "require_dimension_change",
    "return_update",
    "save_dimension",
    "save_period",
    "set_indicator_targets",
    "set_period_targets",
    "submit_update",
    "transition",
    "translate_dimension",
    "unlock_period",
]
