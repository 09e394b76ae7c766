"""Writes about indicators and progress. Each function validates fully and stores all or nothing."""

from .definitions import CategoryTargetInput, DimensionUse, define_indicator, save_dimension
from .periods import lock_period, save_period, unlock_period
from .updates import (
    Figures,
    StaleUpdate,
    approve_update,
    create_update,
    delete_update,
    edit_update,
    reopen_update,
    return_update,
    submit_update,
)
from .workflow import Conflict, allowed_transitions

__all__ = [
    "CategoryTargetInput",
    "Conflict",
    "DimensionUse",
    "Figures",
    "StaleUpdate",
    "allowed_transitions",
    "approve_update",
    "create_update",
    "define_indicator",
    "delete_update",
    "edit_update",
    "lock_period",
    "reopen_update",
    "return_update",
    "save_dimension",
    "save_period",
    "submit_update",
    "unlock_period",
]
