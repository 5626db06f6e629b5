"""Block Kit builders: data in, a Message out. No database, no Slack calls."""
