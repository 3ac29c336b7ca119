"""Framework-free helpers. Nothing here imports from tipnet's apps."""
