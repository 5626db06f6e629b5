"""A Slack Web API simulator on loopback, one for the console and the tests: it records
every call, answers as Slack does (refusals included) and can be told to fail or be slow.

It ships in the wheel because `advisory-bot console` needs it: the console runs the real
handlers against a Slack on this machine, so a newcomer can try every command without a
workspace. Nothing of the bot's imports it but the console (`bot/console_slack.py`)."""
