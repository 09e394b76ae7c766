"""The demo portfolio: the five seed cases, with targets taken from their documents.

Progress figures in the demo are illustrative: every such update is flagged `is_illustrative`
and its narrative says so.
"""
