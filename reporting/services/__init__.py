"""Writes of budgets and period reports, each checked whole before anything is stored."""

from .budget import remove_budget_line, save_budget_line
from .files import attach_file, remove_file
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
    "attach_file",
    "delete_report",
    "remove_budget_line",
    "remove_file",
    "reopen_report",
    "return_report",
    "save_budget_line",
    "save_prompts",
    "save_report",
    "submit_report",
]
