"""A Slack Web API simulator on loopback, one for the console and the tests: it records
every call, answers as Slack does (refusals included) and can be told to fail or be slow."""
