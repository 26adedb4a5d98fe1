"""Present results: number formatting, tables, folium maps and reports."""
