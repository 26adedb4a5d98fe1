"""Build the network from validated seeds, export it to ``geo/``, and give it as a graph."""
