"""Writes of budgets and period reports, each checked whole before anything is stored."""

from .budget import remove_budget_line, save_budget_line
from .prompts import PromptInput, save_prompts
from .reports import (
    ExpenditureInput,
    approve_report,
    delete_report,
    reopen_report,
    return_report,
    save_report,
    submit_report,
)

__all__ = [
    "ExpenditureInput",
    "PromptInput",
    "approve_report",
    "delete_report",
    "remove_budget_line",
    "reopen_report",
    "return_report",
    "save_budget_line",
    "save_prompts",
    "save_report",
    "submit_report",
]
