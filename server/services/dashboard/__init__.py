"""The office dashboard: what needs a look today, and the trends of a year, from the features' own queries."""
