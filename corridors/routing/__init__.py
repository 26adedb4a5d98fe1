"""Apply a scenario, expand the network into a routing graph, and find routes on it."""
