"""Talking to Slack: the Web API client and sending replies."""
