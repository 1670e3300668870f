"""The run's steps, callable from Python: scrape, partners' lists, report, alerts, alarms,
retention, and the cycle and scheduler that call them in order.

Nothing here prints or parses arguments; `evictwatch.commands` does that.
"""
