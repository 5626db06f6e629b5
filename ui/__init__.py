"""What people see and type: Block Kit builders, text, documents, charts, and the one
parser for command text."""
