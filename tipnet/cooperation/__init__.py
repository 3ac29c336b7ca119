"""Police-to-police messages between agencies of different nodes: information requests and
spontaneous information, with handling codes that bind the receiver."""
