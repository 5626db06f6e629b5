"""Reminders: the rules (pure: what is due at time t), the working-day calendar, the
ledger-backed sweep that sends them, and the APScheduler wiring."""
