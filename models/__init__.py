"""Tables, the engine and session factory, migrations, and the data-access functions."""
