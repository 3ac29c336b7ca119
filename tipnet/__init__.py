"""tipnet: a federated platform for agencies that fight trafficking in persons."""

__version__ = "0.1.0"
