"""Field work: visits, inspections and their results, corrections, the core field-pack sections."""
