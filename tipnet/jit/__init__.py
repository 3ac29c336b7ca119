"""Joint and parallel investigations: agreements negotiated between nodes, shared workspaces."""
