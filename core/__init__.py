"""Helpers every app uses — text and share checks, numbers and moments in the reader's terms,
translations, currencies, safe spreadsheet reading and writing, PDF and process helpers, form
fields, and the history author. Core imports no app of the portal."""
