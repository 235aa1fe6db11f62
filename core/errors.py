"""The one exception type for bad user input: its message is shown as-is in the CLI and the UI."""


class UserError(ValueError):
    """Bad input from a user (argument, file, option). The message is one clear line."""
